// The package as a department installs it: packed from a clean checkout, installed with
// --omit=dev into an empty folder, and every command run from another folder, which is where
// .env is read and reports and exports are written. Nothing is ever written inside the install.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cacache from 'cacache';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { cleanEnv } from './helpers/cli.js';
import { cleanCheckout, departmentOverrides, installOffline, MANIFEST, pack, treeDigest, type Packed } from './helpers/package-install.js';
import { registryAbsent, startRegistry } from './helpers/registry.js';

const root = mkdtempSync(join(tmpdir(), 'gdx-package-'));
const install = join(root, 'install');
const elsewhere = join(root, 'elsewhere');
const BIN = join(install, 'node_modules', '.bin', 'gdx-data-share');
let packed: Packed;
let installed: { code: number; output: string };
let before: Map<string, string>;

beforeAll(async () => {
  const checkout = join(root, 'checkout');
  mkdirSync(checkout);
  await cleanCheckout(checkout);
  packed = await pack(checkout, root);
  mkdirSync(install);
  mkdirSync(elsewhere);
  installed = await installOffline(packed.tarball, install);
  before = treeDigest(install);
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}
function gdx(args: string[], env: Record<string, string> = {}, timeout = 90_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(BIN, args, { cwd: elsewhere, env: cleanEnv(env), timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the packed tarball', () => {
  it('is at most 1 MB and holds the command, the collections and environments in both forms, the docs, the seed and LICENSE', () => {
    expect(packed.size).toBeLessThanOrEqual(1024 * 1024);
    const paths = packed.files.map((f) => f.path);
    for (const expected of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/cli.js',
      'dist/validators.cjs',
      'docs/testers.md',
      'docs/seed/how-to-generate-an-access-token.txt',
      'scripts/get-token.sh',
      'src/schemas/event.json',
      'collections/gdx-data-share.demo.postman_collection.json',
      'environments/gdx-data-share.integration.postman_environment.json',
      'postman/environments/local.yaml',
      'postman/collections/GDX Data Share (dev)/Get an access token/Basic authorization.request.yaml',
    ])
      expect(paths, expected).toContain(expected);
    expect(paths.filter((p) => /^(collections|environments)\//.test(p))).toHaveLength(8);
  });

  it('holds no tests, CI, lint or TypeScript configuration, sources or source maps', () => {
    const unwanted = packed.files
      .map((f) => f.path)
      .filter((p) =>
        /^(test|\.ci|\.github|scripts\/(?!get-token\.sh$))|^(tsconfig|vitest|eslint|\.prettier|\.dependency-cruiser)|\.ts$|\.map$|\.tsbuildinfo$|^src\/(?!schemas\/)/.test(
          p,
        ),
      );
    expect(unwanted).toEqual([]);
  });

  it('is clean under publint --strict, warnings and suggestions included', async () => {
    const bytes = readFileSync(packed.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      strict: true,
      level: 'suggestion',
    });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`)).toEqual([]);
  });

  it('says what it is: not private, the gdx-data-share command and no gdx, engines, and a shebang', () => {
    const manifest = JSON.parse(readFileSync(join(install, 'node_modules', MANIFEST.name, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['private']).toBeUndefined();
    expect(manifest['bin']).toEqual({ 'gdx-data-share': 'dist/cli.js' });
    expect(manifest['engines']).toEqual({ node: '>=20.18.1' });
    expect(readFileSync(join(install, 'node_modules', MANIFEST.name, 'dist', 'cli.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('installed with --omit=dev in an empty folder', () => {
  it("installs, with no typescript, vitest, eslint or the generator's Postman SDK in the tree", () => {
    expect(installed.code, installed.output).toBe(0);
    for (const dev of ['typescript', 'vitest', 'eslint', 'tsx', 'ajv-formats', 'esbuild'])
      expect(existsSync(join(install, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(BIN)).toBe(true);
  });

  it('--version prints the version', async () => {
    const res = await gdx(['--version']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(`${MANIFEST.version}\n`);
  });

  it('smoke, with no arguments, runs on the local stand-in and writes its reports where it runs', async () => {
    const res = await gdx(['smoke', '--reporters', 'junit,json']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(elsewhere, 'reports', 'summary.json'), 'utf8')) as { exitCode: number; version: string };
    expect(summary).toMatchObject({ exitCode: 0, version: MANIFEST.version });
    expect(readFileSync(join(elsewhere, 'reports', 'junit.xml'), 'utf8')).toContain(
      `<property name="gdx-data-share-postman.version" value="${MANIFEST.version}"/>`,
    );
  });

  it('standin serves, and token reads its credentials and URL from the .env where it runs', async () => {
    const standin = spawn(BIN, ['standin', '--port', '0', '--quiet'], { cwd: elsewhere, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`the stand-in did not start: ${out}`)), 20_000);
        standin.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const { clientId, clientSecret } = LOCAL_CLIENTS.acquirer;
      writeFileSync(
        join(elsewhere, '.env'),
        `GDX_LOCAL_CLIENT_ID=${clientId}\nGDX_LOCAL_CLIENT_SECRET=${clientSecret}\nGDX_LOCAL_TOKEN_URL=${url}/oauth2/token\n`,
      );
      const res = await gdx(['token', '--env', 'local']);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const payload = JSON.parse(Buffer.from(res.stdout.split('.')[1]!, 'base64url').toString()) as { client_id: string };
      expect(payload.client_id).toBe(clientId);
    } finally {
      standin.kill('SIGTERM');
      rmSync(join(elsewhere, '.env'), { force: true });
    }
  });

  it('doctor --env local is green', async () => {
    const res = await gdx(['doctor', '--env', 'local']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
  });

  it("export writes the repository's files, byte for byte", async () => {
    const res = await gdx(['export', '--env', 'demo']);
    expect(res.code, res.stderr).toBe(0);
    for (const path of [
      'collections/gdx-data-share.demo.postman_collection.json',
      'environments/gdx-data-share.demo.postman_environment.json',
      'postman/environments/demo.yaml',
    ])
      expect(readFileSync(join(elsewhere, 'gdx-data-share-files', path)).equals(readFileSync(join(PROJECT_ROOT, path))), path).toBe(true);
  });

  it('generate refuses (exit 2): the package ships the files built, and its folder may be read-only', async () => {
    const res = await gdx(['generate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'error: generate rebuilds the files from their sources, in a clone of the repository; this installed package ships them built: use export\n',
    );
  });

  it('changed nothing inside the install folder, after every command above', () => {
    const after = treeDigest(install);
    expect([...after.keys()].filter((p) => after.get(p) !== before.get(p))).toEqual([]);
    expect([...before.keys()].filter((p) => !after.has(p))).toEqual([]);
  });
});

// A department installs from its mirror: the same package, from a registry on loopback.
const noRegistry = registryAbsent();
describe.skipIf(!!noRegistry && process.env['CI'] !== 'true')(
  `from a registry on loopback, as from a department's mirror${noRegistry ? ` (skipped: ${noRegistry})` : ''}`,
  () => {
    it('npm install gdx-data-share-postman@VERSION, with the overrides the docs give, installs a command that runs', async () => {
      const dir = join(root, 'from-registry');
      mkdirSync(join(dir, 'tools'), { recursive: true });
      const registry = await startRegistry(join(dir, 'registry'), packed.tarball);
      try {
        writeFileSync(join(dir, 'tools', 'package.json'), `${JSON.stringify({ private: true, overrides: departmentOverrides() }, null, 2)}\n`);
        const npm = await new Promise<Ran>((resolve) => {
          execFile(
            'npm',
            ['install', '--no-audit', '--no-fund', `${MANIFEST.name}@${MANIFEST.version}`],
            { cwd: join(dir, 'tools'), env: cleanEnv({ npm_config_registry: registry.url, npm_config_cache: join(dir, 'npm-cache') }), timeout: 180_000 },
            (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
          );
        });
        expect(npm.code, npm.stdout + npm.stderr).toBe(0);
        // Every package came from the registry, this one included: npm's cache for this install
        // (a fresh one) holds what it fetched, keyed by URL.
        const fetched = Object.keys(await cacache.ls(join(dir, 'npm-cache', '_cacache'))).map((k) => k.replace(/^make-fetch-happen:request-cache:/, ''));
        expect(fetched).toContain(`${registry.url}${MANIFEST.name}/-/${MANIFEST.name}-${MANIFEST.version}.tgz`);
        expect(fetched.filter((u) => !u.startsWith(registry.url))).toEqual([]);
        expect(fetched.length).toBeGreaterThan(100);
        const res = await new Promise<Ran>((resolve) => {
          execFile(join(dir, 'tools', 'node_modules', '.bin', 'gdx-data-share'), ['--version'], { cwd: dir, env: cleanEnv() }, (err, stdout, stderr) =>
            resolve({ code: err ? 1 : 0, stdout, stderr }),
          );
        });
        expect(res.stdout).toBe(`${MANIFEST.version}\n`);
      } finally {
        await registry.stop();
      }
    }, 240_000);
  },
);
