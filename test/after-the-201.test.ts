// What happens after a request is accepted on a shared environment, run for real: the queues of
// dev and demo are large, moving and untidy, and fan-out takes seconds. The collections must pass
// against such a queue, reporting the platform's own data problems as such, and the runner must
// wait for the test event it published before it acknowledges it.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLISH_DEATH_NOTIFICATION_FOLDER } from '../src/catalogue.js';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { PROJECT_ROOT } from '../src/config/paths.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { cleanEnv, creds, runCli } from './helpers/cli.js';
import { failures, forRole, runAgainst, sent } from './helpers/newman-run.js';
import { serve, type Running } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const BOTH = LOCAL_CLIENTS.publisherConsumer;
const INLINE = { clientId: 'acquirer-data-in-poll', secrets: ['s'], scopes: ['events/consume'], dataInPoll: true };

let running: (Standin | Running)[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => ('stop' in r ? r.stop() : r.close())));
  running = [];
});
async function standin(options: Parameters<typeof startStandin>[0] = {}): Promise<Standin> {
  const s = await startStandin(options);
  running.push(s);
  return s;
}
const smokeDir = () => join(mkdtempSync(join(tmpdir(), 'gdx-after-')), 'reports');

describe("a queue like dev's and demo's (V1-REALISTIC-QUEUE, V1-DATA-GONE)", () => {
  it('dev, acquirer: every check passes; the oldest event, whose record is gone, is reported as a platform data problem with its id', async () => {
    const s = await standin({ realisticQueue: { size: 300, seed: 3, feedIntervalMs: 100 } });
    const outcome = await runAgainst({ env: 'dev', standin: s, ...ACQ, folders: forRole('acquirer') });
    expect(failures(outcome)).toEqual([]);
    const read = sent(outcome).find((e) => e.name === 'Read the first listed event')!;
    expect(read.status).toBe(404);
    const id = /\/events\/([0-9a-f-]{36})$/.exec(read.url!)![1];
    expect(outcome.console).toContainEqual(
      expect.stringMatching(new RegExp(`^GDX data problem: event ${id}: the platform has no data for it \\(Not Found: \\d+\\); report it to the GDX team`)),
    );
    expect(read.assertions.map((a) => a.name)).toContainEqual(expect.stringMatching(/^a platform data problem, not a connection failure: event /));
  });

  it('dev, an acquirer with the data in the poll: the page that fails for a lost record is a data problem, not a failed check', async () => {
    const s = await standin({ clients: [INLINE], realisticQueue: { size: 100, seed: 3 } });
    const outcome = await runAgainst({ env: 'dev', standin: s, clientId: INLINE.clientId, clientSecret: 's', folders: forRole('acquirer') });
    expect(failures(outcome)).toEqual([]);
    expect(sent(outcome).find((e) => e.name === 'List events')!.status).toBe(404);
    expect(outcome.console).toContainEqual(expect.stringMatching(/^GDX data problem: event in this page: the platform has no data for it/));
  });

  it('dev: a 401 or 403 on the same read still fails the check', async () => {
    const s = await standin({ realisticQueue: { size: 100, seed: 3 } });
    for (const status of [401, 403]) {
      // An API in front of the stand-in that refuses reads of one event.
      const api = await serve((req, res) => {
        if (/^\/events\/[0-9a-f-]{36}$/.test(req.url ?? '')) {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status, userMessage: 'Not Found: but refused', developerMessage: 'refused' }));
          return;
        }
        const up = httpRequest(`${s.baseUrl}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        req.pipe(up);
      });
      running.push(api);
      const outcome = await runAgainst({ env: 'dev', standin: { tokenUrl: s.tokenUrl, baseUrl: api.url }, ...ACQ, folders: forRole('acquirer') });
      expect(failures(outcome), String(status)).toContain(
        `Acquirer: events / Read the first listed event: status is 200: expected response to have status code 200 but got ${status}`,
      );
    }
  });

  it('npm run smoke --env dev on such a queue: exit 0, and the summary names the data problem and the event', async () => {
    const s = await standin({ realisticQueue: { size: 200, seed: 5, feedIntervalMs: 100 } });
    const res = await runCli(['smoke', '--env', 'dev', '--role', 'acquirer', '--token-url', s.tokenUrl, '--base-url', s.baseUrl, '--out', smokeDir()], {
      env: cleanEnv(creds('dev', ACQ)),
    });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      /platform data problem in dev \(local-acquirer, acquirer\) \(not your connection; tell the GDX team\): event [0-9a-f-]{36}: the platform has no data for it/,
    );
  });
});

describe('fan-out takes seconds (V1-PUBLISH-ASYNC)', () => {
  it('Newman, as Postman: with a 3 s fan-out, the acknowledge request is skipped with its reason, and nothing else is removed', async () => {
    const s = await standin({ publishDelayMs: 3_000 });
    const outcome = await runAgainst({ env: 'dev', standin: s, ...BOTH });
    expect(failures(outcome)).toEqual([]);
    expect(sent(outcome).map((e) => e.name)).not.toContain('Acknowledge the test event');
    expect(outcome.console).toContain(
      'GDX skip: request "Acknowledge the test event": no TEST_EVENT in your queue, so nothing is acknowledged: a supplier (or a client with events/publish) publishes one first',
    );
    expect(s.store.tally.acknowledged).toEqual({});
  });

  it('npm run smoke: a client with both scopes waits for its test event, saying so, and acknowledges it with the token it has', async () => {
    const s = await standin({ publishDelayMs: 3_000, clients: [] });
    const started = Date.now();
    const res = await runCli(['smoke', '--env', 'dev', '--token-url', s.tokenUrl, '--base-url', s.baseUrl, '--out', smokeDir()], {
      env: cleanEnv(creds('dev', BOTH)),
      timeoutMs: 90_000,
    });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('waiting 5 s for the published test event to reach the queue (fan-out is asynchronous; 5 of at most 45 s');
    expect(res.stdout).toMatch(/ok Acquirer: acknowledge a test event \(removes it from your queue\) \/ Acknowledge the test event {2}204/);
    expect(s.store.tally).toMatchObject({ published: { TEST_EVENT: 1 }, acknowledged: { TEST_EVENT: 1 } });
    // The two seed requests' tokens and no more: the retry carries the token cache.
    expect(s.counters().tokensIssued[BOTH.clientId]).toBe(2);
    // Bounded: the wait is well under the 45 s ceiling for a 3 s fan-out.
    expect(Date.now() - started).toBeLessThan(40_000);
  }, 90_000);

  it('npm run smoke: an acquirer alone, with no test event published in the run, does not wait', async () => {
    const s = await standin({ publishDelayMs: 3_000 });
    const res = await runCli(['smoke', '--env', 'dev', '--token-url', s.tokenUrl, '--base-url', s.baseUrl, '--out', smokeDir()], {
      env: cleanEnv(creds('dev', ACQ)),
    });
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).not.toContain('waiting');
  });
});

describe('the local stand-in tells what a real run would not (V2-ENRICHMENT, V1-SUPPLIER-EVENT-ID)', () => {
  it('npm run smoke --env local: a record edited into one that would be dead-lettered is not sent: the run fails, saying it would page the platform team, and nothing is dead-lettered', async () => {
    // A copy of the generated files with the opt-in record turned into an update without a reason.
    const dir = mkdtempSync(join(tmpdir(), 'gdx-edited-'));
    for (const sub of ['collections', 'environments']) cpSync(join(PROJECT_ROOT, sub), join(dir, sub), { recursive: true });
    const file = join(dir, 'collections', 'gdx-data-share.local.postman_collection.json');
    const collection = JSON.parse(readFileSync(file, 'utf8')) as { item: { name: string; item: { request: { body: { raw: string } } }[] }[] };
    const request = collection.item.find((f) => f.name === PUBLISH_DEATH_NOTIFICATION_FOLDER)!.item[0]!.request;
    request.body.raw = JSON.stringify({ ...JSON.parse(request.body.raw), RecordLockedDateTime: undefined, RecordUpdateDateTime: '2023-08-01T14:59:22' });
    writeFileSync(file, JSON.stringify(collection));
    const deadLetters = join(dir, 'dead-letters.log');
    const res = await runCli(['smoke', '--env', 'local', '--role', 'supplier', '--publish-death-notification', '--dir', dir, '--out', join(dir, 'reports')], {
      env: cleanEnv({ GDX_STANDIN_DEAD_LETTER_FILE: deadLetters }),
    });
    expect(res.code, res.stdout + res.stderr).toBe(1);
    // The collection's guard checks the record against the deliverable schema before it is sent.
    expect(res.stdout).toContain('GDX guard: not sent: this record would be accepted (201), then dead-lettered, which pages the platform team');
    expect(res.stdout).toContain("required property 'RecordUpdateReason'");
    expect(existsSync(deadLetters)).toBe(false);
  });
});
