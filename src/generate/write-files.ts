// The generator's edge: its pure writers' files put on disk, or compared with the committed ones
// (--check). Files in the generated trees that it no longer writes are removed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { EXIT, UserError } from '../errors.js';
import { PACKAGE_NAME, VERSION } from '../config/version.js';
import { generate } from './build.js';
import { pinnedTemplates } from './ci-templates.js';
import type { GeneratedFile } from './generated-file.js';
import { readInputs } from './inputs.js';

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The generated files whose committed text differs (or is missing). */
export function staleFiles(files: readonly GeneratedFile[], read: (path: string) => string | null): string[] {
  return files.filter((f) => read(f.path) !== f.content).map((f) => f.path);
}

/** The folders whose every file the generator writes: a file there it no longer writes (a renamed
 * request, a removed folder) must go, or Postman 12 and the Postman CLI would still run it. */
export const GENERATED_TREES = ['collections', 'environments', 'postman/collections', 'postman/environments'] as const;

/** Files in the generated trees that the generator does not write. */
export function orphanFiles(files: readonly GeneratedFile[], existing: readonly string[]): string[] {
  const written = new Set(files.map((f) => f.path));
  return existing.filter((path) => !written.has(path)).sort();
}

function listFiles(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** Removes the folders a removal left empty, deepest first, up to (not including) the tree. */
function removeEmptyFolders(root: string, paths: readonly string[]): void {
  const dirs = [...new Set(paths.map((p) => dirname(join(root, p))))].sort((a, b) => b.length - a.length);
  for (let dir of dirs) {
    while (!GENERATED_TREES.some((t) => join(root, t) === dir) && existsSync(dir) && readdirSync(dir).length === 0) {
      rmdirSync(dir);
      dir = dirname(dir);
    }
  }
}

/** Writes (or with `check`, compares) every generated file under `root`, the CI templates pinned
 * to this version, and `extra` (the CLI reference, which the commands write of themselves); says
 * what it did. */
export function writeGenerated(root: string, check: boolean, extra: readonly GeneratedFile[] = []): string {
  const templates = pinnedTemplates((path) => readOrNull(join(root, path)), PACKAGE_NAME, VERSION);
  const files = [...generate(readInputs()), ...templates, ...extra];
  const orphans = orphanFiles(
    files,
    GENERATED_TREES.flatMap((t) => listFiles(root, t)),
  );
  if (check) {
    const stale = staleFiles(files, (path) => readOrNull(join(root, path)));
    if (stale.length > 0) {
      throw new UserError(`stale generated files: ${stale.join(', ')}; run npm run generate and commit the result`, EXIT.failed);
    }
    if (orphans.length > 0) {
      throw new UserError(
        `files the generator no longer writes: ${orphans.join(', ')}; run npm run generate (it removes them) and commit the result`,
        EXIT.failed,
      );
    }
    return `${files.length} generated files are up to date.`;
  }
  let changed = 0;
  for (const f of files) {
    const path = join(root, f.path);
    if (readOrNull(path) === f.content) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    changed++;
  }
  for (const path of orphans) rmSync(join(root, path));
  removeEmptyFolders(root, orphans);
  return `${files.length} files generated, ${changed} changed${orphans.length ? `, ${orphans.length} no longer generated removed` : ''}.`;
}
