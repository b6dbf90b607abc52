// A department's install of the package, with no network: the tarball is packed from a clean
// checkout (the files a commit would hold: no dist/, nothing ignored), then installed with a plain
// `npm install` of the tarball into an empty folder. The package is a bundle with no dependencies,
// so nothing else is fetched, whatever the department's npm or registry.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config/paths.js';
import { packReport } from '../../scripts/npm-pack-json.js';

const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  license: string;
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides: Record<string, unknown>;
  bin: Record<string, string>;
  engines: Record<string, string>;
}
export const MANIFEST = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;

/** What a commit of the working tree would hold (tracked and new files, nothing git ignores), in
 * `dest`; node_modules linked for the build, unless `fresh`, which makes it a clone as a newcomer
 * has it: its own git repository, and nothing installed. */
export async function cleanCheckout(dest: string, options: { fresh?: boolean } = {}): Promise<void> {
  mkdirSync(dest, { recursive: true });
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const path of stdout.split('\0').filter((p) => p && existsSync(join(PROJECT_ROOT, p)) && !statSync(join(PROJECT_ROOT, p)).isDirectory())) {
    mkdirSync(dirname(join(dest, path)), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, path), join(dest, path));
  }
  if (!options.fresh) return symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
  const git = (...args: string[]) => run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: dest });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'fresh clone');
}

export interface Packed {
  tarball: string;
  files: { path: string; size: number }[];
  size: number;
}

/** The variable that names the tarball the test run packed (global-setup.ts), as JSON of Packed. */
export const PACKED_ENV = 'GDX_TEST_PACKED';

/** The package as this test run packed it, once, from a clean checkout of the working tree. */
export function packed(): Packed {
  const file = process.env[PACKED_ENV];
  if (!file) throw new Error(`${PACKED_ENV} is not set: run this test with the suite's config (vitest.config.ts), whose global setup packs the package`);
  return JSON.parse(readFileSync(file, 'utf8')) as Packed;
}

/** `npm pack` in a checkout (its prepack builds dist/), into `dest`. */
export async function pack(checkout: string, dest: string): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: checkout, maxBuffer: 16 * 1024 * 1024, timeout: 180_000 });
  const report = packReport(stdout);
  return { tarball: join(dest, report.filename), files: report.files, size: report.size };
}

export interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The lock's entries that `names`, required from the root, need: each name resolved as Node
 * resolves it (the nearest node_modules folder up from its dependant), and theirs in turn. */
export function closure(packages: Record<string, LockEntry>, names: readonly string[]): Record<string, LockEntry> {
  const found: Record<string, LockEntry> = {};
  const visit = (from: string, name: string): void => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      const entry = packages[path];
      if (entry) {
        if (found[path]) return;
        found[path] = entry;
        for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(path, dep);
        return;
      }
      if (!base) return;
    }
  };
  for (const name of names) visit('', name);
  return found;
}

export interface Installed {
  code: number;
  output: string;
  ms: number;
}

/** `npm ARGS` in `dir`, timed. */
async function npmTimed(dir: string, args: string[]): Promise<Installed> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await run('npm', args, { cwd: dir, timeout: 180_000 });
    return { code: 0, output: stdout + stderr, ms: performance.now() - started };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}`, ms: performance.now() - started };
  }
}

/** A department's plain `npm install ./gdx-data-share-postman-<version>.tgz`, in `dir` (empty, but
 * for the package.json npm would make): nothing is fetched, since the package depends on nothing. */
export function installTarball(tarball: string, dir: string): Promise<Installed> {
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'department', private: true }, null, 2)}\n`);
  return npmTimed(dir, ['install', '--offline', '--no-audit', '--no-fund', tarball]);
}

/** npm's `$name` in overrides means "the root's own version of name": another root has none, so
 * the version is written out. */
function resolvedOverrides(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('$')) return MANIFEST.devDependencies[value.slice(1)];
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvedOverrides(v)]));
  return value;
}

/** Newman alone, at the version this repository bundles, installed as a department would install
 * it: `npm ci` of its production tree, from this repository's lock (whose tarballs npm's cache
 * holds), with this repository's overrides, without which the lock would not match Newman's exact
 * pins. The floor to compare with: a department that ran Newman itself would install this much. */
export function installBareNewman(dir: string): Promise<Installed> {
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const version = MANIFEST.devDependencies['newman']!;
  // Newman is a development tool of this repository: its entries are marked dev, which a
  // department's production install of it is not.
  const packages = Object.fromEntries(
    Object.entries(closure(lock.packages, ['newman'])).map(([path, entry]) => {
      const { dev: _dev, devOptional: _devOptional, ...rest } = entry;
      return [path, rest];
    }),
  );
  const dependencies = { newman: version };
  const overrides = resolvedOverrides(MANIFEST.overrides);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'department', private: true, dependencies, overrides }, null, 2)}\n`);
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: 'department', lockfileVersion: 3, requires: true, packages: { '': { name: 'department', dependencies }, ...packages } }, null, 2)}\n`,
  );
  return npmTimed(dir, ['ci', '--offline', '--omit=dev', '--no-audit', '--no-fund']);
}

/** Every file under `dir` with its size and a digest of its bytes: what "unchanged" is checked against. */
export function treeDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const path = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile())
        out.set(
          path,
          `${statSync(join(dir, path)).size} ${createHash('sha256')
            .update(readFileSync(join(dir, path)))
            .digest('hex')}`,
        );
      else out.set(path, 'link');
    }
  };
  walk('');
  return out;
}

/** The size on disk of a folder's files (apparent sizes, as du -sb counts them). */
export function treeBytes(dir: string): number {
  let total = 0;
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) total += statSync(child).size;
    }
  };
  walk(dir);
  return total;
}
