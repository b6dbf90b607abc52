// docs/fidelity.md promises that each rule id has a comment in src/standin and a
// test named by it in the contract suites: from a test to the platform's code in two steps.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/paths.js';

const readme = readFileSync(join(PROJECT_ROOT, 'docs', 'fidelity.md'), 'utf8');
const ids = [...readme.matchAll(/^\| (V[12]-[A-Z0-9-]+) \|/gm)].map((m) => m[1]!);
const standin = readdirSync(join(PROJECT_ROOT, 'src', 'standin'))
  .map((f) => readFileSync(join(PROJECT_ROOT, 'src', 'standin', f), 'utf8'))
  .join('\n');
const contracts = ['contract-v1.test.ts', 'contract-v2.test.ts'].map((f) => readFileSync(join(PROJECT_ROOT, 'test', f), 'utf8')).join('\n');

describe("docs/fidelity.md's rule ids", () => {
  it('are there, each once', () => {
    expect(ids.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('each has its comment in src/standin and its contract test', () => {
    const noComment = ids.filter((id) => !new RegExp(`\\b${id}\\b`).test(standin));
    const noTest = ids.filter((id) => !new RegExp(`it\\(\\s*['"\`]${id}[ :]`).test(contracts));
    expect({ noComment, noTest }).toEqual({ noComment: [], noTest: [] });
  });
});
