// A department's install of the package, with no network: the tarball is packed from a clean
// checkout (the files a commit would hold: no dist/, nothing ignored), then installed with
// --omit=dev into an empty folder by `npm ci --offline`, from a lock of this repository's own
// production tree, whose tarballs npm's cache holds since this repository was installed. That
// folder's package.json carries the package's overrides, which npm applies only at the root (so a
// department's manifest must carry them too: docs/ci/ says so); without them the lock would not
// match Newman's exact pins.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config/paths.js';

const run = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  license: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides: Record<string, unknown>;
  bin: Record<string, string>;
  engines: Record<string, string>;
}
export const MANIFEST = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Manifest;

/** What a commit of the working tree would hold (tracked and new files, nothing git ignores), in
 * `dest`; node_modules linked for the build. */
export async function cleanCheckout(dest: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: PROJECT_ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const path of stdout.split('\0').filter((p) => p && existsSync(join(PROJECT_ROOT, p)) && !statSync(join(PROJECT_ROOT, p)).isDirectory())) {
    mkdirSync(dirname(join(dest, path)), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, path), join(dest, path));
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
}

export interface Packed {
  tarball: string;
  files: { path: string; size: number }[];
  size: number;
}

/** `npm pack` in a checkout (its prepack builds dist/), into `dest`. */
export async function pack(checkout: string, dest: string): Promise<Packed> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dest], { cwd: checkout, maxBuffer: 16 * 1024 * 1024, timeout: 180_000 });
  const [report] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; size: number; files: { path: string; size: number }[] }[];
  return { tarball: join(dest, report!.filename), files: report!.files, size: report!.size };
}

/** npm's `$name` in overrides means "the root's own version of name": the department's root has
 * none, so the version is written out. */
function resolvedOverrides(value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith('$')) {
    const name = value.slice(1);
    return MANIFEST.dependencies[name] ?? MANIFEST.devDependencies[name];
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvedOverrides(v)]));
  return value;
}

/** The overrides a department's manifest needs to install exactly the tree this version was tested with. */
export function departmentOverrides(): Record<string, unknown> {
  return resolvedOverrides(MANIFEST.overrides) as Record<string, unknown>;
}

export interface LockEntry {
  dev?: boolean;
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

/** `npm ci --offline --omit=dev` in `dir` (empty) of `dependencies`, from the lock's entries
 * (`own` adds entries the lock does not have: the tarball under test). */
async function installFromLock(dir: string, dependencies: Record<string, string>, own: Record<string, unknown> = {}): Promise<Installed> {
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const needed = Object.keys(dependencies).flatMap((name) => {
    const entry = (own[`node_modules/${name}`] as LockEntry | undefined) ?? lock.packages[`node_modules/${name}`];
    return Object.keys({ ...entry?.dependencies, ...entry?.optionalDependencies });
  });
  const packages = { '': { name: 'department', dependencies }, ...closure(lock.packages, [...Object.keys(dependencies), ...needed]), ...own };
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'department', private: true, dependencies, overrides: departmentOverrides() }, null, 2)}\n`,
  );
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'department', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  const started = performance.now();
  try {
    const { stdout, stderr } = await run('npm', ['ci', '--offline', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, timeout: 180_000 });
    return { code: 0, output: stdout + stderr, ms: performance.now() - started };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}`, ms: performance.now() - started };
  }
}

/** Installs the tarball with --omit=dev into `dir` (empty), offline. */
export function installOffline(tarball: string, dir: string): Promise<Installed> {
  const spec = `file:${tarball}`;
  return installFromLock(
    dir,
    { [MANIFEST.name]: spec },
    {
      [`node_modules/${MANIFEST.name}`]: {
        version: MANIFEST.version,
        resolved: spec,
        integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
        license: MANIFEST.license,
        dependencies: MANIFEST.dependencies,
        bin: MANIFEST.bin,
        engines: MANIFEST.engines,
      },
    },
  );
}

/** Newman alone, at this repository's version, installed the same way: the floor to compare with. */
export function installBareNewman(dir: string): Promise<Installed> {
  return installFromLock(dir, { newman: MANIFEST.dependencies['newman']! });
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
