// What Windows testers run must need no bash: the npm scripts call Node directly, and what they
// call starts only Node. (No Windows machine runs here; the README says what was tried.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/paths.js';

const scripts = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the commands a tester runs on Windows', () => {
  for (const name of ['smoke', 'token', 'doctor', 'generate', 'standin', 'export']) {
    it(`npm run ${name} is node scripts/gdx.mjs ${name}, with no shell syntax`, () => {
      expect(scripts[name]).toBe(`node scripts/gdx.mjs ${name}`);
    });
  }

  it('scripts/gdx.mjs and scripts/build.mjs start no shell, only Node', () => {
    for (const file of ['gdx.mjs', 'build.mjs']) {
      const source = readFileSync(join(PROJECT_ROOT, 'scripts', file), 'utf8');
      expect(source, file).not.toMatch(/\b(exec|spawn)(Sync)?\(\s*['"`]|shell:\s*true|\bbash\b|\/bin\/sh/);
    }
  });
});
