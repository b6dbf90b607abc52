// The tester's handbook cannot drift from the code: every sh block in it runs here, verbatim,
// against the stand-in, and every message the scripts and the runner can print is in its table.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tokenizer } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_VARIABLES, foldersFor } from '../src/catalogue.js';
import { OAUTH_HINTS } from '../src/token-policy.js';
import { findEnvironment, LOCAL_CLIENTS } from '../src/config/environments.js';
import { PROJECT_ROOT, SANDBOX_DIR } from '../src/config/paths.js';
import { describeNetworkError } from '../src/transport/http.js';
import { makePrivateCa } from '../src/standin/private-ca.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { readDotEnv } from '../src/config/dotenv.js';
import { cleanEnv } from './helpers/cli.js';
import { CLIENTS_DIR, missingClients, withGuardProxy } from './helpers/clients.js';

const HANDBOOK = readFileSync(join(PROJECT_ROOT, 'docs', 'testers.md'), 'utf8');
const blocks = [...HANDBOOK.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

// A client with both demo roles' scopes, so that each recipe (supplier's and acquirer's) can run.
const CLIENT = LOCAL_CLIENTS.publisherConsumer;

let standin: Standin;
let departmentCa = '';
beforeAll(async () => {
  standin = await startStandin();
  departmentCa = makePrivateCa().caCert;
});
afterAll(() => standin.stop());

describe('docs/testers.md', () => {
  it('is linked from the README', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')).toContain('(docs/testers.md)');
  });

  it("gives the GDX guide's token URLs, exactly as the guide does, and links the guide", () => {
    const guide = readFileSync(join(PROJECT_ROOT, 'docs', 'seed', 'how-to-generate-an-access-token.txt'), 'utf8');
    const urls = [...guide.matchAll(/^(dev|demo|integration) \| (https:\/\/\S+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(urls.map(([env]) => env)).toEqual(['dev', 'demo', 'integration']);
    for (const [env, url] of urls) expect(HANDBOOK).toContain(`| ${env} | \`${url}\` |`);
    expect(HANDBOOK).toContain('](seed/how-to-generate-an-access-token.txt)');
  });

  it('opens with the Postman-only path, in at most 1,000 words: import, credentials, first token, which folder, what each changes, help', () => {
    const path = HANDBOOK.slice(0, HANDBOOK.indexOf('\n## 2. '));
    const words = path.split(/\s+/).filter(Boolean).length;
    expect(words).toBeLessThanOrEqual(1_000);
    expect([...path.matchAll(/^#{2,3} (.*)$/gm)].map((m) => m[1])).toEqual([
      '1. With Postman only',
      'Import',
      'The environments',
      'Where the client id and secret go',
      'Your first token',
      'Which folder to run',
      'What each folder changes',
      'Where to get help',
    ]);
    // Today's Postman first: one value a variable, kept on this machine unless shared.
    expect(path).toContain('**Postman 11 and later**: a variable has one value, and it stays on your machine unless you\n  **Share** it');
    expect(path).not.toMatch(/npm run|this repository|the README/);
  });

  it('has command blocks to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  // A recipe for another client runs wherever that client is installed (.ci/clients, from .ci/run).
  const CLIENT_TOOLS = /^(postman|bru) /m;
  const noClients = missingClients();
  for (const [i, block] of blocks.entries()) {
    const skip = CLIENT_TOOLS.test(block) && !!noClients && process.env.CI !== 'true';
    it.skipIf(skip)(
      `block ${i + 1} runs against the stand-in, with the credentials in .env as the handbook says: ${block.split('\n').find((l) => l && !l.startsWith('#') && !l.startsWith('set -a'))}${skip ? ` (skipped: ${noClients})` : ''}`,
      async () => {
        // A tester's folder: the project's files, and a .env with the demo credentials (the
        // handbook's advice), so that every recipe must read them from there.
        const dir = mkdtempSync(join(tmpdir(), 'gdx-handbook-'));
        try {
          for (const entry of ['package.json', 'scripts', 'node_modules', 'dist', 'src', 'collections', 'environments', 'postman', 'tsconfig.json']) {
            symlinkSync(join(PROJECT_ROOT, entry), join(dir, entry));
          }
          writeFileSync(join(dir, '.env'), `GDX_DEMO_CLIENT_ID=${CLIENT.clientId}\nGDX_DEMO_CLIENT_SECRET=${CLIENT.clientSecret}\n`);
          // The department's root CA the section 7 recipes name (the stand-in here is plain http).
          writeFileSync(join(dir, 'department-root-ca.pem'), departmentCa);
          // Every real environment's URLs point at the stand-in, whichever a recipe names.
          const urls = cleanEnv(
            Object.fromEntries(
              ['DEV', 'DEMO', 'INTEGRATION'].flatMap((name) => [
                [`GDX_${name}_TOKEN_URL`, standin.tokenUrl],
                [`GDX_${name}_BASE_URL`, standin.baseUrl],
              ]),
            ),
          );
          // Another client goes through the suite's guard proxy, as in the client tests.
          const env = CLIENT_TOOLS.test(block) ? withGuardProxy(urls) : urls;
          const before = standin.counters();
          // gdx-data-share on PATH, as an install of the package puts it there (npm's shim runs the
          // same dist/cli.js; test/package.test.ts runs the real one).
          const bin = join(dir, '.bin');
          mkdirSync(bin);
          writeFileSync(join(bin, 'gdx-data-share'), `#!/bin/sh\nexec "${process.execPath}" "${join(PROJECT_ROOT, 'dist', 'cli.js')}" "$@"\n`, { mode: 0o755 });
          env.PATH = `${bin}:${join(CLIENTS_DIR, 'node_modules', '.bin')}:${env.PATH ?? ''}`;
          const { stdout, stderr } = await promisify(execFile)('bash', ['-c', `set -euo pipefail\n${block}`], {
            cwd: dir,
            env,
            timeout: 90_000,
            maxBuffer: 16 * 1024 * 1024,
          });
          expect(stdout + stderr).not.toContain(CLIENT.clientSecret + '\n');
          // It ran against a stand-in: this one counted what a recipe for a real environment (named
          // by --env or by its files) asked of it; a recipe for local ran the stand-in the runner
          // starts itself, and says so.
          const after = standin.counters();
          const asked = (c: typeof after): number => c.tokenRequestsTotal + c.apiRequestsTotal;
          const commands = block.replace(/^\s*#.*$/gm, '');
          // A recipe that only exports files asks nothing of anyone: it names what it wrote.
          if (/^(\s*gdx-data-share export .*\n?)+$/.test(commands.trim())) expect(stdout + stderr).toMatch(/files written to /);
          else if (/\b(dev|demo|integration)\b/.test(commands)) expect(asked(after), stdout + stderr).toBeGreaterThan(asked(before));
          else expect(stdout).toMatch(/^local \(local-acquirer, acquirer\)\s+\d+/m);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      120_000,
    );
  }

  // No PowerShell runs here (none installs from npm or Debian): what can be checked without it is.
  describe('its PowerShell twins', () => {
    const fences = [...HANDBOOK.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
    const commands = (body: string): string[] =>
      body
        .split('\n')
        .map((l) => l.replace(/\s+#.*$/, '').trim())
        .filter((l) => l && !l.startsWith('#'));

    it('follow every sh recipe, and run the same commands of this project', () => {
      fences.forEach((f, i) => {
        if (f.lang !== 'sh') return;
        const twin = fences[i + 1];
        expect(twin?.lang, `the block after:\n${f.body}`).toBe('powershell');
        // npm run X -- args is node scripts/gdx.mjs X args there (PowerShell may swallow the --).
        // (get-token.sh's twin is the PowerShell of it, or npm run token's beside it.)
        const ours = (body: string, pattern: RegExp) =>
          commands(body).flatMap((l) => [...l.matchAll(pattern)].map((m) => `${m[1] ?? m[3]} ${(m[2] ?? m[4])?.trim() ?? ''}`.trim()));
        expect(ours(twin!.body, /(?:node scripts\/gdx\.mjs|gdx-data-share) (\w+)((?: --?[\w-]+(?: [\w.,/-]+)?)*)/g), f.body).toEqual(
          ours(
            f.body,
            /(?:npm run (?:-s )?(smoke|token|doctor|generate)(?: --((?: --?[\w-]+(?: [\w.,/-]+)?)*))?|gdx-data-share (\w+)((?: --?[\w-]+(?: [\w.,/-]+)?)*))/g,
          ),
        );
      });
    });

    it('use no bash syntax', () => {
      for (const f of fences.filter((x) => x.lang === 'powershell')) {
        for (const line of commands(f.body)) expect(line, line).not.toMatch(/^(set -a|export )|=\$\((npm|scripts)|\$\{|\\$| \. \.\/\.env/);
      }
    });

    it('read .env as the runner does', () => {
      const reader = fences.find((f) => f.lang === 'powershell' && f.body.includes('Get-Content .env'))!.body;
      const pattern = /-match '([^']+)'/.exec(reader)![1]!;
      const sample = `# credentials\r\nGDX_DEMO_CLIENT_ID=abc123\r\n\r\nexport GDX_DEMO_CLIENT_SECRET="s3cret with spaces"\nGDX_CA_FILE='C:\\certs\\root ca.pem'\n  GDX_DEMO_TOKEN_URL = https://127.0.0.1:4010/oauth2/token\n`;
      const read: Record<string, string> = {};
      // Get-Content splits lines as this does; -match and -replace are .NET regexes, the same here.
      for (const line of sample.split(/\r?\n/)) {
        const m = new RegExp(pattern).exec(line);
        if (m) read[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      }
      const dir = mkdtempSync(join(tmpdir(), 'gdx-ps-env-'));
      writeFileSync(join(dir, '.env'), sample);
      expect(read).toEqual(readDotEnv(join(dir, '.env')));
      expect(read['GDX_DEMO_CLIENT_SECRET']).toBe('s3cret with spaces');
      // Every recipe that reads .env reads it with that same line.
      for (const f of fences.filter((x) => x.lang === 'powershell' && x.body.includes('Get-Content'))) expect(f.body).toContain(reader.trim());
    });
  });

  it('says beside each smoke command what it changes on the service', () => {
    const demo = blocks.filter((b) => b.includes('gdx-data-share smoke --env demo'));
    expect(demo.length).toBeGreaterThanOrEqual(2);
    for (const block of demo) {
      for (const line of block.split('\n').filter((l) => l.startsWith('gdx-data-share smoke'))) {
        expect(line, line).toMatch(/ # changes: .+$/);
        // A command whose comment says it changes nothing must leave the acknowledge folder out.
        if (/changes: nothing/.test(line)) expect(line).toContain('--no-acknowledge');
      }
    }
  });

  it('lists every reason a request can be skipped for, and the subscription hint', () => {
    for (const why of Object.values(EVENT_VARIABLES)) expect(HANDBOOK).toContain(`GDX skip: request "...": ${why}`);
    const hints = foldersFor(findEnvironment('local')!)
      .flatMap((f) => f.requests)
      .flatMap((r) => (r.check.kind === 'api' && r.check.expect.forbiddenHint ? [r.check.expect.forbiddenHint] : []));
    expect(hints.length).toBe(1);
    for (const hint of hints) expect(HANDBOOK).toContain(`(403: ${hint})`);
  });

  it('lists every message the token and skip scripts can print', () => {
    for (const hint of Object.values(OAUTH_HINTS)) expect(HANDBOOK, hint).toContain(hint);
    for (const file of ['token.pre-request.js', 'correlation-id.pre-request.js', 'guard.pre-request.js', 'guard.post-response.js']) {
      const source = readFileSync(join(SANDBOX_DIR, file), 'utf8');
      // Message text is the string literals with a space in them (not code like 'Content-Type').
      const literals = [...tokenizer(source, { ecmaVersion: 2019 })]
        .filter((t) => t.type.label === 'string')
        .map((t) => String((t as unknown as { value: unknown }).value).trim())
        .filter((l) => l.includes(' ') && l.length >= 12 && !/^(GDX token:|no content type)/.test(l));
      expect(literals.length, file).toBeGreaterThan(0);
      for (const literal of literals) expect(HANDBOOK, `${file}: ${literal}`).toContain(literal);
    }
  });

  it("lists the runner's network messages", () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT']) {
      expect(HANDBOOK).toContain(describeNetworkError(code, 1234).replace('1234', 'N'));
    }
    expect(HANDBOOK).toContain(describeNetworkError('DEPTH_ZERO_SELF_SIGNED_CERT', 1).replace('DEPTH_ZERO_SELF_SIGNED_CERT', '...'));
  });
});
