// The package as a department installs it: the tarball this run packed from a clean checkout,
// installed with a plain `npm install ./<tarball>` into an empty folder, and every command run
// from another folder, which is where .env is read and reports and exports are written. Nothing
// is ever written inside the install. The package is a bundle: it depends on nothing, so what runs
// is what this repository's lock resolved, at the versions its SBOM names.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import cacache from 'cacache';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { cleanEnv, creds } from './helpers/cli.js';
import { NODE_LINES, nodeLinesAbsent } from './helpers/node-lines.js';
import { installTarball, MANIFEST, packed, treeDigest, type Installed, type Packed } from './helpers/package-install.js';
import { registryAbsent, startRegistry } from './helpers/registry.js';
import { passTokenRequestOn, serve } from './helpers/servers.js';
import { startStandin, type Standin } from '../src/standin/server.js';

const root = mkdtempSync(join(tmpdir(), 'gdx-package-'));
const install = join(root, 'install');
const elsewhere = join(root, 'elsewhere');
const PACKAGE_DIR = join(install, 'node_modules', MANIFEST.name);
const BIN = join(install, 'node_modules', '.bin', 'gdx-data-share');
let tarball: Packed;
let installed: Installed;
let before: Map<string, string>;

beforeAll(async () => {
  tarball = packed();
  mkdirSync(install);
  mkdirSync(elsewhere);
  installed = await installTarball(tarball.tarball, install);
  before = treeDigest(install);
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** What changed inside the install since it was made: nothing may, whatever command ran. */
function installChanges(): string[] {
  const now = treeDigest(install);
  return [...[...now.keys()].filter((p) => now.get(p) !== before.get(p)), ...[...before.keys()].filter((p) => !now.has(p)).map((p) => `${p} (removed)`)];
}

/** The installed command, from `elsewhere`; `nodeBin` puts another Node.js first on PATH. Each
 * call checks afterwards that the command wrote nothing inside the install, so that the test
 * that ran it fails on its own if it did. */
async function gdx(args: string[], env: Record<string, string> = {}, options: { nodeBin?: string; timeout?: number } = {}): Promise<Ran> {
  const base = cleanEnv(env);
  if (options.nodeBin) base['PATH'] = [options.nodeBin, base['PATH']].join(delimiter);
  const ran = await new Promise<Ran>((resolve) => {
    execFile(BIN, args, { cwd: elsewhere, env: base, timeout: options.timeout ?? 90_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  // Asserted here, not in execFile's callback: a failure there would be thrown where no test
  // catches it, and the test would wait for its timeout instead of failing.
  expect(installChanges(), `gdx-data-share ${args.join(' ')} wrote inside the install`).toEqual([]);
  return ran;
}

interface Sbom {
  bomFormat: string;
  specVersion: string;
  metadata: { component: { name: string; version: string; purl: string } };
  components: { name: string; version: string; purl: string; licenses?: unknown[]; hashes?: { alg: string; content: string }[] }[];
}
const sbom = (): Sbom => JSON.parse(readFileSync(join(PACKAGE_DIR, 'dist', 'sbom.cdx.json'), 'utf8')) as Sbom;

describe('the packed tarball', () => {
  it('is at most 3 MB and holds the bundle, its SBOM and notices, the collections and environments in both forms, the docs, the seed and LICENSE', () => {
    expect(tarball.size).toBeLessThanOrEqual(3 * 1024 * 1024);
    const paths = tarball.files.map((f) => f.path);
    for (const expected of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/cli.js',
      'dist/validators.cjs',
      'dist/sbom.cdx.json',
      'dist/THIRD-PARTY-NOTICES.txt',
      'docs/testers.md',
      'docs/security.md',
      'docs/seed/how-to-generate-an-access-token.txt',
      'scripts/get-token.sh',
      'src/schemas/event.json',
      'collections/gdx-data-share.demo.postman_collection.json',
      'environments/gdx-data-share.integration.postman_environment.json',
      'postman/environments/local.yaml',
      'postman/collections/GDX Data Share (dev)/Get an access token/Basic authorization.request.yaml',
    ])
      expect(paths, expected).toContain(expected);
    expect(paths.filter((p) => /^dist\/chunks\/.+\.js$/.test(p)).length).toBeGreaterThan(3);
    expect(paths.filter((p) => /^(collections|environments)\//.test(p))).toHaveLength(8);
  });

  it('holds no tests, CI, lint or TypeScript configuration, sources, source maps or build stamp', () => {
    const unwanted = tarball.files
      .map((f) => f.path)
      .filter((p) =>
        /^(test|\.ci|\.github|scripts\/(?!get-token\.sh$))|^(tsconfig|vitest|eslint|\.prettier|\.dependency-cruiser)|\.ts$|\.map$|\.built$|^src\/(?!schemas\/)/.test(
          p,
        ),
      );
    expect(unwanted).toEqual([]);
  });

  it('is clean under publint --strict, warnings and suggestions included', async () => {
    const bytes = readFileSync(tarball.tarball);
    const { messages, pkg } = await publint({
      pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) },
      strict: true,
      level: 'suggestion',
    });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`)).toEqual([]);
  });

  it('says what it is: not private, no dependency of any kind, the gdx-data-share command and no gdx, engines >=22, and a shebang', () => {
    const manifest = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest['private']).toBeUndefined();
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies'])
      expect(manifest[field], field).toBeUndefined();
    expect(manifest['bin']).toEqual({ 'gdx-data-share': 'dist/cli.js' });
    expect(manifest['engines']).toEqual({ node: '>=22' });
    expect(readFileSync(join(PACKAGE_DIR, 'dist', 'cli.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('what the bundle holds, as its SBOM and notices say', () => {
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  // npm's cache, where this repository's install put every tarball of the lock.
  const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const locked = new Set(
    Object.entries(lock.packages)
      .filter(([path]) => path)
      .map(([path, p]) => `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${p.version}`),
  );

  it('is CycloneDX 1.5 for this package, naming the runtime it runs at the versions the lock resolved, each with its hash', async () => {
    const doc = sbom();
    expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    expect(doc.metadata.component).toMatchObject({ name: MANIFEST.name, version: MANIFEST.version, purl: `pkg:npm/${MANIFEST.name}@${MANIFEST.version}` });
    const names = doc.components.map((c) => `${c.name}@${c.version}`);
    for (const expected of ['newman@6.2.2', 'yargs@18.2.0', 'undici@7.30.2', 'jose@6.2.18', 'node-forge@1.4.3', 'yaml@2.9.1'])
      expect(names, expected).toContain(expected);
    for (const name of ['postman-runtime', 'postman-sandbox', 'postman-collection', 'lodash', 'ajv', 'flatted'])
      expect(
        doc.components.some((c) => c.name === name),
        name,
      ).toBe(true);
    // Every component, at its version, is one the lock installed: nothing invented, nothing drifted.
    expect(names.filter((n) => !locked.has(n))).toEqual([]);
    expect(doc.components.every((c) => c.purl === `pkg:npm/${c.name.replace(/^@/, '%40')}@${c.version}`)).toBe(true);
    expect(doc.components.filter((c) => !c.licenses).map((c) => c.name)).toEqual([]);
    // Each with the SHA-512 of the registry's tarball: newman's, recomputed from the bytes in npm's cache.
    expect(doc.components.filter((c) => c.hashes?.[0]?.alg !== 'SHA-512').map((c) => c.name)).toEqual([]);
    const integrity = (lock.packages['node_modules/newman'] as { integrity: string }).integrity;
    const bytes = await cacache.get.byDigest(join(npmCache, '_cacache'), integrity);
    expect(doc.components.find((c) => c.name === 'newman')!.hashes![0]!.content).toBe(createHash('sha512').update(bytes).digest('hex'));
    // Development tools are not in it, nor what the bundle's mends leave out (scripts/build/bundle.mjs).
    for (const dev of ['typescript', 'vitest', 'esbuild', 'eslint', 'handlebars', 'brotli'])
      expect(
        doc.components.some((c) => c.name === dev),
        dev,
      ).toBe(false);
  });

  it('holds no component below the fix of an advisory in scripts/build/advisories.json, and all but Handlebars (left out) are there to check', () => {
    const list = (
      JSON.parse(readFileSync(join(PROJECT_ROOT, 'scripts', 'build', 'advisories.json'), 'utf8')) as {
        advisories: { package: string; fixed: string; ids: string[]; reason: string }[];
      }
    ).advisories;
    expect(list.length).toBeGreaterThanOrEqual(7);
    for (const a of list) expect(a.reason.length, a.package).toBeGreaterThan(10);
    const components = sbom().components;
    expect(list.filter((a) => components.some((c) => c.name === a.package)).map((a) => a.package)).toEqual([
      'node-forge',
      'lodash',
      'qs',
      'flatted',
      'underscore',
      'jose',
    ]);
    const vulnerable = components.flatMap((c) =>
      list.filter((a) => a.package === c.name && semver.lt(c.version, a.fixed)).map((a) => `${c.name}@${c.version} < ${a.fixed}`),
    );
    expect(vulnerable).toEqual([]);
  });

  it("THIRD-PARTY-NOTICES.txt carries every component's licence, the five without a licence file written out from what they declare", () => {
    const notices = readFileSync(join(PACKAGE_DIR, 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    const headings = [...notices.matchAll(/^-{78}\n(\S+) (\S+) {2}\(.+\)\n-{78}$/gm)].map((m) => `${m[1]}@${m[2]}`);
    expect(headings).toEqual(sbom().components.map((c) => `${c.name}@${c.version}`));
    const writtenOut = [...notices.matchAll(/^\[(\S+) ships no licence file; this is the (\S+) licence it declares\.\]$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(writtenOut).toEqual(['@faker-js/faker MIT', 'assert-plus MIT', 'des.js MIT', 'node-oauth1 Apache-2.0', 'stream-length WTFPL']);
    expect(notices).toContain('Copyright (c) Fedor Indutny');
    expect(notices).toContain('Apache License\nVersion 2.0, January 2004');
    expect(notices).toContain('Permission is hereby granted, free of charge');
    expect(notices).not.toMatch(/<year>|<copyright holders>/);
  });
});

describe('installed with a plain npm install of the tarball, in an empty folder', () => {
  it('installs one package and nothing else: no dependency, no development tool', () => {
    expect(installed.code, installed.output).toBe(0);
    expect(readdirSync(join(install, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', MANIFEST.name]);
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
    // Killed by a signal, a process has no exit code but a signal code: either says it is gone.
    await new Promise((resolve) => (standin.exitCode !== null || standin.signalCode !== null ? resolve(undefined) : standin.once('exit', resolve)));
    expect(installChanges(), 'the stand-in wrote inside the install').toEqual([]);
  });

  describe('token against a token endpoint that answers 429', () => {
    let standin: Standin;
    beforeAll(async () => {
      standin = await startStandin();
    });
    afterAll(() => standin.stop());

    /** Answers the first POST 429 with `retryAfter`, then hands every later one to the stand-in. */
    async function limitedOnce(retryAfter: string) {
      let posts = 0;
      const server = await serve((req, res) => {
        posts++;
        if (posts > 1) return passTokenRequestOn(req, res, standin.tokenUrl);
        req.resume();
        res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': retryAfter });
        res.end('{"message":"Too many requests"}');
      });
      return { ...server, posts: () => posts };
    }

    it('Retry-After 1: waits, asks once more and prints the token', async () => {
      const server = await limitedOnce('1');
      try {
        const res = await gdx(['token', '--env', 'dev', '--token-url', `${server.url}/oauth2/token`], creds('dev', LOCAL_CLIENTS.acquirer));
        expect(res.code, res.stderr).toBe(0);
        expect(res.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
        expect(server.posts()).toBe(2);
      } finally {
        await server.close();
      }
    });

    it('Retry-After 30: exit 3, naming the wait, after one request (no internal error)', async () => {
      const server = await limitedOnce('30');
      try {
        const res = await gdx(['token', '--env', 'dev', '--token-url', `${server.url}/oauth2/token`], creds('dev', LOCAL_CLIENTS.acquirer));
        expect(res.code, res.stderr).toBe(3);
        expect(res.stderr).toMatch(/answered 429: rate limited; try again in (29|30|31) s/);
        expect(res.stderr).not.toMatch(/internal error|ENOENT/);
        expect(server.posts()).toBe(1);
      } finally {
        await server.close();
      }
    });
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

  const absent = nodeLinesAbsent();
  describe.skipIf(!!absent && process.env['CI'] !== 'true')(`on every maintained Node.js line${absent ? ` (skipped: ${absent})` : ''}`, () => {
    for (const line of NODE_LINES) {
      it(`Node.js ${line.version}: --version, smoke and doctor run, and print no warning`, async () => {
        const out = join(root, `reports-node-${line.major}`);
        const version = await new Promise<string>((resolve) => execFile(join(line.bin, 'node'), ['--version'], (_e, stdout) => resolve(stdout.trim())));
        expect(version).toBe(`v${line.version}`);
        const ran = [
          await gdx(['--version'], {}, { nodeBin: line.bin }),
          await gdx(['smoke', '--reporters', 'cli,junit,json,html', '--out', out], {}, { nodeBin: line.bin }),
          await gdx(['doctor', '--env', 'local'], {}, { nodeBin: line.bin }),
        ];
        for (const res of ran) {
          expect(res.code, res.stdout + res.stderr).toBe(0);
          // Node prints every runtime warning (DEP0176 on 24 from Newman's secure-fs, before the
          // bundle mended it) to stderr as "(node:PID) …Warning".
          expect(res.stderr).not.toMatch(/Warning|\(node:\d+\)/);
          expect(res.stdout).not.toMatch(/DeprecationWarning|ExperimentalWarning/);
        }
        const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { exitCode: number; node?: string };
        expect(summary.exitCode).toBe(0);
      }, 120_000);
    }
  });

  it('the check that each command above wrote nothing inside the install sees a file written there', () => {
    const stray = join(PACKAGE_DIR, 'dist', 'stray.txt');
    writeFileSync(stray, 'x');
    try {
      expect(installChanges()).toEqual([`node_modules/${MANIFEST.name}/dist/stray.txt`]);
    } finally {
      rmSync(stray);
    }
    expect(installChanges()).toEqual([]);
  });
});

// A department installs from its mirror: the same package, from a registry on loopback.
const noRegistry = registryAbsent();
describe.skipIf(!!noRegistry && process.env['CI'] !== 'true')(
  `from a registry on loopback, as from a department's mirror${noRegistry ? ` (skipped: ${noRegistry})` : ''}`,
  () => {
    it('npm install gdx-data-share-postman@VERSION, with no manifest or overrides of the department, fetches this one package and runs', async () => {
      const dir = join(root, 'from-registry');
      mkdirSync(join(dir, 'tools'), { recursive: true });
      const registry = await startRegistry(join(dir, 'registry'), packed().tarball);
      try {
        const npm = await new Promise<Ran>((resolve) => {
          execFile(
            'npm',
            ['install', '--prefix', 'tools', '--no-audit', '--no-fund', `${MANIFEST.name}@${MANIFEST.version}`],
            { cwd: dir, env: cleanEnv({ npm_config_registry: registry.url, npm_config_cache: join(dir, 'npm-cache') }), timeout: 180_000 },
            (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
          );
        });
        expect(npm.code, npm.stdout + npm.stderr).toBe(0);
        // npm's cache for this install (a fresh one) holds what it fetched, keyed by URL: the
        // package's metadata and its tarball, from the registry, and nothing else.
        const fetched = Object.keys(await cacache.ls(join(dir, 'npm-cache', '_cacache'))).map((k) => k.replace(/^make-fetch-happen:request-cache:/, ''));
        expect(fetched.sort()).toEqual([`${registry.url}${MANIFEST.name}`, `${registry.url}${MANIFEST.name}/-/${MANIFEST.name}-${MANIFEST.version}.tgz`]);
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
