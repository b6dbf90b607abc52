// A department's security gate refuses a package below the fix of a published advisory. The
// package is a bundle, so their npm audit sees none of its dependencies: the build refuses a
// bundle that holds one below a fix listed in scripts/build/advisories.json (belowTheirFix), the
// package test reads the packed SBOM against the list, and this fast check reads the lock.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/config/paths.js';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { advisories, belowTheirFix } from '../../../scripts/build/advisories.mjs';
import { closure, type LockEntry } from '../../helpers/package-install.js';

interface Advisory {
  package: string;
  fixed: string;
  ids: string[];
  reason: string;
}
const LIST = advisories() as Advisory[];
const below = belowTheirFix as (components: { name: string; version: string }[], list?: Advisory[]) => string[];

describe('the list of advisories', () => {
  it('names each package once, with a fixed version, an advisory id and a reason', () => {
    expect(new Set(LIST.map((a) => a.package)).size).toBe(LIST.length);
    for (const a of LIST) {
      expect(semver.valid(a.fixed), a.package).toBe(a.fixed);
      expect(a.ids.length, a.package).toBeGreaterThan(0);
      for (const id of a.ids) expect(id).toMatch(/^(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3})$/);
      expect(a.reason.length, a.package).toBeGreaterThan(20);
    }
  });
});

describe('belowTheirFix, which the build stops on', () => {
  it('names a component below its fix with the advisory and the fixed version, and passes one at or above it', () => {
    const list: Advisory[] = [
      { package: 'lodash', fixed: '4.18.1', ids: ['CVE-2025-13465'], reason: 'prototype pollution' },
      { package: 'qs', fixed: '6.14.1', ids: ['CVE-2025-15284'], reason: 'denial of service' },
    ];
    expect(
      below(
        [
          { name: 'lodash', version: '4.17.21' },
          { name: 'lodash', version: '4.18.1' },
          { name: 'qs', version: '6.5.5' },
          { name: 'qs', version: '6.14.3' },
          { name: 'left-pad', version: '1.0.0' },
        ],
        list,
      ),
    ).toEqual(['lodash@4.17.21 (CVE-2025-13465: prototype pollution; fixed in 4.18.1)', 'qs@6.5.5 (CVE-2025-15284: denial of service; fixed in 6.14.1)']);
  });
});

describe('the lock the bundle is built from', () => {
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry & { version?: string }> };
  // What the installed command imports (src/), and so what the bundle can hold.
  const runtime = closure(lock.packages, ['newman', 'yargs', 'undici', 'jose', 'node-forge', 'yaml', 'write-file-atomic']);
  const entries = Object.keys(runtime).map((path) => ({
    name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
    path,
    version: lock.packages[path]!.version!,
  }));

  it("holds every listed package in the runtime's tree, so the check below checks something", () => {
    for (const a of LIST)
      expect(
        entries.some((e) => e.name === a.package),
        a.package,
      ).toBe(true);
  });

  it('holds none of them below its fix (the overrides in package.json lift them)', () => {
    expect(entries.filter((e) => LIST.some((a) => a.package === e.name && semver.lt(e.version, a.fixed))).map((e) => `${e.path}@${e.version}`)).toEqual([]);
  });
});
