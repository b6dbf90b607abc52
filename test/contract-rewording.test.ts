// The human messages of the sandbox scripts are for people only: reword every one of them, and
// every exit code, count and skip of the runner stays as it was. The runner learns what happened
// from the outcomes (src/contract.ts), never from the words.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { tokenizer } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_SCRIPTS, type SandboxScript } from '../src/generate/sandbox-scripts.js';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { generate } from '../src/generate/build.js';
import { readInputs } from '../src/generate/inputs.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, runCli } from './helpers/cli.js';
import { serve, type Running } from './helpers/servers.js';

/** Every string literal that reads as a message (a space in it, 8 characters or more: the 'GDX token: ' prefix among them), reworded. */
function reword(source: string): string {
  const text = (t: object): string => String(Reflect.get(t, 'value'));
  const literals = [...tokenizer(source, { ecmaVersion: 2019 })].filter((t) => t.type.label === 'string' && / /.test(text(t)) && text(t).length >= 8);
  let out = source;
  for (const t of literals.reverse()) out = `${out.slice(0, t.start)}${JSON.stringify(`(reworded) ${text(t)}`)}${out.slice(t.end)}`;
  return out;
}

function writeGenerated(dir: string, rewordScripts: boolean): void {
  const inputs = readInputs();
  const scripts = rewordScripts
    ? (Object.fromEntries(SANDBOX_SCRIPTS.map((n) => [n, reword(inputs.scripts[n])])) as Record<SandboxScript, string>)
    : inputs.scripts;
  const library = rewordScripts ? reword(inputs.library) : inputs.library;
  for (const f of generate({ ...inputs, scripts, library })) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

interface Result {
  code: number | null;
  totals: { requests: number; assertions: number; failures: number }[];
  skipped: number[];
  dataProblems: number[];
}

let standin: Standin;
let realistic: Standin;
let limited: Running;
const dirs = { original: '', reworded: '' };

beforeAll(async () => {
  standin = await startStandin();
  realistic = await startStandin({ realisticQueue: { size: 100, seed: 3 } });
  // A token endpoint that is always rate limited, for a long while.
  limited = await serve((req, res) => {
    req.resume();
    res.writeHead(429, { 'Retry-After': '60', 'Content-Type': 'application/json' });
    res.end('{}');
  });
  for (const key of ['original', 'reworded'] as const) {
    dirs[key] = mkdtempSync(join(tmpdir(), `gdx-words-${key}-`));
    writeGenerated(dirs[key], key === 'reworded');
  }
});
afterAll(async () => {
  await Promise.all([standin.stop(), realistic.stop(), limited.close()]);
});

const SCENARIOS: {
  label: string;
  args: (s: { standin: Standin; realistic: Standin; limited: Running }) => string[];
  vars: Record<string, string>;
  code: number;
  /** What the scenario is about, which the original run must show before the two are compared. */
  shows?: 'skips' | 'data problems';
}[] = [
  { label: 'local, every folder', args: () => ['--env', 'local'], vars: {}, code: 0 },
  {
    label: 'dev, an acquirer (the supplier folder skipped for its scope)',
    args: ({ standin: s }) => ['--env', 'dev', '--token-url', s.tokenUrl, '--base-url', s.baseUrl],
    vars: creds('dev', LOCAL_CLIENTS.acquirer),
    code: 0,
    shows: 'skips',
  },
  {
    label: 'dev, a wrong secret',
    args: ({ standin: s }) => ['--env', 'dev', '--token-url', s.tokenUrl, '--base-url', s.baseUrl],
    vars: creds('dev', { clientId: LOCAL_CLIENTS.acquirer.clientId, clientSecret: 'not-the-secret' }),
    code: 3,
  },
  {
    label: 'dev, rate limited for a minute',
    args: ({ standin: s, limited: l }) => ['--env', 'dev', '--token-url', `${l.url}/oauth2/token`, '--base-url', s.baseUrl],
    vars: creds('dev', LOCAL_CLIENTS.acquirer),
    code: 3,
  },
  {
    label: 'dev, a queue with lost records',
    args: ({ realistic: r }) => ['--env', 'dev', '--token-url', r.tokenUrl, '--base-url', r.baseUrl],
    vars: creds('dev', LOCAL_CLIENTS.acquirer),
    code: 0,
    shows: 'data problems',
  },
  {
    label: 'integration, opted in',
    args: ({ standin: s }) => ['--env', 'integration', '--publish-death-notification', '--token-url', s.tokenUrl, '--base-url', s.baseUrl],
    vars: creds('integration', LOCAL_CLIENTS.supplier),
    code: 0,
  },
];

async function run(dir: string, args: string[], vars: Record<string, string>): Promise<Result> {
  const out = join(mkdtempSync(join(tmpdir(), 'gdx-words-out-')), 'reports');
  const res = await runCli(['smoke', '--dir', dir, '--reporters', 'json', '--out', out, ...args], { env: cleanEnv(vars), timeoutMs: 90_000 });
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
    environments: { totals: { requests: number; assertions: number; failures: number }; skippedFolders: unknown[]; dataProblems: unknown[] }[];
  };
  return {
    code: res.code,
    totals: summary.environments.map((e) => ({ requests: e.totals.requests, assertions: e.totals.assertions, failures: e.totals.failures })),
    skipped: summary.environments.map((e) => e.skippedFolders.length),
    dataProblems: summary.environments.map((e) => e.dataProblems.length),
  };
}

describe('every human message of the sandbox scripts reworded', () => {
  it('rewords something: the generated files differ', () => {
    const a = readFileSync(join(dirs.original, 'collections', 'gdx-data-share.dev.postman_collection.json'), 'utf8');
    const b = readFileSync(join(dirs.reworded, 'collections', 'gdx-data-share.dev.postman_collection.json'), 'utf8');
    expect(b).not.toBe(a);
    expect(b).toContain('(reworded) ');
  });

  for (const s of SCENARIOS) {
    it(`${s.label}: the same exit code (${s.code}), counts, skips and data problems`, async () => {
      const args = s.args({ standin, realistic, limited });
      const original = await run(dirs.original, args, s.vars);
      const reworded = await run(dirs.reworded, args, s.vars);
      expect(original.code).toBe(s.code);
      if (s.shows === 'skips') expect(original.skipped.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      if (s.shows === 'data problems') expect(original.dataProblems.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(reworded).toEqual(original);
    }, 120_000);
  }
});
