// The README's two commands in a fresh clone, with npm 11 and with npm 12, on Node 24: `npm install
// && npm run smoke` (the main job, on the local stand-in) and `npm test` (here limited to one test
// file: the suite does not run itself whole). npm 12 blocks the install scripts of any dependency
// that package.json's allowScripts does not list; the install must block nothing. npm installs
// from its cache (npm_config_offline), as the machine's own install of this repository filled it:
// the test reaches no registry.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/cli.js';
import { NODE_LINES, nodeLinesAbsent, NPM_12 } from './helpers/node-lines.js';
import { cleanCheckout } from './helpers/package-install.js';

const root = mkdtempSync(join(tmpdir(), 'gdx-fresh-clone-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const node24 = NODE_LINES.find((l) => l.major === 24)!;

interface Ran {
  code: number;
  output: string;
}

/** `npm ARGS` in `dir`, with `npm` on PATH being the one asked for, on Node 24. */
function npm(bin: string, dir: string, args: string[], timeout = 300_000): Promise<Ran> {
  const env = cleanEnv({ npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' });
  env['PATH'] = [bin, node24.bin, env['PATH']].join(delimiter);
  return new Promise((resolve) => {
    execFile('npm', args, { cwd: dir, env, timeout, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** A folder whose `npm` is the given npm-cli.js (npm 12), or the machine's own npm 11. */
function npmBin(name: string, cli: string | undefined): string {
  const bin = join(root, `bin-${name}`);
  mkdirSync(bin, { recursive: true });
  if (cli) writeFileSync(join(bin, 'npm'), `#!/bin/sh\nexec node "${cli}" "$@"\n`, { mode: 0o755 });
  return bin;
}

const absent = nodeLinesAbsent();
describe.skipIf(!!absent && process.env['CI'] !== 'true')(`a fresh clone, on Node ${node24.version}${absent ? ` (skipped: ${absent})` : ''}`, () => {
  for (const [name, cli, major] of [
    ['npm 11', undefined, 11],
    ['npm 12', NPM_12, 12],
  ] as const) {
    it(`${name}: npm install blocks no install script, npm run smoke is green, and npm test runs`, async () => {
      const bin = npmBin(name.replace(' ', '-'), cli);
      const version = await npm(bin, root, ['--version']);
      expect(version.output.trim().split('.')[0]).toBe(String(major));
      const clone = join(root, `clone-${major}`);
      await cleanCheckout(clone, { fresh: true });

      const install = await npm(bin, clone, ['install']);
      expect(install.code, install.output).toBe(0);
      expect(install.output).not.toMatch(/install scripts? (blocked|not yet covered)|not covered by allowScripts|allow-scripts/i);
      const pending = await npm(bin, clone, ['install-scripts', 'ls']);
      expect(pending.output).toContain('No packages with unreviewed install scripts.');

      const smoke = await npm(bin, clone, ['run', 'smoke']);
      expect(smoke.code, smoke.output).toBe(0);
      expect(smoke.output).toMatch(/local \(local-acquirer, acquirer\) +\d+ +\d+ +0 /);

      const test = await npm(bin, clone, ['test', '--', 'test/unit/run/plan.test.ts']);
      expect(test.code, test.output).toBe(0);
      expect(test.output).toMatch(/Test Files {2}1 passed \(1\)/);
    }, 600_000);
  }
});
