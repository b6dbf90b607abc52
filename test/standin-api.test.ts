import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENTS } from '../src/environments.js';
import { validator, type SchemaName } from '../src/schemas.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { SEED_EVENT_COUNT } from '../src/standin/store.js';
import { call, token } from './helpers/http.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;
const NARROW = { clientId: 'narrow-acquirer', secrets: ['s'], scopes: ['events/consume'], enrichmentFields: ['firstNames', 'lastName'] };

let standin: Standin;
let acquirer: string;
let supplier: string;

beforeAll(async () => {
  standin = await startStandin({ clients: [NARROW] });
  acquirer = await token(standin.tokenUrl, ACQ.clientId, ACQ.clientSecret);
  supplier = await token(standin.tokenUrl, SUP.clientId, SUP.clientSecret);
});
afterAll(() => standin.stop());

const bearer = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });

function expectSchema(name: SchemaName, body: unknown): void {
  const validate = validator(name);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

interface EventList {
  data: { id: string; attributes: { sourceId: string; eventType: string } }[];
  links: Record<string, string>;
  meta: { page: { size: number; totalElements: number; totalPages: number; number: number } };
}

async function list(jwt: string, query = ''): Promise<EventList> {
  const res = await call(`${standin.baseUrl}/events${query}`, { headers: bearer(jwt) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.api+json');
  expectSchema('event-list', res.json());
  return res.json() as EventList;
}

function publish(jwt: string, body: unknown, contentType = 'application/json') {
  return call(`${standin.baseUrl}/events`, {
    method: 'POST',
    headers: { ...bearer(jwt), 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('events API v1', () => {
  it('lists the seeded events oldest first, 100 a page by default', async () => {
    const page = await list(acquirer);
    expect(page.data.length).toBe(SEED_EVENT_COUNT);
    expect(page.meta.page).toEqual({ size: 100, totalElements: SEED_EVENT_COUNT, totalPages: 1, number: 0 });
    expect(page.data.map((e) => e.attributes.sourceId)).toEqual([...page.data.map((e) => e.attributes.sourceId)].sort());
  });

  it('pages with page[size] and page[number], with first, prev, next and last links', async () => {
    const page = await list(acquirer, '?page[size]=2&page[number]=1');
    expect(page.data).toHaveLength(2);
    expect(page.meta.page).toEqual({ size: 2, totalElements: SEED_EVENT_COUNT, totalPages: 3, number: 1 });
    expect(Object.keys(page.links).sort()).toEqual(['first', 'last', 'next', 'prev', 'self']);
    expect(new URL(page.links['next']!).searchParams.get('page[number]')).toBe('2');
    expect(new URL(page.links['last']!).searchParams.get('page[number]')).toBe('2');
    const last = await list(acquirer, '?page[size]=2&page[number]=2');
    expect(last.data).toHaveLength(1);
    expect(last.links['next']).toBeUndefined();
    const first = await list(acquirer, '?page%5Bsize%5D=2');
    expect(first.links['prev']).toBeUndefined();
    expect(first.data[0]!.id).not.toBe(page.data[0]!.id);
  });

  it('filters by event type and time, and keeps the filters in its links', async () => {
    const none = await list(acquirer, '?filter[eventType]=LIFE_EVENT');
    expect(none.data).toEqual([]);
    expect(none.meta.page.totalElements).toBe(0);
    expect(new URL(none.links['self']!).searchParams.get('filter[eventType]')).toBe('LIFE_EVENT');
    const some = await list(acquirer, '?filter[fromTime]=2023-01-04T00:00:00&filter[toTime]=2023-01-05T23:59:59');
    expect(some.data).toHaveLength(2);
  });

  it('answers 400 with an error body to bad parameters', async () => {
    for (const q of ['?page[size]=0', '?page[size]=abc', '?page[number]=-1', '?filter[eventType]=BIRTH', '?filter[fromTime]=yesterday']) {
      const res = await call(`${standin.baseUrl}/events${q}`, { headers: bearer(acquirer) });
      expect(res.status, q).toBe(400);
      expectSchema('api-error', res.json());
    }
  });

  it('reads an event with its eventData, limited to the acquirer enrichment fields', async () => {
    const [first] = (await list(acquirer)).data;
    const res = await call(`${standin.baseUrl}/events/${first!.id}`, { headers: bearer(acquirer) });
    expect(res.status).toBe(200);
    expectSchema('event', res.json());
    const body = res.json() as { data: { attributes: { eventData: Record<string, unknown> } }; links: { self: string } };
    expect(Object.keys(body.data.attributes.eventData)).toHaveLength(12);
    expect(body.links.self).toBe(`${standin.baseUrl}/events/${first!.id}`);
    const narrow = await token(standin.tokenUrl, NARROW.clientId, 's');
    const limited = await call(`${standin.baseUrl}/events/${first!.id}`, { headers: bearer(narrow) });
    expect(Object.keys((limited.json() as typeof body).data.attributes.eventData).sort()).toEqual(['firstNames', 'lastName']);
  });

  it('answers 404 to an unknown event id and 400 to one that is not a UUID', async () => {
    const unknown = await call(`${standin.baseUrl}/events/00000000-0000-4000-8000-000000000000`, { headers: bearer(acquirer) });
    expect(unknown.status).toBe(404);
    expectSchema('api-error', unknown.json());
    expect((await call(`${standin.baseUrl}/events/not-a-uuid`, { headers: bearer(acquirer) })).status).toBe(400);
  });

  it('refuses a missing, malformed, foreign or expired token with 401 and WWW-Authenticate: Bearer', async () => {
    const none = await call(`${standin.baseUrl}/events`);
    expect([none.status, none.text, none.headers.get('www-authenticate')]).toEqual([401, '', 'Bearer']);
    const garbage = await call(`${standin.baseUrl}/events`, { headers: bearer('not.a.jwt') });
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const other = await startStandin();
    const foreign = await token(other.tokenUrl, ACQ.clientId, ACQ.clientSecret);
    await other.stop();
    expect((await call(`${standin.baseUrl}/events`, { headers: bearer(foreign) })).status).toBe(401);

    // Right issuer and claims, wrong key: the signature check must catch it.
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ client_id: ACQ.clientId, token_use: 'access', scope: 'events/consume' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setSubject(ACQ.clientId).setIssuer(standin.issuer).setIssuedAt(now).setExpirationTime(now + 600)
      .sign(privateKey);
    expect((await call(`${standin.baseUrl}/events`, { headers: bearer(forged) })).status).toBe(401);

    const shortLived = await startStandin({ tokenValiditySeconds: 1 });
    const expiring = await token(shortLived.tokenUrl, ACQ.clientId, ACQ.clientSecret);
    expect((await call(`${shortLived.baseUrl}/events`, { headers: bearer(expiring) })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await call(`${shortLived.baseUrl}/events`, { headers: bearer(expiring) })).status).toBe(401);
    await shortLived.stop();
  });

  it('answers 403 to a valid token without the scope', async () => {
    const read = await call(`${standin.baseUrl}/events`, { headers: bearer(supplier) });
    expect(read.status).toBe(403);
    expectSchema('api-error', read.json());
    expect((await publish(acquirer, { eventType: 'DEATH_NOTIFICATION', id: 'x1' })).status).toBe(403);
    const narrowed = await token(standin.tokenUrl, SUP.clientId, SUP.clientSecret, 'EventType/DeathNotification');
    expect((await publish(narrowed, { eventType: 'DEATH_NOTIFICATION', id: 'x2' })).status).toBe(403);
  });

  it('validates published events: 400 on bad fields, 415 on a non-JSON type', async () => {
    const bad = [
      { id: 'a1' },
      { eventType: 'BIRTH', id: 'a1' },
      { eventType: 'DEATH_NOTIFICATION' },
      { eventType: 'DEATH_NOTIFICATION', id: 'x'.repeat(81) },
      { eventType: 'DEATH_NOTIFICATION', id: 'has space' },
      { eventType: 'DEATH_NOTIFICATION', id: 'a1', eventTime: 'soon' },
      [],
    ];
    for (const body of bad) {
      const res = await publish(supplier, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectSchema('api-error', res.json());
    }
    expect((await publish(supplier, '{not json')).status).toBe(400);
    expect((await publish(supplier, 'eventType=DEATH_NOTIFICATION', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('round trip: a supplier publishes, the acquirer lists, reads, acknowledges, and it is gone', async () => {
    const sourceId = `round-trip.${Date.now()}@test`;
    const created = await publish(supplier, { eventType: 'DEATH_NOTIFICATION', id: sourceId, eventTime: '2021-12-31T12:34:56' });
    expect([created.status, created.text]).toEqual([201, '']);

    const queue = await list(acquirer);
    const mine = queue.data.at(-1)!;
    expect(mine.attributes.sourceId).toBe(sourceId);

    const read = await call(`${standin.baseUrl}/events/${mine.id}`, { headers: bearer(acquirer) });
    expect(read.status).toBe(200);
    expectSchema('event', read.json());

    const ack = await call(`${standin.baseUrl}/events/${mine.id}`, { method: 'DELETE', headers: bearer(acquirer) });
    expect([ack.status, ack.text]).toEqual([204, '']);
    const after = await list(acquirer);
    expect(after.data.map((e) => e.id)).not.toContain(mine.id);
    expect(after.meta.page.totalElements).toBe(queue.meta.page.totalElements - 1);
    expect((await call(`${standin.baseUrl}/events/${mine.id}`, { headers: bearer(acquirer) })).status).toBe(404);
    expect((await call(`${standin.baseUrl}/events/${mine.id}`, { method: 'DELETE', headers: bearer(acquirer) })).status).toBe(404);

    // Acknowledgement is per acquirer: another acquirer still sees it.
    const narrow = await token(standin.tokenUrl, NARROW.clientId, 's');
    expect((await list(narrow)).data.map((e) => e.id)).toContain(mine.id);
  });

  it('answers 405 to other methods', async () => {
    expect((await call(`${standin.baseUrl}/events`, { method: 'PUT', headers: bearer(acquirer) })).status).toBe(405);
  });

  it('counts API requests per client', async () => {
    standin.resetCounters();
    await list(acquirer);
    await list(acquirer);
    await call(`${standin.baseUrl}/events`);
    expect(standin.counters()).toMatchObject({ apiRequests: { [ACQ.clientId]: 2 }, apiRequestsTotal: 3, tokenRequestsTotal: 0 });
  });
});

describe('death-notification API v2', () => {
  const url = () => `${standin.baseUrl}/events/deathNotification`;
  const record = {
    RegistrationID: 1,
    DeceasedName: { PersonGivenName: ['Joan'], PersonFamilyName: 'Adams' },
    DeceasedGender: 2,
    DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '03' },
  };
  const send = (jwt: string | undefined, body: unknown) =>
    call(url(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(jwt ? bearer(jwt) : {}) },
      body: JSON.stringify(body),
    });

  it('accepts a valid record: 201 Event accepted', async () => {
    const res = await send(supplier, record);
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ message: 'Event accepted' });
    expectSchema('gateway-message', res.json());
  });

  it('answers 400 to a record that fails validation', async () => {
    for (const body of [{ ...record, DeceasedGender: 3 }, { ...record, RegistrationID: 'one' }, { Unknown: 1 }, [record]]) {
      const res = await send(supplier, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectSchema('gateway-message', res.json());
    }
  });

  it('answers 401 Unauthorized without a token, with a bad one, and without the scope', async () => {
    for (const jwt of [undefined, 'abc', acquirer]) {
      const res = await send(jwt, record);
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ message: 'Unauthorized' });
    }
  });
});
