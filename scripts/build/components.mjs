// What the bundle holds, read from esbuild's metafile: every package whose code went in, at the
// version this repository's install resolved, with its declared licence and its licence files.
// The SBOM, the notices and the advisory test all read this one list.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_DIR = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/** Packages whose package.json declares no licence, with the one their licence file states (read
 * and checked by hand when the entry was written): the SBOM names it, and the build fails if the
 * file stops saying it. */
const STATED_IN_FILE = { 'stack-trace@0.0.9': { licence: 'MIT', file: 'License', says: 'Permission is hereby granted, free of charge' } };
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** The declared licence as an SPDX expression: `license`, or the old `licenses` list. */
function declaredLicence(manifest) {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license && typeof manifest.license.type === 'string') return manifest.license.type;
  if (Array.isArray(manifest.licenses) && manifest.licenses.length > 0) {
    const types = manifest.licenses.map((l) => (typeof l === 'string' ? l : l.type));
    return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

function authorOf(manifest) {
  const a = manifest.author;
  if (!a) return undefined;
  return typeof a === 'string' ? a.replace(/\s*[<(].*$/, '') : a.name;
}

/**
 * @param {string} root the folder esbuild worked in
 * @param {{ inputs: Record<string, unknown> }} metafile
 * @returns {{ name: string, version: string, integrity: string | undefined, licence: string | undefined, author: string | undefined, dir: string, licenceFiles: string[], homepage: string | undefined }[]}
 */
export function bundledComponents(root, metafile) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = PACKAGE_DIR.exec(input.replace(/\\/g, '/'));
    if (m) dirs.add(m[1]);
  }
  const byKey = new Map();
  for (const dir of dirs) {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const key = `${manifest.name}@${manifest.version}`;
    if (byKey.has(key)) continue;
    const licenceFiles = readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && LICENCE_FILE.test(e.name))
      .map((e) => e.name)
      .sort();
    const stated = STATED_IN_FILE[key];
    if (stated && !readFileSync(join(root, dir, stated.file), 'utf8').includes(stated.says)) {
      throw new Error(`${key}: ${stated.file} no longer reads as ${stated.licence}; check its licence and STATED_IN_FILE in scripts/build/components.mjs`);
    }
    // The lock's entry for this folder (a linked node_modules shows as ../../…/node_modules/…).
    const entry = lock[dir.slice(dir.indexOf('node_modules/'))];
    byKey.set(key, {
      name: manifest.name,
      version: manifest.version,
      integrity: entry?.version === manifest.version ? entry.integrity : undefined,
      licence: declaredLicence(manifest) ?? stated?.licence,
      author: authorOf(manifest),
      homepage: typeof manifest.homepage === 'string' ? manifest.homepage : undefined,
      dir,
      licenceFiles,
    });
  }
  return [...byKey.values()].sort((a, b) => (a.name === b.name ? a.version.localeCompare(b.version) : a.name < b.name ? -1 : 1));
}
