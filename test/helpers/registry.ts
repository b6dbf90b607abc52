// A registry on loopback, the way a department's mirror serves one: Verdaccio 6.8.0 (from
// .ci/clients, with the big clients), with no uplink, its storage filled beforehand with the
// package's tarball, which is all a department's mirror needs: the package is a bundle that
// depends on nothing. npm is pointed at it by npm_config_registry, as a department points npm at
// its mirror.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CLIENTS_DIR } from './clients.js';
import { MANIFEST } from './package-install.js';

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

/** Starts the registry in `dir`, serving `tarball`, the package. */
export async function startRegistry(dir: string, tarball: string): Promise<Registry> {
  const manifest: Version = { name: MANIFEST.name, version: MANIFEST.version, bin: MANIFEST.bin, engines: MANIFEST.engines, license: MANIFEST.license };
  const versions = new Map([[MANIFEST.name, [{ manifest, bytes: readFileSync(tarball) }]]]);
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

/** A mirror that asks for a token, as a department's Artifactory or Nexus does: in front of
 * `registry`, it answers 401 to any request without `Authorization: Bearer <token>` and hands the
 * rest on, Host and all, so that the tarball URLs the registry writes point back at the gate. */
export async function tokenGate(registry: Registry, token: string): Promise<Registry & { refused: () => number }> {
  const target = new URL(registry.url);
  let refused = 0;
  const server: Server = createHttpServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      refused++;
      req.resume();
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="mirror"' });
      return void res.end('{"error":"authentication required"}');
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, timeout: 30_000 },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return {
    url,
    refused: () => refused,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
