// What a tester does to the collections in Postman: duplicate a request, rename it, add one of
// their own at the top level, change a body, change a URL. Each edit is made to the committed v2.1
// file as the app would save it, run through a recording proxy in front of the stand-in, and
// judged by what reached the API, not by what the scripts say: the golden rule holds whatever the
// request is called and wherever it sits.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLISH_DEATH_NOTIFICATION_FOLDER, SYNTHETIC_DEATH_NOTIFICATION } from '../src/catalogue.js';
import { ENVIRONMENTS, LOCAL_CLIENTS, type EnvironmentName } from '../src/config/environments.js';
import { collectionName, v3FileName } from '../src/generate/names.js';
import { requestFile, v3Files, yamlText } from '../src/generate/postman-v3.js';
import type { PostmanRequestItem } from '../src/generate/postman-types.js';
import type { RecordedRun } from './helpers/newman-run.js';
import { startStandin, type Standin, type StandinOptions } from '../src/standin/server.js';
import { committedCollection, committedEnvironment, type PostmanCollection, type PostmanEnvironment } from './helpers/files.js';
import { failures, recordedRun, sent } from './helpers/newman-run.js';
import { BRU, brunoImport, missingClients, POSTMAN, POSTMAN_NEWEST, runTool, type ToolRun } from './helpers/clients.js';
import { recordingProxyTo, serve, type RecordingProxy } from './helpers/servers.js';
import {
  acknowledgeUrl,
  addOwnScript,
  addToFolder,
  addTopLevel,
  deliverableUpdate,
  duplicate,
  editBody,
  folderOf,
  requestIn,
  setUrl,
  SUPPLIER_OF_DEATH_NOTIFICATIONS,
} from './helpers/tester-edits.js';

const LOCAL = ENVIRONMENTS.find((e) => e.name === 'local')!;
const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;
const SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT = {
  clientId: SUPPLIER_OF_DEATH_NOTIFICATIONS.clientId,
  clientSecret: SUPPLIER_OF_DEATH_NOTIFICATIONS.secrets[0]!,
};

let running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.stop()));
  running = [];
});

async function standinBehindProxy(options: StandinOptions = {}): Promise<{ standin: Standin; proxy: RecordingProxy }> {
  const standin = await startStandin({ clients: [SUPPLIER_OF_DEATH_NOTIFICATIONS], ...options });
  const proxy = await recordingProxyTo(standin.baseUrl);
  running.push(standin, { stop: proxy.close });
  return { standin, proxy };
}

interface Run {
  env: EnvironmentName;
  proxy: RecordingProxy;
  client: { clientId: string; clientSecret: string };
  collection: PostmanCollection;
  environment?: PostmanEnvironment;
  vars?: Record<string, string>;
  collectionVariables?: Record<string, string>;
  iterationData?: Record<string, string>[];
}

/** The whole collection, as the Collection Runner runs it: every folder and every top-level request. */
function runWhole(r: Run): Promise<RecordedRun> {
  return recordedRun({
    collection: r.collection,
    environment: r.environment ?? committedEnvironment(r.env),
    variables: { tokenUrl: `${r.proxy.url}/oauth2/token`, baseUrl: r.proxy.url, clientId: r.client.clientId, clientSecret: r.client.clientSecret, ...r.vars },
    ...(r.collectionVariables ? { collectionVariables: r.collectionVariables } : {}),
    ...(r.iterationData ? { iterationData: r.iterationData } : {}),
    timeoutRequestMs: 5_000,
    timeoutMs: 60_000,
  });
}

const api = (p: RecordingProxy) => p.seen.filter((s) => s.path !== '/oauth2/token');
const accepted = (p: RecordingProxy) => api(p).filter((s) => s.method === 'POST' && /^\/events\/deathNotification\/?$/.test(s.path) && s.status === 201);
const publishes = (p: RecordingProxy) => api(p).filter((s) => s.method === 'POST' && s.path === '/events');
const deletes = (p: RecordingProxy) => api(p).filter((s) => s.method === 'DELETE');
const guardLines = (o: RecordedRun) => failures(o).filter((f) => f.includes('GDX guard: not sent: '));

describe('integration: edits a tester makes, and 0 accepted death notifications outside the armed opt-in', () => {
  /** Four edits at once: a duplicate given a deliverable record, a renamed probe given a date-time,
   * the anonymous probe given one, and a request of the tester's own at the top level. */
  function edited(): PostmanCollection {
    const collection = committedCollection('integration');
    const probe = requestIn(collection, 'Supplier: death notification', 'Token, scope and route are accepted (record refused on purpose)');
    editBody(duplicate(collection, probe), SYNTHETIC_DEATH_NOTIFICATION);
    probe.name = 'My check';
    editBody(probe, deliverableUpdate());
    editBody(requestIn(collection, 'Without a token', 'Death notification without a token'), SYNTHETIC_DEATH_NOTIFICATION);
    addTopLevel(collection, { name: 'My death notification', method: 'POST', url: '{{baseUrl}}/events/deathNotification', body: SYNTHETIC_DEATH_NOTIFICATION });
    return collection;
  }

  it('not armed: nothing is accepted, and each edited request is refused by the guard, saying why', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const outcome = await runWhole({ env: 'integration', proxy, client: SUP, collection: edited() });
    expect(accepted(proxy)).toEqual([]);
    expect(standin.store.deathNotifications).toEqual([]);
    expect(guardLines(outcome).map((f) => f.split(': GDX guard')[0])).toEqual([
      'Supplier: death notification / My check',
      'Supplier: death notification / Token, scope and route are accepted (record refused on purpose) Copy',
      'Without a token / Death notification without a token',
      ' / My death notification',
    ]);
    for (const line of guardLines(outcome)) expect(line).toContain('so the service would accept it and deliver it to other departments');
    // The opt-in folder, not armed, is held back (a skip), and sends nothing either.
    expect(outcome.console).toContain(
      `GDX skip: folder "${PUBLISH_DEATH_NOTIFICATION_FOLDER}" is left out unless publishDeathNotification is true: the record it sends is delivered to DWP (its dev, test, stage and old-format queues too) and the other departments' (OGD) queue, with no filter (set the variable to true in the environment, or from a terminal: gdx-data-share smoke --publish-death-notification)`,
    );
  });

  it('armed: exactly one record, from the opt-in folder; the edited requests elsewhere are still refused', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const outcome = await runWhole({ env: 'integration', proxy, client: SUP, collection: edited(), vars: { publishDeathNotification: 'true' } });
    expect(accepted(proxy)).toHaveLength(1);
    expect(standin.store.deathNotifications.map((d) => d.outcome)).toEqual(['delivered']);
    expect(guardLines(outcome)).toHaveLength(4);
    expect(sent(outcome).map((e) => e.name)).toContain('Publish a death notification');
  });

  it('armed in the environment, as the app keeps it: one record on the first send, none on the next send of the same session, and the message says how to arm', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const environment = committedEnvironment('integration');
    environment.values.find((v) => v.key === 'publishDeathNotification')!.value = 'true';
    const collection = committedCollection('integration');
    // A tester's second copy in the opt-in folder: the same session's next send.
    duplicate(collection, requestIn(collection, PUBLISH_DEATH_NOTIFICATION_FOLDER, 'Publish a death notification'));
    const first = await runWhole({ env: 'integration', proxy, client: SUP, collection, environment });
    expect(accepted(proxy)).toHaveLength(1);
    expect(first.environment['publishDeathNotification']).toBe('false');
    expect(first.console).toContain('GDX guard: one death notification went out; publishDeathNotification is now false. Set it to true again to send another.');
    // The copy right after it was held back: the opt-in had disarmed.
    expect(sent(first).map((e) => e.name)).not.toContain('Publish a death notification Copy');

    const kept = structuredClone(environment);
    for (const v of kept.values) if (v.key in first.environment) v.value = first.environment[v.key]!;
    const vars = { publishDeathNotification: first.environment['publishDeathNotification']! };
    const second = await runWhole({
      env: 'integration',
      proxy,
      client: SUP,
      collection,
      environment: kept,
      vars,
      collectionVariables: first.collectionVariables,
    });
    expect(accepted(proxy)).toHaveLength(1);
    expect(standin.store.deathNotifications).toHaveLength(1);
    expect(
      second.console.filter((l) => l.startsWith(`GDX skip: folder "${PUBLISH_DEATH_NOTIFICATION_FOLDER}" is left out unless publishDeathNotification is true`)),
    ).toHaveLength(2);
  });
});

describe('integration: the opt-in disarms however its route is spelt', () => {
  it('a percent-encoded route the guard lets through, armed, still sets publishDeathNotification back to false', async () => {
    const { proxy } = await standinBehindProxy();
    const collection = committedCollection('integration');
    const optIn = requestIn(collection, PUBLISH_DEATH_NOTIFICATION_FOLDER, 'Publish a death notification');
    optIn.request!.url = { raw: '{{baseUrl}}/events/%64eathNotification', host: ['{{baseUrl}}'], path: ['events', '%64eathNotification'] };
    const run = await runWhole({ env: 'integration', proxy, client: SUP, collection, vars: { publishDeathNotification: 'true' } });
    // It went out (the guard judged the decoded path), and the opt-in disarmed after it.
    expect(api(proxy).filter((s) => s.method === 'POST' && s.path === '/events/%64eathNotification')).toHaveLength(1);
    expect(run.environment['publishDeathNotification']).toBe('false');
  });
});

describe('dev and demo: edits a tester makes, and 0 publishes but test events, 0 deletes of other events', () => {
  for (const env of ['dev', 'demo'] as const) {
    it(`${env}: a publish edited to DEATH_NOTIFICATION and a top-level one of the tester's own are not sent`, async () => {
      const { standin, proxy } = await standinBehindProxy();
      const collection = committedCollection(env);
      editBody(requestIn(collection, 'Supplier: publish a test event', 'Publish a test event'), { eventType: 'DEATH_NOTIFICATION', id: '{{$guid}}' });
      addTopLevel(collection, {
        name: 'Publish one of mine',
        method: 'POST',
        url: '{{baseUrl}}/events',
        body: { eventType: 'DEATH_NOTIFICATION', id: '12345' },
      });
      addTopLevel(collection, { name: 'Change a thing', method: 'PUT', url: '{{baseUrl}}/events/0c9c1f1e-2a5b-4a53-9d1e-4a0a3c2b1d00', body: {} });
      const outcome = await runWhole({ env, proxy, client: SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT, collection });
      expect(publishes(proxy)).toEqual([]);
      expect(api(proxy).filter((s) => !['GET', 'HEAD'].includes(s.method) && s.path !== '/events/deathNotification')).toEqual([]);
      expect(standin.store.tally.published).toEqual({});
      expect(guardLines(outcome)).toEqual([
        'Supplier: publish a test event / Publish a test event: GDX guard: not sent: POST /events publishes eventType DEATH_NOTIFICATION: only a TEST_EVENT is published on a shared environment; a real-looking event reaches every subscribed acquirer: this request was not sent: it could harm a shared environment',
        ' / Publish one of mine: GDX guard: not sent: POST /events publishes eventType DEATH_NOTIFICATION: only a TEST_EVENT is published on a shared environment; a real-looking event reaches every subscribed acquirer: this request was not sent: it could harm a shared environment',
        expect.stringMatching(/^ \/ Change a thing: GDX guard: not sent: PUT \/events\/\S* could change data on a shared environment/),
      ]);
    });

    it(`${env}: "Acknowledge the test event" pointed at an event that is not a test event, and a copy of it, delete nothing; the unedited one still removes the test event`, async () => {
      const { standin, proxy } = await standinBehindProxy();
      // A test event for the acquirer to find, published by an unedited supplier run.
      await runWhole({ env, proxy, client: SUP, collection: committedCollection(env) });
      expect(standin.store.tally.published).toEqual({ TEST_EVENT: 1 });
      const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
      const collection = committedCollection(env);
      const acknowledge = requestIn(collection, folderOf(collection, 'Acquirer: acknowledge'), 'Acknowledge the test event');
      const copy = duplicate(collection, acknowledge);
      acknowledgeUrl(acknowledge, real.id);
      acknowledgeUrl(copy, real.id.toUpperCase());
      addTopLevel(collection, { name: 'Remove one of mine', method: 'DELETE', url: `{{baseUrl}}/events/${real.id}` });
      const outcome = await runWhole({ env, proxy, client: ACQ, collection });
      expect(deletes(proxy)).toEqual([]);
      expect(standin.store.tally.acknowledged).toEqual({});
      expect(standin.store.find(ACQ.clientId, ['DEATH_NOTIFICATION'], real.id)?.id).toBe(real.id);
      expect(guardLines(outcome)).toHaveLength(3);
      for (const line of guardLines(outcome))
        expect(line).toContain(`the service says event ${real.id} is a DEATH_NOTIFICATION, and only a test event may be acknowledged`);

      // The same session, unedited: the test event the service listed is the one removed.
      const plain = await runWhole({ env, proxy, client: ACQ, collection: committedCollection(env), collectionVariables: outcome.collectionVariables });
      expect(failures(plain)).toEqual([]);
      expect(deletes(proxy).map((d) => d.status)).toEqual([204]);
      expect(standin.store.tally.acknowledged).toEqual({ TEST_EVENT: 1 });
    });
  }
});

describe('the first click: "Get an access token" checks its inputs before anything is sent', () => {
  const firstClick = (collection: PostmanCollection): PostmanCollection => ({
    ...collection,
    item: collection.item.filter((f) => f.name === 'Get an access token'),
  });

  it('empty clientId and clientSecret: 0 token requests, and the message names both variables', async () => {
    const { proxy } = await standinBehindProxy();
    const outcome = await runWhole({ env: 'demo', proxy, client: { clientId: '', clientSecret: '' }, collection: firstClick(committedCollection('demo')) });
    expect(proxy.seen).toEqual([]);
    expect(failures(outcome)).toEqual([
      'Get an access token / Form encoded credentials: GDX token: clientId and clientSecret are empty; set both in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one: GDX token: clientId and clientSecret are empty; set both in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one',
      'Get an access token / Basic authorization: GDX token: clientId and clientSecret are empty; set both in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one: GDX token: clientId and clientSecret are empty; set both in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one',
    ]);
  });

  it('no environment selected: nothing is sent to the literal {{tokenUrl}}, and the message says to select one', async () => {
    const outcome = await recordedRun({
      collection: firstClick(committedCollection('demo')),
      environment: { id: 'none', name: 'none', values: [], _postman_variable_scope: 'environment' },
      variables: {},
      timeoutMs: 30_000,
    });
    expect(sent(outcome)).toEqual([]);
    expect(outcome.executions.filter((e) => e.requestError)).toEqual([]);
    expect(failures(outcome)[0]).toContain(
      'GDX token: tokenUrl is empty; select the GDX Data Share environment that goes with this collection (the environment menu, top right)',
    );
  });

  it('a token URL that is plain http to another machine: nothing is sent, and the secret stays home', async () => {
    const outcome = await recordedRun({
      collection: firstClick(committedCollection('demo')),
      environment: committedEnvironment('demo'),
      variables: { tokenUrl: 'http://auth.example.invalid/oauth2/token', clientId: ACQ.clientId, clientSecret: ACQ.clientSecret },
      timeoutMs: 30_000,
    });
    expect(sent(outcome)).toEqual([]);
    expect(outcome.executions.filter((e) => e.requestError)).toEqual([]);
    expect(failures(outcome)[0]).toContain(
      "GDX token: tokenUrl is plain http to auth.example.invalid, so the client secret would travel in clear; use the https token URL (the handbook's table of environments)",
    );
  });
});

// What the guard cannot see before the send: a tester's own scripts run after the collection's, so
// the guard looks again after every request, at what was sent. What it let go and what was sent
// must be the same request, or one it would have let go too; else the run fails, loudly, and the
// session's writes are locked until the tester clears gdxGuardLock.
const changedLines = (o: RecordedRun) => failures(o).filter((f) => f.includes('was changed after the guard judged it') && !f.includes('writes are locked'));
const lockedLines = (o: RecordedRun) => failures(o).filter((f) => f.includes('GDX guard: not sent: writes are locked in this session'));

describe("the guard looks again after the send: a request changed by a script of the tester's own fails the run and locks the writes", () => {
  it('dev: a request script that rewrites the body of "Publish a test event" into a DEATH_NOTIFICATION: the run fails saying what was sent, and the next publish is not sent', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const collection = committedCollection('dev');
    const publish = requestIn(collection, 'Supplier: publish a test event', 'Publish a test event');
    addOwnScript(publish, 'prerequest', ["pm.request.body.update(JSON.stringify({ eventType: 'DEATH_NOTIFICATION', id: '12345' }));"]);
    duplicate(collection, publish).event = publish.event!.filter((e) => e.listen !== 'prerequest' || !e.script.exec.join('').includes('body.update'));
    const outcome = await runWhole({ env: 'dev', proxy, client: SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT, collection });
    // The first one went out changed (the guard saw it only after the send); the copy after it did not go.
    expect(publishes(proxy).map((p) => JSON.parse(p.body).eventType)).toEqual(['DEATH_NOTIFICATION']);
    expect(changedLines(outcome)).toEqual([
      'Supplier: publish a test event / Publish a test event: GDX guard: POST /events was changed after the guard judged it, by a script of this request or its folder: it sent POST /events, which the guard does not send: POST /events publishes eventType DEATH_NOTIFICATION: only a TEST_EVENT is published on a shared environment; a real-looking event reaches every subscribed acquirer: a script changed this request after the guard allowed it',
    ]);
    expect(lockedLines(outcome).map((l) => l.split(': GDX guard')[0])).toEqual(['Supplier: publish a test event / Publish a test event Copy']);
    expect(lockedLines(outcome)[0]).toContain('once that script is gone, clear the collection variable gdxGuardLock to send writes again');
    expect(outcome.collectionVariables['gdxGuardLock']).toContain('"Publish a test event" POST /events was changed after the guard judged it');
    expect(standin.store.tally.published).toEqual({ DEATH_NOTIFICATION: 1 });

    // The same session: still locked for writes, reads still go; cleared, writes go again.
    const again = await runWhole({ env: 'dev', proxy, client: SUP, collection: committedCollection('dev'), collectionVariables: outcome.collectionVariables });
    expect(publishes(proxy)).toHaveLength(1);
    expect(lockedLines(again)).toHaveLength(1);
    const cleared = await runWhole({
      env: 'dev',
      proxy,
      client: SUP,
      collection: committedCollection('dev'),
      collectionVariables: { ...outcome.collectionVariables, gdxGuardLock: '' },
    });
    expect(failures(cleared)).toEqual([]);
    expect(standin.store.tally.published).toEqual({ DEATH_NOTIFICATION: 1, TEST_EVENT: 1 });
  });

  for (const [edit, script] of [
    ['sets testEventId to a real event', (id: string) => [`pm.collectionVariables.set('testEventId', '${id}');`]],
    ['points the URL at a real event', (id: string) => [`pm.request.url = pm.variables.replaceIn('{{baseUrl}}') + '/events/${id}';`]],
  ] as const) {
    it(`dev: a request script on the untouched "Acknowledge the test event" that ${edit}: the run fails, and the session's writes lock`, async () => {
      const { standin, proxy } = await standinBehindProxy();
      await runWhole({ env: 'dev', proxy, client: SUP, collection: committedCollection('dev') });
      const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
      const testEvent = standin.store.queue(ACQ.clientId, ['TEST_EVENT'])[0]!;
      const collection = committedCollection('dev');
      const acknowledge = requestIn(collection, folderOf(collection, 'Acquirer: acknowledge'), 'Acknowledge the test event');
      addOwnScript(acknowledge, 'prerequest', script(real.id));
      const outcome = await runWhole({ env: 'dev', proxy, client: ACQ, collection });
      expect(changedLines(outcome)).toHaveLength(1);
      expect(changedLines(outcome)[0]).toContain(
        `GDX guard: DELETE /events/${testEvent.id} was changed after the guard judged it, by a script of this request or its folder: it sent DELETE /events/${real.id}, which the guard does not send: the service was not asked whether event ${real.id} is a test event`,
      );
      expect(outcome.collectionVariables['gdxGuardLock']).toContain('"Acknowledge the test event" DELETE');
      // What the guard asked about was the test event; the DELETE that went out named the real one.
      expect(deletes(proxy).map((d) => d.path)).toEqual([`/events/${real.id}`]);
    });
  }

  it('dev: a GET whose own script turns it into a DELETE of a real event fails the run the same way', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
    const collection = committedCollection('dev');
    addOwnScript(requestIn(collection, 'Acquirer: events', 'List events'), 'prerequest', [
      "pm.request.method = 'DELETE';",
      `pm.request.url = pm.variables.replaceIn('{{baseUrl}}') + '/events/${real.id}';`,
    ]);
    const outcome = await runWhole({ env: 'dev', proxy, client: ACQ, collection });
    expect(changedLines(outcome)[0]).toContain(
      `Acquirer: events / List events: GDX guard: GET /events was changed after the guard judged it, by a script of this request or its folder: it sent DELETE /events/${real.id}, which the guard does not send`,
    );
    expect(outcome.collectionVariables['gdxGuardLock']).not.toBe('');
  });

  it('integration, armed: a request script that makes the opt-in record one the pipeline dead-letters is noticed, and the writes lock', async () => {
    // This test means its one dead letter: its stand-in writes it to a file of its own.
    const deadLetterFile = join(mkdtempSync(join(tmpdir(), 'gdx-dl-')), 'dead-letters.log');
    const { standin, proxy } = await standinBehindProxy({ deadLetterFile });
    const collection = committedCollection('integration');
    const publish = requestIn(collection, PUBLISH_DEATH_NOTIFICATION_FOLDER, 'Publish a death notification');
    // After the guard judged the record (gender 2), before the send: 7 is no gender the enrichment maps.
    addOwnScript(publish, 'prerequest', [
      'var record = JSON.parse(pm.request.body.raw);',
      'record.DeceasedGender = 7;',
      'pm.request.body.update(JSON.stringify(record));',
    ]);
    const outcome = await runWhole({ env: 'integration', proxy, client: SUP, collection, vars: { publishDeathNotification: 'true' } });
    // The API accepts it (the guard saw the change only after the send); the enrichment dead-letters it.
    expect(standin.store.deathNotifications.map((d) => d.outcome)).toEqual(['dead-lettered']);
    expect(changedLines(outcome)).toHaveLength(1);
    expect(changedLines(outcome)[0]).toContain(
      `${PUBLISH_DEATH_NOTIFICATION_FOLDER} / Publish a death notification: GDX guard: POST /events/deathNotification was changed after the guard judged it, by a script of this request or its folder: it sent POST /events/deathNotification, which the guard does not send: this record would be accepted (201), then dead-lettered, which pages the platform team: it does not match the death-notification-deliverable schema`,
    );
    expect(outcome.collectionVariables['gdxGuardLock']).toContain(
      '"Publish a death notification" POST /events/deathNotification was changed after the guard judged it',
    );
    const deadLetters = readFileSync(deadLetterFile, 'utf8').trim().split('\n');
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toContain('DeceasedGender is not 1, 2 or 9');
  });

  it("integration: a record put into a request of the tester's own by its script is noticed, and the probe after it is not sent", async () => {
    const { standin, proxy } = await standinBehindProxy();
    const collection = committedCollection('integration');
    const mine = addToFolder(
      collection,
      'Supplier: death notification',
      { name: 'My check', method: 'POST', url: '{{baseUrl}}/events/deathNotification', body: {} },
      0,
    );
    addOwnScript(mine, 'prerequest', [`pm.request.body.update(${JSON.stringify(JSON.stringify(deliverableUpdate()))});`]);
    const outcome = await runWhole({ env: 'integration', proxy, client: SUP, collection });
    expect(standin.store.deathNotifications.map((d) => d.outcome)).toEqual(['delivered']);
    expect(changedLines(outcome)[0]).toContain(
      'Supplier: death notification / My check: GDX guard: POST /events/deathNotification was changed after the guard judged it, by a script of this request or its folder: it sent POST /events/deathNotification, which the guard does not send: this record has RecordUpdateDateTime',
    );
    // Every later write of the session is refused, the death notification without a token too.
    expect(lockedLines(outcome).map((l) => l.split(': GDX guard')[0])).toEqual([
      'Supplier: death notification / Token, scope and route are accepted (record refused on purpose)',
      'Without a token / Death notification without a token',
    ]);
  });
});

describe('edits that now send nothing harmful: the guard trusts no variable a tester can write', () => {
  it('integration: the opt-in armed from a data file, with its request duplicated, sends one record; the next run of the session none', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const collection = committedCollection('integration');
    duplicate(collection, requestIn(collection, PUBLISH_DEATH_NOTIFICATION_FOLDER, 'Publish a death notification'));
    const first = await runWhole({ env: 'integration', proxy, client: SUP, collection, iterationData: [{ publishDeathNotification: 'true' }] });
    expect(accepted(proxy)).toHaveLength(1);
    expect(standin.store.deathNotifications.map((d) => d.outcome)).toEqual(['delivered']);
    expect(first.console).toContainEqual(
      expect.stringMatching(
        /^GDX skip: folder "Supplier: publish a death notification \(opt-in\)" has sent its one record in this session \(at \d\d:\d\d:\d\d UTC\); to send another, clear the collection variable gdxOptInSent$/,
      ),
    );
    expect(first.console).toContain(
      'GDX guard: one death notification went out; publishDeathNotification is now false (it is still true in another scope: a data file or a global; clear it there). Set it to true again to send another.',
    );
    const next = await runWhole({
      env: 'integration',
      proxy,
      client: SUP,
      collection,
      iterationData: [{ publishDeathNotification: 'true' }],
      collectionVariables: first.collectionVariables,
    });
    expect(accepted(proxy)).toHaveLength(1);
    expect(sent(next).map((e) => e.name)).not.toContain('Publish a death notification');
  });

  it("dev: a real event's id written into the collection's variables, and the acknowledge pointed at it, deletes nothing: the service is asked", async () => {
    const { standin, proxy } = await standinBehindProxy();
    const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
    const collection = committedCollection('dev');
    acknowledgeUrl(requestIn(collection, folderOf(collection, 'Acquirer: acknowledge'), 'Acknowledge the test event'), real.id);
    const outcome = await runWhole({
      env: 'dev',
      proxy,
      client: ACQ,
      collection,
      collectionVariables: { gdxTestEvents: JSON.stringify([real.id]), testEventId: real.id },
    });
    expect(deletes(proxy)).toEqual([]);
    expect(standin.store.find(ACQ.clientId, ['DEATH_NOTIFICATION'], real.id)?.id).toBe(real.id);
    expect(guardLines(outcome)).toEqual([
      expect.stringContaining(`GDX guard: not sent: the service says event ${real.id} is a DEATH_NOTIFICATION, and only a test event may be acknowledged`),
    ]);
    // The guard's question: a GET of that event, on the API, with the folder's token.
    expect(
      api(proxy)
        .filter((s) => s.method === 'GET' && s.path === `/events/${real.id}`)
        .map((s) => s.token),
    ).toEqual([true]);
  });

  it('dev: a mock that lists a real id as a TEST_EVENT is sent no token, and the real event stays', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
    const asked: { path: string; authorization: string }[] = [];
    const mock = await serve((req, res) => {
      asked.push({ path: req.url ?? '', authorization: req.headers.authorization ?? '' });
      const event = { id: real.id, type: 'events', attributes: { eventType: 'TEST_EVENT' }, links: { self: `x/events/${real.id}` }, meta: {} };
      res.writeHead(200, { 'Content-Type': 'application/vnd.api+json' });
      res.end(JSON.stringify({ data: req.url?.startsWith('/events/') ? event : [event], links: { self: 'x' }, meta: { page: {} } }));
    });
    running.push({ stop: mock.close });
    const collection = committedCollection('dev');
    const find = requestIn(collection, folderOf(collection, 'Acquirer: acknowledge'), 'Find a test event');
    setUrl(find, `${mock.url}/events?filter%5BeventType%5D=TEST_EVENT`);
    const outcome = await runWhole({ env: 'dev', proxy, client: ACQ, collection, collectionVariables: { testEventId: real.id } });
    expect(asked).toEqual([]);
    expect(deletes(proxy)).toEqual([]);
    expect(outcome.console).toContain(
      `GDX skip: request "Find a test event": goes to ${mock.url}, and this folder sends its access token to baseUrl's host only`,
    );
    expect(standin.store.find(ACQ.clientId, ['DEATH_NOTIFICATION'], real.id)?.id).toBe(real.id);
  });

  it('dev: a DELETE to another host, which would redirect it to the API, is not sent', async () => {
    const { standin, proxy } = await standinBehindProxy();
    const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
    const reached: string[] = [];
    const redirector = await serve((req, res) => {
      reached.push(`${req.method} ${req.url}`);
      res.writeHead(307, { Location: `${proxy.url}${req.url}` });
      res.end();
    });
    running.push({ stop: redirector.close });
    const collection = committedCollection('dev');
    addTopLevel(collection, { name: 'Remove it over there', method: 'DELETE', url: `${redirector.url}/events/${real.id}` });
    const outcome = await runWhole({ env: 'dev', proxy, client: ACQ, collection });
    expect(reached).toEqual([]);
    expect(deletes(proxy)).toEqual([]);
    expect(guardLines(outcome)).toEqual([
      ` / Remove it over there: GDX guard: not sent: DELETE /events/${real.id} goes to ${redirector.url}, not to baseUrl's host: the guard sends writes to the API itself only: this request was not sent: it could harm a shared environment`,
    ]);
  });

  for (const env of ['dev', 'integration'] as const) {
    it(`${env}: tokenUrl pointed at an API route sends the API no secret, publishes nothing and delivers nothing`, async () => {
      const { standin, proxy } = await standinBehindProxy();
      const route = env === 'dev' ? '/events' : '/events/deathNotification';
      const collection = committedCollection(env);
      const outcome = await runWhole({
        env,
        proxy,
        client: SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT,
        collection,
        vars: { tokenUrl: `${proxy.url}${route}`, publishDeathNotification: 'true' },
      });
      const secret = SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT.clientSecret;
      const basic = Buffer.from(`${SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT.clientId}:${secret}`).toString('base64');
      expect(proxy.seen.filter((s) => s.body.includes(secret) || s.authorization.includes(basic))).toEqual([]);
      expect(publishes(proxy).filter((p) => p.status < 400)).toEqual([]);
      expect(accepted(proxy)).toEqual([]);
      expect(standin.store.tally.published).toEqual({});
      expect(standin.store.deathNotifications).toEqual([]);
      expect(failures(outcome)).toContainEqual(
        expect.stringContaining(`GDX token: tokenUrl points at the API (127.0.0.1${route}), which would be sent the client secret`),
      );
    });
  }
});

// The same edits in the other clients a tester uses, run whole (every folder and every request of
// the tester's own) the way the Collection Runner runs them, and counted at the proxy.
type EditedRun = (
  collection: PostmanCollection,
  client: { clientId: string; clientSecret: string },
  proxy: RecordingProxy,
  vars?: Record<string, string>,
) => Promise<ToolRun>;

function envVarArgs(proxy: RecordingProxy, client: { clientId: string; clientSecret: string }, vars: Record<string, string>): string[] {
  const all = { tokenUrl: `${proxy.url}/oauth2/token`, baseUrl: proxy.url, clientId: client.clientId, clientSecret: client.clientSecret, ...vars };
  return Object.entries(all).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]);
}

/** The Postman CLI on the edited v2.1 file, or on the v3 folder written from it. */
function postmanCli(binary: string, form: 'v2.1' | 'v3'): EditedRun {
  return async (collection, client, proxy, vars = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-edits-pm-'));
    let target: string;
    let environment: string;
    if (form === 'v2.1') {
      target = join(dir, 'collection.json');
      environment = join(dir, 'environment.json');
      writeFileSync(target, JSON.stringify(collection));
      writeFileSync(environment, JSON.stringify(committedEnvironment('local')));
    } else {
      // The tester's top-level requests become files in the collection's root, as Postman 12 saves them.
      const topLevel = collection.item.filter((i) => !('item' in i) || !i.item) as unknown as PostmanRequestItem[];
      const folders = { ...collection, item: collection.item.filter((i) => 'item' in i && i.item) };
      const files = v3Files(LOCAL, folders, committedEnvironment('local'));
      const root = `postman/collections/${v3FileName(collection.info.name)}`;
      topLevel.forEach((item, i) =>
        files.push({ path: `${root}/${v3FileName(item.name)}.request.yaml`, content: yamlText(requestFile(item, (folders.item.length + i + 1) * 1000)) }),
      );
      for (const f of files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      target = join(dir, root);
      environment = join(dir, 'postman/environments/local.yaml');
    }
    return runTool(binary, ['collection', 'run', target, '-e', environment, '-r', 'cli', ...envVarArgs(proxy, client, vars)], dir);
  };
}

/** Bruno's importer on the edited v2.1 file, then `bru run` of the whole collection; the same
 * folder each time, so that what Bruno writes back to its environment carries over, as in the app. */
function brunoCli(sandbox: 'safe' | 'developer'): EditedRun {
  let dir = '';
  return async (collection, client, proxy, vars = {}) => {
    if (!dir || collection !== brunoImported.get(dir)) {
      const work = mkdtempSync(join(tmpdir(), 'gdx-edits-bru-'));
      writeFileSync(join(work, 'collection.json'), JSON.stringify(collection));
      writeFileSync(join(work, 'environment.json'), JSON.stringify(committedEnvironment('local')));
      dir = join(work, 'collection');
      await brunoImport(join(work, 'collection.json'), join(work, 'environment.json'), dir);
      brunoImported.set(dir, collection);
    }
    return runTool(BRU, ['run', '--env', collectionName(LOCAL), '--sandbox', sandbox, ...envVarArgs(proxy, client, vars)], dir);
  };
}
const brunoImported = new Map<string, PostmanCollection>();

const EDIT_CLIENTS: [string, EditedRun][] = [
  ['Postman CLI 1.34.0, v2.1 file', postmanCli(POSTMAN, 'v2.1')],
  ['Postman CLI 1.62.0, v2.1 file', postmanCli(POSTMAN_NEWEST, 'v2.1')],
  ['Postman CLI 1.62.0, v3 folder', postmanCli(POSTMAN_NEWEST, 'v3')],
  ['Bruno, safe sandbox', brunoCli('safe')],
  ['Bruno, developer sandbox', brunoCli('developer')],
];

/** Every edit above in one local collection (it has both APIs), with a second copy of the opt-in
 * request in the opt-in folder: the same session's next send. */
function allEdits(realEventId: string): PostmanCollection {
  const collection = committedCollection('local');
  editBody(
    duplicate(collection, requestIn(collection, 'Supplier: death notification', 'Token, scope and route are accepted (record refused on purpose)')),
    SYNTHETIC_DEATH_NOTIFICATION,
  );
  editBody(requestIn(collection, 'Supplier: publish a test event', 'Publish a test event'), { eventType: 'DEATH_NOTIFICATION', id: '{{$guid}}' });
  acknowledgeUrl(requestIn(collection, folderOf(collection, 'Acquirer: acknowledge'), 'Acknowledge the test event'), realEventId);
  duplicate(collection, requestIn(collection, PUBLISH_DEATH_NOTIFICATION_FOLDER, 'Publish a death notification'));
  addTopLevel(collection, { name: 'My death notification', method: 'POST', url: '{{baseUrl}}/events/deathNotification', body: SYNTHETIC_DEATH_NOTIFICATION });
  addTopLevel(collection, { name: 'Publish one of mine', method: 'POST', url: '{{baseUrl}}/events', body: { eventType: 'DEATH_NOTIFICATION', id: '12345' } });
  return collection;
}

const missing = missingClients();
describe.skipIf(!!missing)(`the same edits in the Postman CLI and Bruno${missing ? ` (skipped: ${missing})` : ''}`, () => {
  for (const [name, runEdited] of EDIT_CLIENTS) {
    it(`${name}: 0 accepted outside the armed opt-in, exactly 1 armed and 0 on the next send, 0 publishes but test events, 0 deletes of other events, 0 token requests from an empty first click`, async () => {
      const { standin, proxy } = await standinBehindProxy();
      const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
      const collection = allEdits(real.id);
      const said: string[] = [];
      said.push((await runEdited(collection, SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT, proxy)).output);
      said.push((await runEdited(collection, ACQ, proxy)).output);
      const routine = { accepted: accepted(proxy).length, publishes: publishes(proxy).length, deletes: deletes(proxy).length };
      said.push((await runEdited(collection, SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT, proxy, { publishDeathNotification: 'true' })).output);
      const armed = accepted(proxy).length;
      // The next send, not armed again (Bruno keeps what the script set in its environment file).
      said.push((await runEdited(collection, SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT, proxy)).output);
      const next = accepted(proxy).length - armed;
      const before = proxy.seen.length;
      const firstClick = { ...collection, item: collection.item.filter((f) => f.name === 'Get an access token') };
      said.push((await runEdited(firstClick, { clientId: '', clientSecret: '' }, proxy)).output);
      const counts = {
        routine,
        armed,
        next,
        firstClickTokenRequests: proxy.seen.slice(before).filter((s) => s.path === '/oauth2/token').length,
        delivered: standin.store.deathNotifications.map((d) => d.outcome),
        realEventKept: standin.store.find(ACQ.clientId, ['DEATH_NOTIFICATION'], real.id)?.id === real.id,
      };
      console.log(`${name}: ${JSON.stringify(counts)}`);
      const text = said.join('\n');
      expect(counts, text.slice(-4000)).toEqual({
        routine: { accepted: 0, publishes: 0, deletes: 0 },
        armed: 1,
        next: 0,
        firstClickTokenRequests: 0,
        delivered: ['delivered'],
        realEventKept: true,
      });
      expect(text).toContain('GDX guard: not sent: POST /events publishes eventType DEATH_NOTIFICATION');
      expect(text).toContain('GDX token: clientId and clientSecret are empty');
    }, 300_000);
  }
});

/** The edits the guard sees only after the send, in one local collection: a request script that
 * rewrites a publish into a DEATH_NOTIFICATION (a copy without the script follows it), and one
 * that sets testEventId to a real event before "Acknowledge the test event". */
function changedAfterTheGuard(realEventId: string): PostmanCollection {
  const collection = committedCollection('local');
  const publish = requestIn(collection, 'Supplier: publish a test event', 'Publish a test event');
  duplicate(collection, publish);
  addOwnScript(publish, 'prerequest', ["pm.request.body.update(JSON.stringify({ eventType: 'DEATH_NOTIFICATION', id: '12345' }));"]);
  addOwnScript(requestIn(collection, folderOf(collection, 'Acquirer: acknowledge'), 'Acknowledge the test event'), 'prerequest', [
    `pm.collectionVariables.set('testEventId', '${realEventId}');`,
  ]);
  return collection;
}

const SECOND_LOOK_CLIENTS = EDIT_CLIENTS.filter(([name]) => !name.startsWith('Postman CLI 1.34'));
/** What the supplier's run of the rewritten publish comes to in each client, as measured. */
const SECOND_LOOK_SUPPLIER: Record<string, { published: string[]; supplierExit: boolean; supplierChanged: boolean; copyLocked: boolean }> = {
  // Caught after the send: the run fails, and the copy after it is not sent.
  'Postman CLI 1.62.0, v2.1 file': { published: ['DEATH_NOTIFICATION'], supplierExit: true, supplierChanged: true, copyLocked: true },
  // The v3 runner hands a post-response script the request as saved, not as sent: a change the
  // tester's script makes to pm.request itself is not seen there (a changed variable is).
  'Postman CLI 1.62.0, v3 folder': { published: ['DEATH_NOTIFICATION', 'TEST_EVENT'], supplierExit: false, supplierChanged: false, copyLocked: false },
  // Bruno's importer has no translation for pm.request.body.update: the script fails, Bruno sends
  // nothing for that request, and the copy goes out as a TEST_EVENT.
  'Bruno, safe sandbox': { published: ['TEST_EVENT'], supplierExit: true, supplierChanged: false, copyLocked: false },
  'Bruno, developer sandbox': { published: ['TEST_EVENT'], supplierExit: true, supplierChanged: false, copyLocked: false },
};
describe.skipIf(!!missing)(`the guard's second look in the Postman CLI 1.62 and Bruno${missing ? ` (skipped: ${missing})` : ''}`, () => {
  for (const [name, runEdited] of SECOND_LOOK_CLIENTS) {
    it(`${name}: a request changed by a script of the tester's own fails the run and locks the writes; tokenUrl at an API route sends the API no secret`, async () => {
      const { standin, proxy } = await standinBehindProxy();
      const real = standin.store.queue(ACQ.clientId, ['DEATH_NOTIFICATION'])[0]!;
      const collection = changedAfterTheGuard(real.id);
      const supplier = await runEdited(collection, SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT, proxy);
      const published = publishes(proxy).map((p) => (JSON.parse(p.body) as { eventType: string }).eventType);
      // A test event for the acquirer's run to acknowledge, from an unedited supplier's run.
      await runEdited(committedCollection('local'), SUP, proxy);
      const acquirer = await runEdited(collection, ACQ, proxy);
      const before = proxy.seen.length;
      const atTheApi = await runEdited(committedCollection('local'), SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT, proxy, { tokenUrl: `${proxy.url}/events` });
      const secret = SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT.clientSecret;
      const basic = Buffer.from(`${SUPPLIER_OF_DEATH_NOTIFICATIONS_CLIENT.clientId}:${secret}`).toString('base64');
      const counts = {
        published,
        supplierExit: supplier.code !== 0,
        supplierChanged: supplier.output.includes('GDX guard: POST /events was changed after the guard judged it'),
        copyLocked: supplier.output.includes('GDX guard: not sent: writes are locked in this session: "Publish a test event" POST /events was changed'),
        deleted: deletes(proxy).map((d) => d.path),
        acquirerExit: acquirer.code !== 0,
        acquirerChanged: acquirer.output.includes(
          `was changed after the guard judged it, by a script of this request or its folder: it sent DELETE /events/${real.id}`,
        ),
        secretToTheApi: proxy.seen.slice(before).filter((s) => s.path.startsWith('/events') && (s.body.includes(secret) || s.authorization.includes(basic)))
          .length,
        publishedAtTheApi: standin.store.tally.published,
        tokenUrlRefused: atTheApi.output.includes('tokenUrl points at the API'),
      };
      console.log(`${name}: ${JSON.stringify(counts)}`);
      expect(counts, `${supplier.output.slice(-3000)}\n${acquirer.output.slice(-3000)}`).toEqual({
        ...SECOND_LOOK_SUPPLIER[name]!,
        // The acknowledge's DELETE went out naming the real event (the guard asked about the test
        // event), and was caught after it in every client: a changed variable is seen everywhere.
        deleted: [`/events/${real.id}`],
        acquirerExit: true,
        acquirerChanged: true,
        secretToTheApi: 0,
        publishedAtTheApi: Object.fromEntries(
          ['DEATH_NOTIFICATION', 'TEST_EVENT'].flatMap((t) => {
            const n = SECOND_LOOK_SUPPLIER[name]!.published.filter((p) => p === t).length + (t === 'TEST_EVENT' ? 1 : 0);
            return n ? [[t, n]] : [];
          }),
        ),
        tokenUrlRefused: true,
      });
    }, 300_000);
  }
});
