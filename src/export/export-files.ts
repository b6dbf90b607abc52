// `export`: the collection and environment files the package ships, copied into a tester's folder
// for import into Postman or Bruno, byte for byte and at the same relative paths as in the
// repository. Every target is checked before the first is written: a file the tester changed is
// never half-replaced, and never replaced at all without --force.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { EnvironmentSpec } from '../config/environments.js';
import { codeOf, describeFileError, UserError } from '../errors.js';
import { collectionPath, environmentPath, v3CollectionDir, v3EnvironmentPath } from '../generate/names.js';

export const EXPORT_FORMATS = ['v2.1', 'v3', 'both'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportPlan {
  /** Where the shipped files are: the installed package, or a clone. */
  source: string;
  out: string;
  environments: readonly EnvironmentSpec[];
  format: ExportFormat;
  force: boolean;
}

export interface ExportResult {
  /** Relative paths, in the order written. */
  written: string[];
  unchanged: string[];
}

function filesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      return entry.isDirectory() ? filesUnder(root, path) : [path];
    })
    .sort();
}

/** The relative paths an export copies, in a stable order: per environment, v2.1 then v3. */
export function filesToExport(source: string, environments: readonly EnvironmentSpec[], format: ExportFormat): string[] {
  return environments.flatMap((env) => [
    ...(format === 'v3' ? [] : [collectionPath(env), environmentPath(env)]),
    ...(format === 'v2.1' ? [] : [...filesUnder(source, v3CollectionDir(env)), v3EnvironmentPath(env)]),
  ]);
}

/** A file's bytes; `fix` says what to do when it cannot be read (a shipped file, or a tester's). */
function read(path: string, shown: string, fix: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`${shown} cannot be read (${describeFileError(codeOf(e))}): ${fix}`);
  }
}

export function exportFiles(plan: ExportPlan): ExportResult {
  let paths: string[];
  try {
    paths = filesToExport(plan.source, plan.environments, plan.format);
  } catch (e) {
    throw new UserError(`the v3 files cannot be listed in ${plan.source} (${describeFileError(codeOf(e))}): the package is damaged; install it again`);
  }
  const shown = (path: string): string => relative(process.cwd(), path).split(sep).join('/') || '.';
  const files = paths.map((path) => ({
    path,
    bytes: read(join(plan.source, path), path, 'the package is damaged; install it again'),
    target: join(plan.out, path),
  }));
  const result: ExportResult = { written: [], unchanged: [] };
  const toWrite = files.filter(({ path, bytes, target }) => {
    if (!existsSync(target)) return true;
    if (statSync(target).isDirectory()) throw new UserError(`${shown(target)} is a folder, where export writes a file: remove it or choose another --out`);
    if (read(target, shown(target), 'check its permissions, or choose another --out').equals(bytes)) {
      result.unchanged.push(path);
      return false;
    }
    if (!plan.force) throw new UserError(`${shown(target)} differs from the file this version ships: pass --force to overwrite it, or choose another --out`);
    return true;
  });
  for (const { path, bytes, target } of toWrite) {
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileAtomic.sync(target, bytes);
    } catch (e) {
      throw new UserError(`${shown(target)} cannot be written (${describeFileError(codeOf(e))}): choose another folder with --out`);
    }
    result.written.push(path);
  }
  return result;
}
