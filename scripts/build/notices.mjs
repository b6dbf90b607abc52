// THIRD-PARTY-NOTICES.txt: every bundled package's licence, whole, as its licences ask of a copy.
// A package that ships no licence file gets the text of the licence it declares, from SPDX's
// list, with its author as the holder where the text has a place for one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

function declaredText(component) {
  const list = require('spdx-license-list/full');
  const ids = (component.licence ?? '')
    .replace(/[()]/g, '')
    .split(/\s+(?:OR|AND)\s+/)
    .filter(Boolean);
  const texts = ids.map((id) => list[id]?.licenseText);
  if (ids.length === 0 || texts.some((t) => !t))
    throw new Error(`${component.name}@${component.version} ships no licence file and declares none SPDX knows (${component.licence}): add its text by hand`);
  const holder = component.author ?? `the authors of ${component.name}`;
  return texts
    .map((t) =>
      t
        .replace(/<year>/g, '')
        .replace(/<copyright holders>|<owner>|<name of author>/g, holder)
        .replace(/Copyright \(c\)\s+ /, 'Copyright (c) '),
    )
    .join('\n\n');
}

/**
 * @param {string} root
 * @param {{ name: string, version: string }} self
 * @param {ReturnType<typeof import('./components.mjs').bundledComponents>} components
 */
export function thirdPartyNotices(root, self, components) {
  const rule = '-'.repeat(78);
  const parts = [
    `${self.name} ${self.version} bundles the packages below. Their licences follow, each`,
    'as its package ships it; where a package ships no licence file, the text of the licence it',
    'declares (from the SPDX licence list) is written out, and marked so.',
    '',
  ];
  for (const c of components) {
    parts.push(rule, `${c.name} ${c.version}  (${c.licence ?? 'no licence declared'})`, rule);
    if (c.licenceFiles.length > 0) for (const f of c.licenceFiles) parts.push(readFileSync(join(root, c.dir, f), 'utf8').trimEnd(), '');
    else parts.push(`[${c.name} ships no licence file; this is the ${c.licence} licence it declares.]`, '', declaredText(c), '');
  }
  return `${parts.join('\n').replace(/\r\n?/g, '\n')}\n`;
}
