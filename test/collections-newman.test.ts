import { PUBLISH_DEATH_NOTIFICATION_FOLDER } from '../src/catalogue.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { apiOnly, failures, forRole, runAgainst, sent } from './helpers/newman-run.js';
import { allItems, committedCollection, rawBody } from './helpers/files.js';
import { closedPort, serve } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;
const BOTH = LOCAL_CLIENTS.publisherConsumer;

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(() => standin.stop());

describe('the local collection through real Newman against the stand-in', () => {
  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`passes every assertion for the supplier, then the acquirer, with ${method}`, async () => {
      const supplier = await runAgainst({ standin, ...SUP, method, folders: forRole('supplier') });
      expect(failures(supplier)).toEqual([]);
      expect(sent(supplier).map((e) => e.name)).toContain('Publish a test event');
      expect(sent(supplier).map((e) => e.name)).toContain('Token, scope and route are accepted (record refused on purpose)');
      expect(sent(supplier).map((e) => e.name)).not.toContain('Publish a death notification');

      const outcome = await runAgainst({ standin, ...ACQ, method, folders: forRole('acquirer') });
      expect(failures(outcome)).toEqual([]);
      expect(sent(outcome).map((e) => e.name)).toEqual([
        'Form encoded credentials',
        'Basic authorization',
        'Wrong secret',
        'Missing grant_type',
        'Unknown grant type',
        'Scope not allowed',
        'List events',
        'List death notifications',
        'Read the first listed event',
        'Find a test event',
        'Acknowledge the test event',
        'The acknowledged event is gone',
        'List events without a token',
        'Death notification without a token',
      ]);
      const assertions = outcome.executions.flatMap((e) => e.assertions);
      expect(assertions.length).toBeGreaterThan(40);
    });
  }

  it('runs a client holding events/publish and events/consume through both sets of folders, in an order that works', async () => {
    const outcome = await runAgainst({ standin, ...BOTH });
    expect(failures(outcome)).toEqual([]);
    const names = sent(outcome).map((e) => e.name);
    expect(names.indexOf('Publish a test event')).toBeLessThan(names.indexOf('Find a test event'));
    expect(names).toEqual(
      expect.arrayContaining([
        'Publish a test event',
        'List events',
        'Read the first listed event',
        'Acknowledge the test event',
        'The acknowledged event is gone',
      ]),
    );
    expect(outcome.console).toContain(
      `GDX skip: folder "Supplier: death notification" needs the scope EventType/DeathNotification, which this client's token does not carry`,
    );
  });

  it('skips, with the reason, the folders whose scope the token lacks', async () => {
    const outcome = await runAgainst({ standin, ...SUP });
    expect(failures(outcome)).toEqual([]);
    const names = sent(outcome).map((e) => e.name);
    expect(names).toContain('Publish a test event');
    expect(names).not.toContain('List events');
    expect(outcome.executions.filter((e) => e.folder === 'Acquirer: events').every((e) => e.skipped)).toBe(true);
    expect(outcome.console).toContain(`GDX skip: folder "Acquirer: events" needs the scope events/consume, which this client's token does not carry`);
  });

  it('fails the token request of every API folder with a clear message when the secret is wrong', async () => {
    const planted = 'Wr0ng-S3cret+/=%';
    const outcome = await runAgainst({ standin, clientId: ACQ.clientId, clientSecret: planted, folders: apiOnly('acquirer') });
    const messages = failures(outcome);
    expect(messages.length).toBeGreaterThan(0);
    const host = new URL(standin.tokenUrl).host;
    for (const m of messages) {
      expect(m).toContain(
        `GDX token: ${host} answered 400 invalid_client: the client id or secret is wrong for this environment; check clientId and clientSecret`,
      );
      expect(m).not.toContain(planted);
      expect(m).not.toContain(encodeURIComponent(planted));
    }
    // No API request left without a token: each was skipped, not sent to collect a 401.
    expect(sent(outcome)).toEqual([]);
  });

  it('says which variables to set when the credentials are empty', async () => {
    standin.resetCounters();
    const outcome = await runAgainst({ standin, clientId: ACQ.clientId, clientSecret: '', folders: apiOnly('acquirer') });
    expect(failures(outcome)[0]).toContain(
      'GDX token: clientSecret is empty; set it in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one',
    );
    // Nothing was sent: neither a doomed token request nor a tokenless API call.
    expect(standin.counters().tokenRequestsTotal).toBe(0);
    expect(standin.counters().apiRequestsTotal).toBe(0);
  });

  it('fetches exactly one token per client over three iterations of every API request', async () => {
    standin.resetCounters();
    const acquirer = await runAgainst({ standin, ...ACQ, folders: apiOnly('acquirer'), extra: { iterations: 3 } });
    const supplier = await runAgainst({ standin, ...SUP, method: 'client_secret_post', folders: apiOnly('supplier'), extra: { iterations: 3 } });
    expect(failures(acquirer)).toEqual([]);
    expect(failures(supplier)).toEqual([]);
    expect(sent(acquirer).filter((e) => e.name === 'List events')).toHaveLength(3);
    expect(sent(supplier)).toHaveLength(6);
    const counters = standin.counters();
    expect(counters.tokenRequests).toEqual({ [ACQ.clientId]: 1, [SUP.clientId]: 1 });
    expect(counters.apiRequests[SUP.clientId]).toBe(6);
  });

  it('reuses the token a seed request fetched, and runs the token checks once however many iterations', async () => {
    standin.resetCounters();
    const outcome = await runAgainst({ standin, ...ACQ, folders: forRole('acquirer'), extra: { iterations: 3 } });
    expect(failures(outcome)).toEqual([]);
    expect(sent(outcome).filter((e) => e.name === 'Form encoded credentials')).toHaveLength(1);
    // The two seed requests mint two tokens; the API folders take the Basic one from the cache.
    expect(standin.counters().tokensIssued).toEqual({ [ACQ.clientId]: 2 });
  });
});

describe('token expiry and broken token endpoints', () => {
  it('fetches a new token when the cached one nears expiry, and the run still passes', async () => {
    const shortLived = await startStandin({ tokenValiditySeconds: 2 });
    try {
      const outcome = await runAgainst({
        standin: shortLived,
        ...ACQ,
        folders: (f) => f.name === 'Acquirer: events',
        extra: { iterations: 2, delayRequestMs: 500 },
      });
      expect(failures(outcome)).toEqual([]);
      expect(sent(outcome)).toHaveLength(6);
      expect(shortLived.counters().tokensIssued[ACQ.clientId]).toBeGreaterThanOrEqual(2);
    } finally {
      await shortLived.stop();
    }
  });

  it('names the host and says what to check when the token endpoint answers HTML 502', async () => {
    const { url, close } = await serve((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
    });
    try {
      const outcome = await runAgainst({ standin: { tokenUrl: `${url}/oauth2/token`, baseUrl: standin.baseUrl }, ...ACQ, folders: apiOnly('acquirer') });
      expect(failures(outcome)[0]).toContain(
        `GDX token: ${new URL(url).host} answered 502 with text/html, not a token; check that tokenUrl ends in /oauth2/token, or try later if the service is down`,
      );
      expect(sent(outcome)).toEqual([]);
    } finally {
      await close();
    }
  });

  it('names the host and the cause when the token endpoint cannot be reached', async () => {
    const url = await closedPort();
    const outcome = await runAgainst({ standin: { tokenUrl: `${url}/oauth2/token`, baseUrl: standin.baseUrl }, ...ACQ, folders: apiOnly('acquirer') });
    expect(failures(outcome)[0]).toContain(`GDX token: could not reach ${new URL(url).host} (ECONNREFUSED); check tokenUrl, your network and any proxy`);
  });
});

describe('dev, demo and integration collections pointed at the stand-in', () => {
  for (const env of ['dev', 'demo'] as const) {
    it(`${env}: every folder passes for its acquirer and its supplier`, async () => {
      const acq = await runAgainst({ env, standin, ...ACQ, folders: forRole('acquirer') });
      expect(failures(acq)).toEqual([]);
      const sup = await runAgainst({ env, standin, ...SUP, folders: forRole('supplier') });
      expect(failures(sup)).toEqual([]);
      expect(sent(sup).map((e) => e.name)).not.toContain('Publish a death notification');
      const both = await runAgainst({ env, standin, ...BOTH });
      expect(failures(both)).toEqual([]);
      expect(sent(both).map((e) => e.name)).toEqual(expect.arrayContaining(['Publish a test event', 'List events', 'Acknowledge the test event']));
    });
  }

  it('integration, opted in: a record the real parser refuses (a date-time with Z) fails with the reason, in Newman as in Postman', async () => {
    const collection = committedCollection('integration');
    const publish = allItems(collection.item).find((i) => i.name === 'Publish a death notification')!;
    rawBody(publish).raw = rawBody(publish).raw.replace('"2023-08-01T14:55:00"', '"2023-08-01T14:55:00Z"');
    const outcome = await runAgainst({
      env: 'integration',
      standin,
      ...SUP,
      folders: apiOnly('supplier'),
      vars: { publishDeathNotification: 'true' },
      extra: { collection },
    });
    const messages = failures(outcome).join('\n');
    expect(messages).toContain('Publish a death notification: status is 201: expected response to have status code 201 but got 400');
    expect(messages).toContain('the record sent matches the death-notification schema (what the service parses)');
    expect(messages).toContain('RecordLockedDateTime');
  });

  it('integration: every folder passes for its supplier; the routine run proves the route with a refused record and publishes nothing', async () => {
    const before = standin.store.deathNotifications.length;
    const outcome = await runAgainst({ env: 'integration', standin, ...SUP, folders: forRole('supplier') });
    expect(failures(outcome)).toEqual([]);
    expect(sent(outcome).map((e) => [e.name, e.status])).toContainEqual(['Token, scope and route are accepted (record refused on purpose)', 400]);
    expect(sent(outcome).map((e) => e.name)).not.toContain('Publish a death notification');
    expect(sent(outcome).map((e) => e.name)).not.toContain('List events');
    expect(standin.store.deathNotifications).toHaveLength(before);
  });

  it('integration: the opt-in folder run on its own, without its variable, sends nothing and says why', async () => {
    const outcome = await runAgainst({ env: 'integration', standin, ...SUP, folders: (f) => f.name === PUBLISH_DEATH_NOTIFICATION_FOLDER });
    expect(sent(outcome)).toEqual([]);
    expect(outcome.console.join('\n')).toContain(`GDX skip: folder "${PUBLISH_DEATH_NOTIFICATION_FOLDER}" is left out unless publishDeathNotification is true`);
  });
});
