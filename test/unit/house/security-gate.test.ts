// A department's security gate (npm audit, Dependabot) refuses a production tree with packages
// below the fix of a published advisory. Newman 6.2.2 (the latest) brings such versions; the npm
// overrides in package.json lift them, and this test keeps a later install from bringing one back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/paths.js';

/** The lowest version with the fix, by package (the advisories named in README's overrides table). */
const FIXED: Readonly<Record<string, string>> = {
  handlebars: '4.7.9', // CVE-2026-33937, remote code execution
  'node-forge': '1.3.2', // CVE-2025-12816 and others
  lodash: '4.18.1', // CVE-2025-13465, CVE-2026-2950
  qs: '6.14.1', // CVE-2025-15284
  flatted: '3.4.2',
  underscore: '1.13.8', // CVE-2026-27601
  jose: '4.15.5', // CVE-2024-28176
};

function below(version: string, fixed: string): boolean {
  const a = version.split('.').map(Number);
  const b = fixed.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

describe('the production tree in package-lock.json', () => {
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };
  const production = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && !p.dev && p.version)
    .map(([path, p]) => ({ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), path, version: p.version! }));

  it('has each of those packages, so the check below checks something', () => {
    for (const name of Object.keys(FIXED))
      expect(
        production.some((p) => p.name === name),
        name,
      ).toBe(true);
  });

  it('holds no package below the fix of its advisory', () => {
    const vulnerable = production.filter((p) => FIXED[p.name] && below(p.version, FIXED[p.name]!)).map((p) => `${p.path}@${p.version}`);
    expect(vulnerable).toEqual([]);
  });

  it('the comparison itself: 4.17.21 is below 4.18.1, 6.14.3 is not below 6.14.1', () => {
    expect([below('4.17.21', '4.18.1'), below('6.14.3', '6.14.1'), below('6.5.5', '6.14.1'), below('1.3.2', '1.3.2')]).toEqual([true, false, true, false]);
  });
});
