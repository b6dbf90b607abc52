import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests that spawn the CLI run the compiled dist/ as users do; build it once, before any of them.
// Every temporary folder a test (or a CLI it starts) makes goes under one folder of this run,
// removed when the run ends, pass or fail: nothing is left behind in the system's temp folder.
export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const runDir = mkdtempSync(join(tmpdir(), 'gdx-test-run-'));
  process.env['TMPDIR'] = runDir;
  return () => rmSync(runDir, { recursive: true, force: true });
}
