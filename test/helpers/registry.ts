// A registry on loopback, the way a department's mirror serves one: Verdaccio 6.8.0 (from
// .ci/clients, with the big clients), with no uplink, its storage filled beforehand with every
// package of this repository's production tree (their tarballs from npm's cache, where this
// repository's own install put them) and the package's tarball. npm is pointed at it by
// npm_config_registry, as a department points npm at its mirror.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import cacache from 'cacache';
import { PROJECT_ROOT } from '../../src/config/paths.js';
import { CLIENTS_DIR } from './clients.js';
import { closure, MANIFEST, type LockEntry } from './package-install.js';

export const VERDACCIO = join(CLIENTS_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');

export interface Registry {
  url: string;
  stop(): Promise<void>;
}

interface Version {
  name: string;
  version: string;
  [field: string]: unknown;
}

const FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'license', 'os', 'cpu'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Writes each package's versions, and their tarballs, into Verdaccio's storage. */
function store(storage: string, versions: Map<string, { manifest: Version; bytes: Buffer }[]>): void {
  for (const [name, list] of versions) {
    const dir = join(storage, name);
    mkdirSync(dir, { recursive: true });
    const file = (v: Version): string => `${name.split('/').pop()!}-${v.version}.tgz`;
    const packument = {
      name,
      versions: Object.fromEntries(
        list.map(({ manifest, bytes }) => [
          manifest.version,
          {
            ...manifest,
            _id: `${name}@${manifest.version}`,
            dist: {
              tarball: `http://localhost/${name}/-/${file(manifest)}`,
              shasum: createHash('sha1').update(bytes).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
            },
          },
        ]),
      ),
      'dist-tags': { latest: list[list.length - 1]!.manifest.version },
      time: {},
      _uplinks: {},
      _distfiles: {},
      _attachments: Object.fromEntries(list.map(({ manifest, bytes }) => [file(manifest), { shasum: createHash('sha1').update(bytes).digest('hex') }])),
      _rev: '1-0000000000000000',
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify(packument));
    for (const { manifest, bytes } of list) writeFileSync(join(dir, file(manifest)), bytes);
  }
}

/** Starts the registry in `dir`, serving this repository's production tree and `tarball`. */
export async function startRegistry(dir: string, tarball: string): Promise<Registry> {
  const { stdout } = await promisify(execFile)('npm', ['config', 'get', 'cache']);
  const cache = join(stdout.trim(), '_cacache');
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry & { version: string; integrity: string }>;
  };
  const versions = new Map<string, { manifest: Version; bytes: Buffer }[]>();
  const add = (manifest: Version, bytes: Buffer): void => {
    const list = versions.get(manifest.name) ?? [];
    if (!list.some((v) => v.manifest.version === manifest.version)) list.push({ manifest, bytes });
    versions.set(manifest.name, list);
  };
  for (const [path, entry] of Object.entries(closure(lock.packages, Object.keys(MANIFEST.dependencies)))) {
    const full = lock.packages[path]!;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    let bytes: Buffer;
    try {
      bytes = await cacache.get.byDigest(cache, full.integrity);
    } catch {
      throw new Error(`npm's cache (${cache}) has no tarball of ${name}@${full.version}: run npm ci in the project first`);
    }
    const fields = Object.fromEntries(
      FIELDS.filter((f) => (entry as Record<string, unknown>)[f] !== undefined).map((f) => [f, (entry as Record<string, unknown>)[f]]),
    );
    add({ name, version: full.version, ...fields }, bytes);
  }
  add(
    {
      name: MANIFEST.name,
      version: MANIFEST.version,
      dependencies: MANIFEST.dependencies,
      bin: MANIFEST.bin,
      engines: MANIFEST.engines,
      license: MANIFEST.license,
    },
    readFileSync(tarball),
  );
  const storage = join(dir, 'storage');
  store(storage, versions);
  const port = await freePort();
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(storage)}`,
      'uplinks: {}',
      'packages:',
      "  '@*/*': { access: $all, publish: $all }",
      "  '**': { access: $all, publish: $all }",
      'log: { type: stdout, format: pretty, level: warn }',
      'web: { enable: false }',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`Verdaccio did not start on ${url}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const registryAbsent = (): string =>
  existsSync(VERDACCIO) ? '' : `not installed: ${VERDACCIO} (run npm install --prefix .ci/clients --no-save, as .ci/run does)`;
