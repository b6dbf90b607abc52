// The bundle holds no package below the fix of an advisory this repository lists
// (advisories.json beside this file): the build stops on one, naming it and the advisory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** @returns {{ package: string, fixed: string, ids: string[], reason: string }[]} */
export function advisories() {
  return JSON.parse(readFileSync(new URL('./advisories.json', import.meta.url), 'utf8')).advisories;
}

/** The components below the fix of a listed advisory, as `name@version (ids: reason; fixed in X)`. */
export function belowTheirFix(components, list = advisories()) {
  const semver = require('semver');
  return components.flatMap((c) =>
    list
      .filter((a) => a.package === c.name && semver.lt(c.version, a.fixed))
      .map((a) => `${c.name}@${c.version} (${a.ids.join(', ')}: ${a.reason}; fixed in ${a.fixed})`),
  );
}
