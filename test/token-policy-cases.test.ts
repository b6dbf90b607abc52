// One token policy, one table of cases, run against every consumer: the sandbox library's own
// function (what the collections carry), `npm run token`, and the collection's token script in
// Newman. Each case is a 429 with some Retry-After, then a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { sandboxFunctions } from '../src/generate/sandbox-functions.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, runCli } from './helpers/cli.js';
import { apiOnly, failures, runAgainst, sent } from './helpers/newman-run.js';
import { passTokenRequestOn, serve } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
const httpDate = (msFromNow: number): string => new Date(NOW + msFromNow).toUTCString();

/** The table: what Retry-After says, the wait it means, and whether the policy retries (at most 10 s). */
const CASES: { label: string; retryAfter: (now: number) => string | undefined; waitMs: number; retried: boolean }[] = [
  { label: 'delay-seconds 1', retryAfter: () => '1', waitMs: 1_000, retried: true },
  { label: 'no Retry-After', retryAfter: () => undefined, waitMs: 1_000, retried: true },
  { label: 'an HTTP-date 1 s on', retryAfter: (now) => new Date(now + 1_000).toUTCString(), waitMs: 1_000, retried: true },
  { label: 'delay-seconds 30', retryAfter: () => '30', waitMs: 30_000, retried: false },
  { label: 'an HTTP-date 30 s on', retryAfter: (now) => new Date(now + 30_000).toUTCString(), waitMs: 30_000, retried: false },
  { label: 'neither (junk)', retryAfter: () => 'soon', waitMs: 1_000, retried: true },
];

describe('the policy itself (gdxRetryAfterMs in src/sandbox/library.js)', () => {
  for (const c of CASES) {
    it(`${c.label}: waits ${c.waitMs} ms`, () => {
      expect(sandboxFunctions().gdxRetryAfterMs(c.retryAfter(NOW), NOW)).toBe(c.waitMs);
    });
  }
  it('an HTTP-date in the past waits nothing', () => {
    expect(sandboxFunctions().gdxRetryAfterMs(httpDate(-5_000), NOW)).toBe(0);
  });
});

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(() => standin.stop());

/** A token endpoint that answers the first POST 429 with the case's Retry-After, then hands on to the stand-in. */
async function limitedOnce(retryAfter: (now: number) => string | undefined) {
  let posts = 0;
  const server = await serve((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    posts++;
    if (posts > 1) return passTokenRequestOn(req, res, standin.tokenUrl);
    req.resume();
    // HTTP-dates have whole seconds: a date 1 s on is 0 to 1 s on; send one 2 s on for "1 s".
    const value = retryAfter(Date.now() + 999);
    res.writeHead(429, { 'Content-Type': 'application/json', ...(value === undefined ? {} : { 'Retry-After': value }) });
    res.end('{"message":"Too many requests"}');
  });
  return { ...server, posts: () => posts };
}

describe('npm run token, case by case', () => {
  for (const c of CASES) {
    it(`${c.label}: ${c.retried ? 'waits, asks again and prints the token' : 'exit 3, naming the wait in seconds'}`, async () => {
      const server = await limitedOnce(c.retryAfter);
      try {
        const res = await runCli(['token', '--env', 'dev', '--token-url', `${server.url}/oauth2/token`], { env: cleanEnv(creds('dev', ACQ)) });
        if (c.retried) {
          expect(res.code, res.stderr).toBe(0);
          expect(res.stdout).toMatch(/^eyJ/);
          expect(server.posts()).toBe(2);
        } else {
          expect(res.code).toBe(3);
          expect(res.stderr).toMatch(new RegExp(`answered 429: rate limited; try again in (29|30|31) s`));
          expect(res.stderr).not.toContain('NaN');
          expect(server.posts()).toBe(1);
        }
      } finally {
        await server.close();
      }
    }, 20_000);
  }
});

describe("the collection's token script in Newman, case by case", () => {
  for (const c of CASES) {
    it(`${c.label}: ${c.retried ? 'waits, asks again and the run passes' : 'fails with the wait in seconds, asking no more'}`, async () => {
      const server = await limitedOnce(c.retryAfter);
      try {
        const outcome = await runAgainst({
          env: 'dev',
          standin: { tokenUrl: `${server.url}/oauth2/token`, baseUrl: standin.baseUrl },
          ...ACQ,
          folders: apiOnly('acquirer'),
        });
        if (c.retried) {
          expect(failures(outcome)).toEqual([]);
          expect(sent(outcome).map((e) => e.name)).toContain('List events');
          expect(server.posts()).toBe(2);
        } else {
          expect(failures(outcome).join('\n')).toMatch(/answered 429: rate limited; try again in (29|30|31) s/);
          expect(server.posts()).toBe(1);
        }
      } finally {
        await server.close();
      }
    }, 20_000);
  }
});
