import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests that spawn the CLI run the compiled dist/ as users do; build it once, before any of them.
// Every temporary folder a test (or a CLI it starts) makes goes under one folder of this run,
// removed when the run ends, pass or fail: nothing is left behind in the system's temp folder.
// GDX_STANDIN_DEAD_LETTER_FILE: where every stand-in of the run logs what it dead-letters; each
// test file must leave it empty (setup-dead-letters.ts).
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const runDir = mkdtempSync(join(tmpdir(), 'gdx-test-run-'));
  process.env['TMPDIR'] = runDir;
  process.env['GDX_STANDIN_DEAD_LETTER_FILE'] = join(runDir, 'dead-letters.log');
  return () => rmSync(runDir, { recursive: true, force: true });
}
