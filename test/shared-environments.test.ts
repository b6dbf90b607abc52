// dev, demo and integration are shared by every department: nothing a collection sends may publish
// a real-looking event or remove anything but a test event, and its checks must hold for every
// real acquirer. Proved twice: by walking every request of every generated collection, and by
// running the collections through Newman against stand-ins (one of them behind a proxy that makes
// the API ignore the TEST_EVENT filter) and reading what the stand-in was made to publish and
// acknowledge.
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLISH_DEATH_NOTIFICATION_FOLDER, REFUSED_DEATH_NOTIFICATION } from '../src/catalogue.js';
import { ENVIRONMENTS, LOCAL_CLIENTS, type EnvironmentName } from '../src/config/environments.js';
import { validator } from '../src/schema-registry.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { allItems, committedCollection, rawBody, scriptConfig, type PostmanItem } from './helpers/files.js';
import { cleanEnv, creds, runCli } from './helpers/cli.js';
import { failures, runAgainst, sent } from './helpers/newman-run.js';
import { recordingProxyTo, serve, type RecordingProxy, type Running } from './helpers/servers.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;
const BOTH = LOCAL_CLIENTS.publisherConsumer;

const scriptsOf = (item: PostmanItem, listen: string): string[] => (item.event ?? []).filter((e) => e.listen === listen).map((e) => e.script.exec.join('\n'));

describe('every request of every generated collection, read', () => {
  for (const env of ENVIRONMENTS) {
    it(`${env.name}: publishes only TEST_EVENTs on v1, removes only a remembered TEST_EVENT, and sends nothing else that changes data`, () => {
      const collection = committedCollection(env.name);
      const requests = collection.item.flatMap((folder) =>
        allItems(folder.item)
          .filter((i) => i.request)
          .map((item) => ({ folder, item })),
      );
      expect(requests.length).toBeGreaterThan(5);
      for (const { folder, item } of requests) {
        const { method, url } = item.request!;
        const raw = url.raw;
        const label = `${env.name}: ${item.name}`;
        expect(['GET', 'POST', 'DELETE'], label).toContain(method);
        if (method === 'POST' && raw === '{{baseUrl}}/events') {
          expect(JSON.parse(rawBody(item).raw), label).toMatchObject({ eventType: 'TEST_EVENT' });
        } else if (method === 'POST' && raw === '{{baseUrl}}/events/deathNotification') {
          // The v2 API exists on integration only (and the local stand-in); dev and demo never get it.
          expect(env.apis, label).toContain('death-notification-v2');
          const record = JSON.parse(rawBody(item).raw) as Record<string, unknown>;
          if (folder.name === PUBLISH_DEATH_NOTIFICATION_FOLDER) {
            // The one record that is delivered: sent only on request, once a run, and one the
            // whole pipeline carries.
            const guard = scriptsOf(folder, 'prerequest')
              .map(scriptConfig)
              .find((c) => c?.['optIn']);
            expect(guard?.['optIn']?.variable, label).toBe('publishDeathNotification');
            expect(validator('death-notification')(record), label).toBe(true);
            expect(validator('death-notification-deliverable')(record), label).toBe(true);
          } else {
            // Every other record is one the parser refuses: nothing is audited or published.
            expect(record, label).toEqual(REFUSED_DEATH_NOTIFICATION);
            expect(validator('death-notification')(record), label).toBe(false);
          }
        } else if (method === 'POST') {
          expect(raw, label).toBe('{{tokenUrl}}');
        }
        if (method === 'DELETE') {
          expect(raw, label).toBe('{{baseUrl}}/events/{{testEventId}}');
          // The folder's script skips the request unless an earlier one remembered a test event.
          const guard = scriptsOf(folder, 'prerequest')
            .map(scriptConfig)
            .find((c) => c?.['needs']);
          expect(guard?.['needs']?.[item.name], label).toMatchObject({ variable: 'testEventId' });
        }
        for (const script of [...scriptsOf(item, 'prerequest'), ...scriptsOf(item, 'test')]) {
          // The only request that may name the event to remove lists TEST_EVENTs ...
          if (scriptConfig(script)?.['expect']?.saveTestEventId) expect(raw, label).toContain('filter%5BeventType%5D=TEST_EVENT');
          // ... and the one script that sets the id keeps one only when the service itself calls
          // the event a TEST_EVENT (else it stores '').
          for (const set of script.match(/collectionVariables\.set\('testEventId', [^)]*\)/g) ?? []) {
            expect(["collectionVariables.set('testEventId', testEventId)", "collectionVariables.set('testEventId', '')"], label).toContain(set);
          }
          for (const assign of script.match(/.*\bgdxTestEventId = [^'].*/g) ?? []) {
            expect(assign.trim(), label).toBe(
              "if (gdxEvent && gdxEvent.attributes && gdxEvent.attributes.eventType === 'TEST_EVENT') gdxTestEventId = gdxEvent.id;",
            );
          }
        }
      }
      // The folder scripts' only request of their own is the token request.
      for (const folder of collection.item) {
        for (const script of scriptsOf(folder, 'prerequest')) {
          if (script.includes('pm.sendRequest')) expect(script).toMatch(/url: gdxTokenUrl,/);
        }
      }
      expect(JSON.stringify(collection)).not.toContain('"eventType": "DEATH_NOTIFICATION"');
    });
  }
});

let standins: Standin[] = [];
let proxies: Running[] = [];
afterEach(async () => {
  await Promise.all([...standins.map((s) => s.stop()), ...proxies.map((p) => p.close())]);
  standins = [];
  proxies = [];
});

async function standin(options: Parameters<typeof startStandin>[0] = {}): Promise<Standin> {
  const s = await startStandin(options);
  standins.push(s);
  return s;
}

/** A proxy in front of the stand-in that drops filter[eventType]: an API that ignores the filter. */
async function filterIgnoringProxy(target: Standin): Promise<Running> {
  const proxy = await serve((req, res) => {
    const path = (req.url ?? '/').replace(/filter%5BeventType%5D=[^&]*&?/gi, '');
    const upstream = httpRequest(`${target.baseUrl}${path}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  proxies.push(proxy);
  return proxy;
}

const names = (outcome: Awaited<ReturnType<typeof runAgainst>>) => sent(outcome).map((e) => e.name);

describe('the collections run against stand-ins, and what they changed there', () => {
  for (const env of ['dev', 'demo'] as EnvironmentName[]) {
    it(`${env}: a client with events/publish and events/consume publishes test events, then reads and acknowledges only those (3 iterations)`, async () => {
      const s = await standin();
      const outcome = await runAgainst({ env, standin: s, ...BOTH, extra: { iterations: 3 } });
      expect(failures(outcome)).toEqual([]);
      expect(names(outcome).slice(6)).toEqual([
        'Publish a test event',
        'List events',
        'List death notifications',
        'Read the first listed event',
        'Find a test event',
        'Acknowledge the test event',
        'The acknowledged event is gone',
        'List events without a token',
        'Publish a test event',
        'List events',
        'List death notifications',
        'Read the first listed event',
        'Find a test event',
        'Acknowledge the test event',
        'The acknowledged event is gone',
        'List events without a token',
        'Publish a test event',
        'List events',
        'List death notifications',
        'Read the first listed event',
        'Find a test event',
        'Acknowledge the test event',
        'The acknowledged event is gone',
        'List events without a token',
      ]);
      expect(s.store.tally).toEqual({ published: { TEST_EVENT: 3 }, acknowledged: { TEST_EVENT: 3 }, dropped: {}, delivered: 0, deadLettered: 0 });
    });
  }

  it('dev: an acquirer whose queue holds only death notifications acknowledges nothing, and says why', async () => {
    const s = await standin();
    const outcome = await runAgainst({ env: 'dev', standin: s, ...ACQ });
    expect(failures(outcome)).toEqual([]);
    expect(names(outcome)).toContain('Read the first listed event');
    expect(names(outcome)).not.toContain('Acknowledge the test event');
    expect(outcome.console).toContain(
      'GDX skip: request "Acknowledge the test event": no TEST_EVENT in your queue, so nothing is acknowledged: a supplier (or a client with events/publish) publishes one first',
    );
    expect(s.store.tally).toEqual({ published: {}, acknowledged: {}, dropped: {}, delivered: 0, deadLettered: 0 });
  });

  it('dev: behind an API that ignores the TEST_EVENT filter, a queue of death notifications loses nothing', async () => {
    const s = await standin();
    const proxy = await filterIgnoringProxy(s);
    const outcome = await runAgainst({ env: 'dev', standin: { tokenUrl: s.tokenUrl, baseUrl: proxy.url }, ...ACQ });
    expect(failures(outcome)).toEqual([]);
    expect(names(outcome)).not.toContain('Acknowledge the test event');
    expect(s.store.tally.acknowledged).toEqual({});
  });

  it('dev: behind the same API, with a test event last in the queue, only the test event is removed', async () => {
    const s = await standin();
    const publish = await runAgainst({ env: 'dev', standin: s, ...SUP, folders: (f) => f.role === 'supplier' });
    expect(failures(publish)).toEqual([]);
    const proxy = await filterIgnoringProxy(s);
    const outcome = await runAgainst({ env: 'dev', standin: { tokenUrl: s.tokenUrl, baseUrl: proxy.url }, ...ACQ });
    expect(failures(outcome)).toEqual([]);
    expect(names(outcome)).toContain('Acknowledge the test event');
    expect(s.store.tally).toEqual({ published: { TEST_EVENT: 1 }, acknowledged: { TEST_EVENT: 1 }, dropped: {}, delivered: 0, deadLettered: 0 });
  });

  it('integration, opted in: the supplier sends one deliverable record, with the CorrelationID it printed, and nothing else', async () => {
    const s = await standin();
    const outcome = await runAgainst({ env: 'integration', standin: s, ...SUP, vars: { publishDeathNotification: 'true' } });
    expect(failures(outcome)).toEqual([]);
    expect(s.store.deathNotifications).toHaveLength(1);
    expect(s.store.deathNotifications[0]!.outcome).toBe('delivered');
    expect(s.store.deathNotifications[0]!.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(outcome.console).toContain(`GDX CorrelationID: ${s.store.deathNotifications[0]!.correlationId}`);
    expect(s.store.tally).toEqual({ published: {}, acknowledged: {}, dropped: {}, delivered: 1, deadLettered: 0 });
  });

  it('integration, opted in: a record edited into one that would be dead-lettered is not sent: the guard checks it against the deliverable schema first', async () => {
    const collection = committedCollection('integration');
    const folder = collection.item.find((f) => f.name === PUBLISH_DEATH_NOTIFICATION_FOLDER)!;
    const body = rawBody(folder.item[0]!);
    // What a tester might do: turn the new registration into an update, without a reason.
    const edited = JSON.parse(body.raw) as Record<string, unknown>;
    delete edited['RecordLockedDateTime'];
    edited['RecordUpdateDateTime'] = '2023-08-01T14:59:22';
    body.raw = JSON.stringify(edited);
    const s = await standin({ deadLetterFile: join(mkdtempSync(join(tmpdir(), 'gdx-dl-')), 'dead-letters.log') });
    const outcome = await runAgainst({ env: 'integration', standin: s, ...SUP, vars: { publishDeathNotification: 'true' }, extra: { collection } });
    const failed = failures(outcome);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain(
      `${PUBLISH_DEATH_NOTIFICATION_FOLDER} / Publish a death notification: GDX guard: not sent: this record would be accepted (201), then dead-lettered, which pages the platform team: it does not match the death-notification-deliverable schema`,
    );
    expect(failed[0]).toContain("required property 'RecordUpdateReason'");
    // Nothing reached the service: no record to dead-letter, no alarm.
    expect(s.store.deathNotifications).toEqual([]);
    expect(s.store.tally.deadLettered).toBe(0);
  });

  it('integration: the probe record edited to carry a date-time is not sent at all', async () => {
    const collection = committedCollection('integration');
    const probe = collection.item.find((f) => f.name === 'Supplier: death notification')!.item[0]!;
    rawBody(probe).raw = JSON.stringify({ RecordLockedDateTime: '2023-08-01T14:55:00', RegistrationID: 1 });
    const s = await standin();
    const outcome = await runAgainst({ env: 'integration', standin: s, ...SUP, extra: { collection } });
    expect(sent(outcome).map((e) => e.name)).not.toContain(probe.name);
    expect(failures(outcome).join('\n')).toContain(
      'GDX guard: not sent: this record has RecordLockedDateTime, so the service would accept it and deliver it to other departments; ' +
        `only the opt-in folder "${PUBLISH_DEATH_NOTIFICATION_FOLDER}" sends one, when publishDeathNotification is true`,
    );
    expect(s.store.deathNotifications).toEqual([]);
  });
});

/** A recording proxy in front of the stand-in, closed after the test. */
async function recordingProxy(target: Standin): Promise<RecordingProxy> {
  const proxy = await recordingProxyTo(target.baseUrl);
  proxies.push(proxy);
  return proxy;
}

describe('integration through a recording proxy: a routine run creates nothing; an opted-in one creates exactly one deliverable record', () => {
  const deathPosts = (p: Awaited<ReturnType<typeof recordingProxy>>) => p.seen.filter((r) => r.method === 'POST' && r.path === '/events/deathNotification');
  const smokeVia = (p: Running, extra: string[]) =>
    runCli(
      [
        'smoke',
        '--env',
        'integration',
        '--iterations',
        '3',
        '--token-url',
        `${p.url}/oauth2/token`,
        '--base-url',
        p.url,
        '--out',
        join(mkdtempSync(join(tmpdir(), 'gdx-int-')), 'reports'),
        ...extra,
      ],
      {
        env: cleanEnv(creds('integration', SUP)),
      },
    );

  it('Newman, three iterations, the environment file as it ships: no 201, and the API was reached with a token (400)', async () => {
    const s = await standin();
    const proxy = await recordingProxy(s);
    const outcome = await runAgainst({
      env: 'integration',
      standin: { tokenUrl: `${proxy.url}/oauth2/token`, baseUrl: proxy.url },
      ...SUP,
      folders: () => true,
      extra: { iterations: 3 },
    });
    expect(failures(outcome)).toEqual([]);
    expect(deathPosts(proxy).filter((r) => r.status === 201)).toEqual([]);
    expect(deathPosts(proxy).filter((r) => r.token && r.status === 400)).toHaveLength(3);
    expect(s.store.deathNotifications).toEqual([]);
  });

  it('npm run smoke --iterations 3: no 201, and the API was reached with a token (400)', async () => {
    const s = await standin();
    const proxy = await recordingProxy(s);
    const res = await smokeVia(proxy, []);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(deathPosts(proxy).filter((r) => r.status === 201)).toEqual([]);
    expect(deathPosts(proxy).filter((r) => r.token && r.status === 400)).toHaveLength(3);
    expect(s.store.deathNotifications).toEqual([]);
    expect(res.stdout).toContain('left out without --publish-death-notification');
  });

  it('Newman with --env-var publishDeathNotification=true, three iterations: exactly one 201, and the record is delivered', async () => {
    const s = await standin();
    const proxy = await recordingProxy(s);
    const outcome = await runAgainst({
      env: 'integration',
      standin: { tokenUrl: `${proxy.url}/oauth2/token`, baseUrl: proxy.url },
      ...SUP,
      folders: () => true,
      vars: { publishDeathNotification: 'true' },
      extra: { iterations: 3 },
    });
    expect(failures(outcome)).toEqual([]);
    expect(deathPosts(proxy).filter((r) => r.status === 201)).toHaveLength(1);
    expect(s.store.deathNotifications.map((d) => d.outcome)).toEqual(['delivered']);
    expect(outcome.console).toContain(`GDX skip: folder "${PUBLISH_DEATH_NOTIFICATION_FOLDER}" sends once per run, in the first iteration only`);
  });

  it('npm run smoke --publish-death-notification --iterations 3: exactly one 201, and the record is delivered', async () => {
    const s = await standin();
    const proxy = await recordingProxy(s);
    const res = await smokeVia(proxy, ['--publish-death-notification']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(deathPosts(proxy).filter((r) => r.status === 201)).toHaveLength(1);
    expect(s.store.deathNotifications.map((d) => d.outcome)).toEqual(['delivered']);
  });
});

describe('checks that hold for every real acquirer', () => {
  const variants = [
    { clientId: 'no-source-id', secrets: ['s'], scopes: ['events/consume'], enrichmentFields: ['firstNames', 'lastName', 'dateOfDeath'] },
    { clientId: 'data-in-poll', secrets: ['s'], scopes: ['events/consume'], dataInPoll: true },
    { clientId: 'gro-only', secrets: ['s'], scopes: ['events/consume'], subscriptions: ['GRO_DEATH_NOTIFICATION' as const] },
    { clientId: 'nothing-subscribed', secrets: ['s'], scopes: ['events/consume'], subscriptions: [] },
  ];
  for (const client of variants) {
    it(`dev: an acquirer "${client.clientId}" passes every check`, async () => {
      const s = await standin({ clients: [client] });
      const outcome = await runAgainst({ env: 'dev', standin: s, clientId: client.clientId, clientSecret: 's' });
      expect(failures(outcome)).toEqual([]);
      expect(names(outcome)).toContain('List events');
    });
  }
});
