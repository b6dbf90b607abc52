// The house's directions bite: the dependency-cruiser rules that `npm run lint` runs, on a copy
// of src/ with forbidden imports written into it, report each one by its rule; the same copy
// unchanged reports none. The real src/ is never touched.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/paths.js';

const copy = mkdtempSync(join(tmpdir(), 'gdx-house-'));
for (const entry of ['src', 'tsconfig.json', '.dependency-cruiser.cjs', 'package.json'])
  cpSync(join(PROJECT_ROOT, entry), join(copy, entry), { recursive: true });
symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
afterAll(() => rmSync(copy, { recursive: true, force: true }));

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** What `npm run lint`'s dependency check says of the copy: its exit code as lint runs it, and
 * each violation (from a second run that writes JSON, whose exit code says nothing). */
function cruise(): { status: number | null; violations: string[] } {
  const lint = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { lint: string } }).scripts.lint;
  const command = lint
    .split('&&')
    .map((s) => s.trim())
    .find((s) => s.startsWith('depcruise '));
  if (!command) throw new Error('npm run lint runs no depcruise');
  const bin = join(PROJECT_ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const run = (extra: string[]) =>
    spawnSync(process.execPath, [bin, ...command.split(/\s+/).slice(1), ...extra], { cwd: copy, encoding: 'utf8', timeout: 60_000 });
  const report = JSON.parse(run(['--output-type', 'json']).stdout) as { summary: { violations: Violation[] } };
  return {
    status: run([]).status,
    violations: report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*?node_modules\//, 'node_modules/')}`).sort(),
  };
}

const write = (file: string, line: string): void => appendFileSync(join(copy, file), `\n${line}\n`);

describe('the import directions checked in npm run lint', () => {
  it('pass on src/ as it is', () => {
    expect(cruise()).toEqual({ status: 0, violations: [] });
  }, 60_000);

  it('fail on each forbidden import, naming its rule', () => {
    write('src/report/html.ts', "import '../run/plan.js';");
    write('src/standin/store.ts', "import '../run/plan.js';");
    write('src/run/fan-out.ts', "import '../commands/options.js';");
    write('src/run/watch.ts', "import type { Argv } from 'yargs';\nexport type _A = Argv;");
    write('src/report/json.ts', "import 'newman';");
    write('src/sandbox/guard.post-response.js', "var errors = require('../errors.js');");
    // The circle the move removed: the v3 writer taking its file type from build.ts again.
    write('src/generate/postman-v3.ts', "import type { GeneratorInputs } from './build.js';\nexport type _G = GeneratorInputs;");
    const { status, violations } = cruise();
    expect(status).not.toBe(0);
    expect(violations).toEqual([
      'commands-only-from-cli: src/run/fan-out.ts -> src/commands/options.ts',
      'newman-behind-one-module: src/report/json.ts -> node_modules/newman/index.js',
      'no-circle: src/generate/build.ts -> src/generate/postman-v3.ts',
      'report-reads-no-engine: src/report/html.ts -> src/run/plan.ts',
      'sandbox-imports-nothing: src/sandbox/guard.post-response.js -> src/errors.ts',
      'standin-stands-alone: src/standin/store.ts -> src/run/plan.ts',
      'work-is-not-the-command-line: src/run/fan-out.ts -> src/commands/options.ts',
      'yargs-only-at-the-edge: src/run/watch.ts -> node_modules/yargs/index.mjs',
    ]);
  }, 60_000);
});
