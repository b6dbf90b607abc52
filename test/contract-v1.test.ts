// Contract suite, events API v1 (dev and demo): one test per rule of the stand-in, named by the
// rule's id and the platform source it comes from (govuk-one-login/life-events-platform at
// commit 3439cf0a, paths under platform/src/main/kotlin/uk/gov/gdx/datashare/). The test output
// reads as the conformance table; docs/fidelity.md has the same rows.
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { validator, type SchemaName } from '../src/schema-registry.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { SEED_EVENT_COUNT } from '../src/standin/store.js';
import { startCli } from './helpers/cli.js';
import { call, token, type Answer } from './helpers/http.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;
const NO_SOURCE_ID = {
  clientId: 'acquirer-without-source-id',
  secrets: ['s'],
  scopes: ['events/consume'],
  enrichmentFields: ['firstNames', 'lastName', 'sex'],
};
const INLINE = { clientId: 'acquirer-data-in-poll', secrets: ['s'], scopes: ['events/consume'], dataInPoll: true };
const UNSUBSCRIBED = { clientId: 'acquirer-unsubscribed', secrets: ['s'], scopes: ['events/consume'], subscriptions: [] };
const TESTS_ONLY = { clientId: 'acquirer-test-events', secrets: ['s'], scopes: ['events/consume'], subscriptions: ['TEST_EVENT' as const] };
const NOT_A_SUPPLIER = { clientId: 'supplier-unsubscribed', secrets: ['s'], scopes: ['events/publish'], publishes: [] };

let standin: Standin;
const jwt: Record<string, string> = {};

beforeAll(async () => {
  standin = await startStandin({ clients: [NO_SOURCE_ID, INLINE, UNSUBSCRIBED, TESTS_ONLY, NOT_A_SUPPLIER] });
  jwt['acq'] = await token(standin.tokenUrl, ACQ.clientId, ACQ.clientSecret);
  jwt['sup'] = await token(standin.tokenUrl, SUP.clientId, SUP.clientSecret);
  for (const c of [NO_SOURCE_ID, INLINE, UNSUBSCRIBED, TESTS_ONLY, NOT_A_SUPPLIER]) jwt[c.clientId] = await token(standin.tokenUrl, c.clientId, 's');
});
afterAll(() => standin.stop());

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

function expectSchema(name: SchemaName, body: unknown): void {
  const validate = validator(name);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

/** No field anywhere in the body is null: @JsonInclude(NON_NULL) leaves them out. */
function expectNoNulls(body: unknown): void {
  expect(JSON.stringify(body)).not.toMatch(/:null/);
}

interface ListItem {
  id: string;
  attributes: { eventType: string; sourceId?: string; dataIncluded?: boolean; eventData?: Record<string, unknown> };
  meta: { enrichmentFields: string[] };
}
interface EventList {
  data: ListItem[];
  links: Record<string, string>;
  meta: { page: { size: number; totalElements: number; totalPages: number; number: number } };
}

const enc = (q: string) => q.replace(/\[/g, '%5B').replace(/\]/g, '%5D');

async function list(t: string, query = ''): Promise<EventList> {
  const res = await call(`${standin.baseUrl}/events${enc(query)}`, { headers: bearer(t) });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.api+json');
  expectSchema('event-list', res.json());
  return res.json() as EventList;
}

function publish(t: string, body: unknown, contentType = 'application/json'): Promise<Answer> {
  return call(`${standin.baseUrl}/events`, {
    method: 'POST',
    headers: { ...bearer(t), 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function read(t: string, id: string, method = 'GET'): Promise<Answer> {
  return call(`${standin.baseUrl}/events/${id}`, { method, headers: bearer(t) });
}

function expectApiError(res: Answer, status: number): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expectSchema('api-error', res.json());
  expect(res.json()).toMatchObject({ status });
  expectNoNulls(res.json());
}

describe('events API v1 (dev, demo): the stand-in against the platform source', () => {
  it('V1-AUTH-401 (config/ResourceServerConfiguration.kt): a missing, malformed, foreign or forged token gets 401, WWW-Authenticate: Bearer, no body', async () => {
    const none = await call(`${standin.baseUrl}/events`);
    expect([none.status, none.text, none.headers.get('www-authenticate')]).toEqual([401, '', 'Bearer']);
    const garbage = await call(`${standin.baseUrl}/events`, { headers: bearer('not.a.jwt') });
    expect([garbage.status, garbage.text]).toEqual([401, '']);
    expect(garbage.headers.get('www-authenticate')).toMatch(/^Bearer/);
    // v1 wants the Bearer prefix; only the v2 gateway takes a bare token.
    expect((await call(`${standin.baseUrl}/events`, { headers: { Authorization: jwt['acq']! } })).status).toBe(401);

    const other = await startStandin();
    const foreign = await token(other.tokenUrl, ACQ.clientId, ACQ.clientSecret);
    await other.stop();
    expect((await call(`${standin.baseUrl}/events`, { headers: bearer(foreign) })).status).toBe(401);

    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ client_id: ACQ.clientId, token_use: 'access', scope: 'events/consume' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setSubject(ACQ.clientId)
      .setIssuer(standin.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    expect((await call(`${standin.baseUrl}/events`, { headers: bearer(forged) })).status).toBe(401);
  });

  it("V1-BEARER (Spring Security resource server): the scheme in any case, 60 s of expiry skew, RFC 6750's full challenge for a token it cannot use", async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      expect((await call(`${standin.baseUrl}/events`, { headers: { Authorization: `${scheme} ${jwt['acq']}` } })).status, scheme).toBe(200);
    }
    const garbage = await call(`${standin.baseUrl}/events`, { headers: bearer('not.a.jwt') });
    expect(garbage.headers.get('www-authenticate')).toMatch(
      /^Bearer error="invalid_token", error_description="An error occurred while attempting to decode the Jwt: [^"]+", error_uri="https:\/\/tools\.ietf\.org\/html\/rfc6750#section-3\.1"$/,
    );
    // Expired two seconds ago: inside JwtTimestampValidator's 60 s, so still taken by v1 (the v2
    // gateway allows no skew: contract-v2).
    const shortLived = await startStandin({ tokenValiditySeconds: 1 });
    const expiring = await token(shortLived.tokenUrl, ACQ.clientId, ACQ.clientSecret);
    // The event is the expiry itself, read from the token: waited for, not guessed at.
    const { exp } = decodeJwt(expiring);
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan((exp ?? 0) * 1000 + 1_000), { timeout: 10_000, interval: 100 });
    expect((await call(`${shortLived.baseUrl}/events`, { headers: bearer(expiring) })).status).toBe(200);
    const v2 = await call(`${shortLived.baseUrl}/events/deathNotification`, { method: 'POST', headers: bearer(expiring), body: '{}' });
    expect(v2.status).toBe(401);
    await shortLived.stop();
  });

  it('V1-AUTH-403 (@PreAuthorize, ApiExceptionHandler.kt): a valid token without the scope gets 403 with the error body', async () => {
    expectApiError(await call(`${standin.baseUrl}/events`, { headers: bearer(jwt['sup']!) }), 403);
    expectApiError(await publish(jwt['acq']!, { eventType: 'TEST_EVENT', id: 'x1' }), 403);
    const narrowed = await token(standin.tokenUrl, SUP.clientId, SUP.clientSecret, 'EventType/DeathNotification');
    expectApiError(await publish(narrowed, { eventType: 'TEST_EVENT', id: 'x2' }), 403);
  });

  it('V1-LIST (controllers/EventsController.kt): GET /events is 200 application/vnd.api+json, oldest first, 100 a page from page 0 by default', async () => {
    const page = await list(jwt['acq']!);
    expect(page.data.length).toBe(SEED_EVENT_COUNT);
    expect(page.meta.page).toEqual({ size: 100, totalElements: SEED_EVENT_COUNT, totalPages: 1, number: 0 });
    expect(page.data.map((e) => e.attributes.sourceId)).toEqual([...page.data.map((e) => e.attributes.sourceId)].sort());
    expect(page.data[0]).toMatchObject({ type: 'events', attributes: { eventType: 'GRO_DEATH_NOTIFICATION', dataIncluded: false } });
    expect(page.data[0]!.meta.enrichmentFields).toContain('sourceId');
  });

  it("V1-LIST-EMPTY-PARAM (Spring's defaultValue): an empty page[size]= or page[number]= falls back to the default", async () => {
    const page = await list(jwt['acq']!, '?page[size]=&page[number]=');
    expect(page.meta.page).toMatchObject({ size: 100, number: 0 });
  });

  it('V1-LIST-INT-OVERFLOW (the page offset is an Int): a size times number past the int range is a 500', async () => {
    expectApiError(await call(`${standin.baseUrl}/events${enc('?page[size]=100000&page[number]=100000')}`, { headers: bearer(jwt['acq']!) }), 500);
  });

  it('V1-LIST-PAGE-BAD (@Positive page[size], @PositiveOrZero page[number]): bad paging parameters get 400 with the error body', async () => {
    for (const q of ['?page[size]=0', '?page[size]=abc', '?page[number]=-1', '?page[number]=x']) {
      expectApiError(await call(`${standin.baseUrl}/events${enc(q)}`, { headers: bearer(jwt['acq']!) }), 400);
    }
  });

  it('V1-LIST-BRACKETS (Tomcat 10.1 default, inferred): raw [ ] in the query get 400 (an HTML page); percent-encoded ones work', async () => {
    const raw = await call(`${standin.baseUrl}/events?page[size]=2`, { headers: bearer(jwt['acq']!) });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await list(jwt['acq']!, '?page[size]=2')).data.length).toBe(2);
  });

  it('V1-LIST-LINKS (helpers/PageLinkHelper.kt): self always, first and prev past page 0, next and last before the last page, brackets encoded', async () => {
    const keys = async (q: string) => Object.keys((await list(jwt['acq']!, q)).links).sort();
    expect(await keys('?page[size]=2&page[number]=0')).toEqual(['last', 'next', 'self']);
    expect(await keys('?page[size]=2&page[number]=1')).toEqual(['first', 'last', 'next', 'prev', 'self']);
    expect(await keys('?page[size]=2&page[number]=2')).toEqual(['first', 'prev', 'self']);
    expect(await keys('')).toEqual(['self']);
    // Four death notifications, one a page: page 1 of 0..3 has every link.
    const middle = await list(jwt['acq']!, '?page[size]=1&page[number]=1&filter[eventType]=DEATH_NOTIFICATION');
    expect(Object.keys(middle.links).sort()).toEqual(['first', 'last', 'next', 'prev', 'self']);
    for (const link of Object.values(middle.links)) {
      expect(link).not.toMatch(/[[\]]/);
      expect(new URL(link).searchParams.get('page[size]')).toBe('1');
      expect(new URL(link).searchParams.get('filter[eventType]')).toBe('DEATH_NOTIFICATION');
    }
    const numbers = Object.fromEntries(Object.entries(middle.links).map(([k, v]) => [k, new URL(v).searchParams.get('page[number]')]));
    expect(numbers).toEqual({ self: '1', first: '0', prev: '0', next: '2', last: '3' });
    // Approved snapshot "getEvents returns correctly formatted pagination links": self names the
    // page number first, the others the size first.
    const order = Object.fromEntries(
      Object.entries(middle.links).map(([k, v]) => [k, [...new URL(v).searchParams.keys()].filter((q) => q.startsWith('page['))]),
    );
    expect(order).toEqual({
      self: ['page[number]', 'page[size]'],
      first: ['page[size]', 'page[number]'],
      prev: ['page[size]', 'page[number]'],
      next: ['page[size]', 'page[number]'],
      last: ['page[size]', 'page[number]'],
    });
  });

  it('V1-LIST-FILTER-TYPES (List<EventType> filter[eventType]): the parameter repeats; an unknown type is 400', async () => {
    const gro = await list(jwt['acq']!, '?filter[eventType]=GRO_DEATH_NOTIFICATION');
    expect(gro.data.map((e) => e.attributes.eventType)).toEqual(['GRO_DEATH_NOTIFICATION']);
    const both = await list(jwt['acq']!, '?filter[eventType]=GRO_DEATH_NOTIFICATION&filter[eventType]=DEATH_NOTIFICATION');
    expect(both.data.length).toBe(SEED_EVENT_COUNT);
    expectApiError(await call(`${standin.baseUrl}/events${enc('?filter[eventType]=BIRTH')}`, { headers: bearer(jwt['acq']!) }), 400);
  });

  it('V1-LIST-FROM-EXCLUSIVE (repositories/AcquirerEventRepository.kt): created_at > fromTime and created_at <= toTime', async () => {
    // The seeded events were received at 09:00 on 2 to 6 January 2023.
    const from = await list(jwt['acq']!, '?filter[fromTime]=2023-01-03T09:00:00&filter[toTime]=2023-01-05T09:00:00');
    expect(from.data.map((e) => e.attributes.sourceId)).toEqual(['123456782', '123456783']);
  });

  it('V1-LIST-DATETIME (@DateTimeFormat ISO.DATE_TIME on LocalDateTime): date-times without a zone; anything else is 400', async () => {
    expect((await list(jwt['acq']!, '?filter[fromTime]=2023-01-04T00:00')).data.length).toBe(3);
    expectApiError(await call(`${standin.baseUrl}/events${enc('?filter[fromTime]=yesterday')}`, { headers: bearer(jwt['acq']!) }), 400);
  });

  it('V1-LONDON-TIME (TZ=Europe/London, config/ClockConfig.kt): created_at and the time filters are London wall-clock; a zone on a filter is dropped, not converted', async () => {
    // The fifth seeded event was received at 09:00 London time on 6 July 2023 (08:00 UTC).
    const ids = async (q: string) => (await list(jwt['acq']!, q)).data.map((e) => e.attributes.sourceId);
    const deaths = '?filter[eventType]=DEATH_NOTIFICATION&';
    expect(await ids(`${deaths}filter[fromTime]=2023-07-06T08:30:00`)).toEqual(['123456784']);
    expect(await ids(`${deaths}filter[toTime]=2023-07-06T08:30:00`)).toEqual(['123456781', '123456782', '123456783']);
    expect(await ids(`${deaths}filter[fromTime]=2023-07-06T08:30:00Z`)).toEqual(['123456784']);
    expect(await ids(`${deaths}filter[fromTime]=2023-07-06T08:30:00%2B05:00`)).toEqual(['123456784']);
    expect(await ids(`${deaths}filter[fromTime]=2023-07-06T09:00:00`)).toEqual([]);
    // An event published now is created at London's wall-clock time now.
    const london = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/London', dateStyle: 'short', timeStyle: 'medium' });
    const minuteAgo = london.format(new Date(Date.now() - 60_000)).replace(' ', 'T');
    const minuteOn = london.format(new Date(Date.now() + 60_000)).replace(' ', 'T');
    expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'london-now' })).status).toBe(201);
    expect(await ids(`?filter[eventType]=TEST_EVENT&filter[fromTime]=${minuteAgo}&filter[toTime]=${minuteOn}`)).toContain('london-now');
  });

  it('V1-LONDON-TIME: the same on a machine whose time zone is neither London nor UTC', async () => {
    for (const tz of ['Pacific/Auckland', 'America/New_York']) {
      const { child, match } = await startCli(['standin', '--port', '0', '--quiet'], /listening on (http:\/\/\S+)/, { TZ: tz });
      try {
        const base = match[1]!;
        const t = await token(`${base}/oauth2/token`, ACQ.clientId, ACQ.clientSecret);
        const res = await call(`${base}/events${enc('?filter[eventType]=DEATH_NOTIFICATION&filter[fromTime]=2023-07-06T08:30:00')}`, { headers: bearer(t) });
        expect(
          (res.json() as EventList).data.map((e) => e.attributes.sourceId),
          tz,
        ).toEqual(['123456784']);
      } finally {
        child.kill();
      }
    }
  });

  it('V1-SUPPLIER-EVENT-ID (V3 varchar(80), V10 unique data_id): an id used before by any supplier, or over 80 characters, gets 201 and is then dropped, never fanned out', async () => {
    const count = async () => (await list(jwt['acq']!, '?filter[eventType]=TEST_EVENT')).meta.page.totalElements;
    const dropped = () => standin.store.tally.dropped['TEST_EVENT'] ?? 0;
    const [listed, lost] = [await count(), dropped()];
    for (const id of ['once-only-id', 'once-only-id', '123456781', 'x'.repeat(81)]) {
      expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id })).status, id).toBe(201);
    }
    expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'y'.repeat(80) })).status).toBe(201);
    expect([await count(), dropped()]).toEqual([listed + 2, lost + 3]);
  });

  it('V1-LIST-SOURCEID (models/EventNotification.kt, NON_NULL): no sourceId unless the subscription has it, and the list still validates', async () => {
    const page = await list(jwt[NO_SOURCE_ID.clientId]!, '?filter[eventType]=GRO_DEATH_NOTIFICATION&filter[eventType]=DEATH_NOTIFICATION');
    expect(page.data.length).toBe(SEED_EVENT_COUNT);
    for (const e of page.data) {
      expect(e.attributes).not.toHaveProperty('sourceId');
      expect(e.meta.enrichmentFields).not.toContain('sourceId');
    }
  });

  it('V1-LIST-DATA-INCLUDED (enrichmentFieldsIncludedInPoll): dataIncluded true and the eventData inline', async () => {
    const page = await list(jwt[INLINE.clientId]!);
    expect(page.data[0]!.attributes.dataIncluded).toBe(true);
    expect(page.data[0]!.attributes.eventData).toMatchObject({ sex: 'M' });
  });

  it('V1-LIST-NO-SUBSCRIPTION (services/AcquirerEventService.kt): an acquirer subscribed to nothing asked for gets an empty page', async () => {
    const page = await list(jwt[UNSUBSCRIBED.clientId]!);
    expect(page.data).toEqual([]);
    expect(page.meta.page).toEqual({ size: 100, totalElements: 0, totalPages: 0, number: 0 });
    expect(Object.keys(page.links)).toEqual(['self']);
  });

  it('V1-READ (AcquirerEventService.kt getEvent): GET /events/{id} is 200 with the eventData the agreement allows and "meta": {}', async () => {
    const [, second] = (await list(jwt['acq']!)).data;
    const res = await read(jwt['acq']!, second!.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.api+json');
    expectSchema('event', res.json());
    const body = res.json() as { data: { meta: unknown; attributes: { eventType: string; eventData: Record<string, unknown> } } };
    expect(body.data.meta).toEqual({});
    expect(body.data.attributes.eventType).toBe('DEATH_NOTIFICATION');
    expect(Object.keys(body.data.attributes.eventData)).toContain('firstNames');

    const narrow = await read(jwt[NO_SOURCE_ID.clientId]!, second!.id);
    const narrowBody = narrow.json() as { data: { attributes: Record<string, unknown> & { eventData: Record<string, unknown> } } };
    expect(Object.keys(narrowBody.data.attributes.eventData).sort()).toEqual(['firstNames', 'lastName', 'sex']);
    expect(narrowBody.data.attributes).not.toHaveProperty('sourceId');
    expectSchema('event', narrow.json());
  });

  it('V1-GRO-SEX (enums/GroSex.kt, enums/Sex.kt): a GRO event says sex "M" or "F", a death notification Male, Female or Indeterminate; both validate', async () => {
    const [gro, death] = (await list(jwt['acq']!)).data;
    const groBody = (await read(jwt['acq']!, gro!.id)).json() as { data: { attributes: { eventData: { sex: string } } } };
    expect(['M', 'F']).toContain(groBody.data.attributes.eventData.sex);
    expectSchema('event', groBody);
    const deathBody = (await read(jwt['acq']!, death!.id)).json() as { data: { attributes: { eventData: { sex: string } } } };
    expect(['Male', 'Female', 'Indeterminate']).toContain(deathBody.data.attributes.eventData.sex);
    expectSchema('event', deathBody);
  });

  it('V1-READ-LINKS (approved snapshot "getEvent returns a death notification event in the correct format"): links.collection is the first page of the list, meta inside data', async () => {
    const [first] = (await list(jwt['acq']!)).data;
    const body = (await read(jwt['acq']!, first!.id)).json() as { data: { meta: unknown }; links: Record<string, string> };
    expect(body.links).toEqual({
      self: `${standin.baseUrl}/events/${first!.id}`,
      collection: `${standin.baseUrl}/events?page%5Bnumber%5D=0&page%5Bsize%5D=100`,
    });
    expect(body.data.meta).toEqual({});
  });

  it("V1-READ-404 (EventNotFoundException): an unknown id, or an event outside this acquirer's subscriptions, is 404", async () => {
    expectApiError(await read(jwt['acq']!, '00000000-0000-4000-8000-000000000000'), 404);
    const [death] = (await list(jwt['acq']!, '?filter[eventType]=DEATH_NOTIFICATION')).data;
    expectApiError(await read(jwt[TESTS_ONLY.clientId]!, death!.id), 404);
  });

  it('V1-READ-BAD-ID (UUID path variable): an id that is not a UUID is 400', async () => {
    expectApiError(await read(jwt['acq']!, 'not-a-uuid'), 400);
  });

  it('V1-PUBLISH (EventsController.kt publishEvent): POST /events is 201 with an empty body', async () => {
    const res = await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'contract-publish' });
    expect([res.status, res.text]).toEqual([201, '']);
    expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'json-api-type' }, 'application/vnd.api+json')).status).toBe(201);
  });

  it('V1-PUBLISH-ASYNC (services/EventAcceptorService.kt, via a queue): acquirers see a published event only once it is fanned out', async () => {
    // A fan-out slower than any loopback call: the first read comes long before it; the second waits for it.
    const slow = await startStandin({ publishDelayMs: 3_000 });
    const sup = await token(slow.tokenUrl, SUP.clientId, SUP.clientSecret);
    const acq = await token(slow.tokenUrl, ACQ.clientId, ACQ.clientSecret);
    const url = `${slow.baseUrl}/events?filter%5BeventType%5D=TEST_EVENT`;
    const count = async () => ((await call(url, { headers: bearer(acq) })).json() as EventList).data.length;
    expect(
      (
        await call(`${slow.baseUrl}/events`, {
          method: 'POST',
          headers: { ...bearer(sup), 'Content-Type': 'application/json' },
          body: '{"eventType":"TEST_EVENT","id":"a"}',
        })
      ).status,
    ).toBe(201);
    expect(await count()).toBe(0);
    await expect.poll(count, { timeout: 10_000, interval: 100 }).toBe(1);
    await slow.stop();
  });

  it('V1-PUBLISH-403 (EventAcceptorService.kt SupplierPermissionException): a supplier without a subscription for the type gets 403', async () => {
    expectApiError(await publish(jwt[NOT_A_SUPPLIER.clientId]!, { eventType: 'TEST_EVENT', id: 'x' }), 403);
    // The local supplier is subscribed to TEST_EVENT only, like a tester's client should be.
    expectApiError(await publish(jwt['sup']!, { eventType: 'DEATH_NOTIFICATION', id: '1' }), 403);
  });

  it('V1-PUBLISH-ID (models/EventToPublish.kt, an @Schema pattern only): any id is accepted', async () => {
    for (const id of ['not a uuid, with spaces', '', 12345]) {
      expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id })).status, String(id)).toBe(201);
    }
  });

  it('V1-PUBLISH-TIME (Jackson LocalDateTime): eventTime with Z or no zone is accepted; a numeric offset is refused', async () => {
    expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 't1', eventTime: '2021-12-31T12:34:56' })).status).toBe(201);
    expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 't2', eventTime: '2021-12-31T12:34:56Z' })).status).toBe(201);
    expectApiError(await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 't3', eventTime: '2021-12-31T12:34:56+01:00' }), 500);
  });

  it('V1-FANOUT (services/SupplierEventProcessor.kt): a published event reaches every acquirer subscribed to its type, and only them', async () => {
    const before = async (t: string) => (await list(t, '?filter[eventType]=TEST_EVENT')).meta.page.totalElements;
    const counts = [await before(jwt['acq']!), await before(jwt[TESTS_ONLY.clientId]!), await before(jwt[UNSUBSCRIBED.clientId]!)];
    expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'fan-out' })).status).toBe(201);
    expect([await before(jwt['acq']!), await before(jwt[TESTS_ONLY.clientId]!), await before(jwt[UNSUBSCRIBED.clientId]!)]).toEqual([
      counts[0]! + 1,
      counts[1]! + 1,
      0,
    ]);
  });

  it('V1-TEST-EVENT-DATA (services/TestEventEnrichmentService.kt): a TEST_EVENT reads as {"testField": "Test Field Value"}', async () => {
    await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'read-me' });
    const [first] = (await list(jwt['acq']!, '?filter[eventType]=TEST_EVENT')).data;
    const body = (await read(jwt['acq']!, first!.id)).json() as { data: { attributes: { eventType: string; eventData: unknown } } };
    expect(body.data.attributes).toMatchObject({ eventType: 'TEST_EVENT', eventData: { testField: 'Test Field Value' } });
    expectSchema('event', body);
  });

  it('V1-ACK (EventsController.kt deleteEvent, a soft delete per acquirer): 204 and no body; then 404 and unlisted for it, still listed for others', async () => {
    await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'ack-me' });
    const mine = (await list(jwt['acq']!, '?filter[eventType]=TEST_EVENT')).data.at(-1)!;
    const theirs = (await list(jwt[TESTS_ONLY.clientId]!)).data.map((e) => e.id);
    expect(theirs).toContain(mine.id);
    const del = await read(jwt['acq']!, mine.id, 'DELETE');
    expect([del.status, del.text]).toEqual([204, '']);
    expectApiError(await read(jwt['acq']!, mine.id), 404);
    expectApiError(await read(jwt['acq']!, mine.id, 'DELETE'), 404);
    expect((await list(jwt['acq']!)).data.map((e) => e.id)).not.toContain(mine.id);
    expect((await list(jwt[TESTS_ONLY.clientId]!)).data.map((e) => e.id)).toContain(mine.id);
  });

  it('V1-ERROR-SHAPE (ApiExceptionHandler.kt ErrorResponse, NON_NULL): {status, userMessage, developerMessage}, no null fields', async () => {
    const res = await read(jwt['acq']!, '00000000-0000-4000-8000-000000000000');
    expect(Object.keys(res.json() as object).sort()).toEqual(['developerMessage', 'status', 'userMessage']);
    expectNoNulls(res.json());
  });

  it('V1-CATCH-ALL-500 (ApiExceptionHandler.kt handleException, inferred): bad JSON, an unknown type, a non-JSON body or another method get 500', async () => {
    expectApiError(await publish(jwt['sup']!, '{not json'), 500);
    expectApiError(await publish(jwt['sup']!, { eventType: 'BIRTH', id: '1' }), 500);
    expectApiError(await publish(jwt['sup']!, { eventType: 'TEST_EVENT' }), 500);
    expectApiError(await publish(jwt['sup']!, 'eventType=TEST_EVENT', 'text/plain'), 500);
    expectApiError(await call(`${standin.baseUrl}/events`, { method: 'PUT', headers: bearer(jwt['acq']!) }), 500);
  });

  it("V1-ACCEPT-500 (EventsController.kt produces): an Accept that names neither the GET's application/vnd.api+json nor text/plain is a 500; the hook's Accept, */* or none are fine", async () => {
    const get = (accept?: string) => call(`${standin.baseUrl}/events`, { headers: { ...bearer(jwt['acq']!), ...(accept ? { Accept: accept } : {}) } });
    expectApiError(await get('application/json'), 500);
    expectApiError(await get('text/html'), 500);
    for (const ok of ['application/vnd.api+json', '*/*', 'application/*', 'application/json, */*;q=0.8', undefined])
      expect((await get(ok)).status, String(ok)).toBe(200);
    expect((await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'accept-plain' }, 'application/json')).status).toBe(201);
  });

  it('V1-CHECK-ORDER (Spring MVC conversion before @PreAuthorize): a wrong-scope token with a non-UUID id gets 400, with bad JSON 500, with a bad method 500; the scope decides after', async () => {
    expectApiError(await read(jwt['sup']!, 'not-a-uuid'), 400);
    expectApiError(await publish(jwt['acq']!, '{not json'), 500);
    expectApiError(await call(`${standin.baseUrl}/events/00000000-0000-4000-8000-000000000000`, { method: 'PUT', headers: bearer(jwt['sup']!) }), 500);
    expectApiError(await call(`${standin.baseUrl}/events${enc('?page[size]=abc')}`, { headers: bearer(jwt['sup']!) }), 400);
    expectApiError(await read(jwt['sup']!, '00000000-0000-4000-8000-000000000000'), 403);
  });

  it("V1-HEAD (Spring serves HEAD with the GET handler): 200, the GET's headers, no body", async () => {
    const res = await call(`${standin.baseUrl}/events`, { method: 'HEAD', headers: bearer(jwt['acq']!) });
    expect([res.status, res.text, res.headers.get('content-type')]).toEqual([200, '', 'application/vnd.api+json']);
  });

  it('V1-PUBLIC (ResourceServerConfiguration.kt permittedFilterChain, healthFilterChain): /health, /info and the OpenAPI document need no token', async () => {
    const health = await call(`${standin.baseUrl}/health`);
    expect([health.status, health.json()]).toEqual([200, { status: 'UP' }]);
    expect((await call(`${standin.baseUrl}/info`)).status).toBe(200);
    const docs = await call(`${standin.baseUrl}/v3/api-docs`);
    expect(docs.status).toBe(200);
    expect(Object.keys((docs.json() as { paths: object }).paths)).toEqual(['/events', '/events/{id}']);
    const yaml = await call(`${standin.baseUrl}/v3/api-docs.yaml`);
    expect([yaml.status, yaml.text.startsWith('openapi: 3.0.1')]).toEqual([200, true]);
  });

  it("V1-UNKNOWN-PATH-404 (Spring Boot's error JSON; no trailing-slash match in Spring 6): an unknown events path is 404 with a token, 401 without", async () => {
    for (const path of ['/events/', '/events/a/b']) {
      const res = await call(`${standin.baseUrl}${path}`, { headers: bearer(jwt['acq']!) });
      expect(res.status, path).toBe(404);
      const body = res.json() as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['error', 'path', 'status', 'timestamp']);
      expect(body).toMatchObject({ status: 404, error: 'Not Found', path });
      expect((await call(`${standin.baseUrl}${path}`)).status, path).toBe(401);
    }
  });

  it("V1-WAF-SIZE (data_share_service/waf.tf): a query string over 1,024 bytes or a body over 64 KiB gets the WAF's 403 page", async () => {
    const long = await call(`${standin.baseUrl}/events?filter%5BeventType%5D=${'A'.repeat(1100)}`, { headers: bearer(jwt['acq']!) });
    expect([long.status, long.headers.get('content-type')]).toEqual([403, 'text/html;charset=utf-8']);
    const big = await publish(jwt['sup']!, { eventType: 'TEST_EVENT', id: 'big', padding: 'x'.repeat(70 * 1024) });
    expect([big.status, big.headers.get('content-type')]).toEqual([403, 'text/html;charset=utf-8']);
  });

  it('stand-in: counts API requests per client, and tallies what was published and acknowledged by type', async () => {
    standin.resetCounters();
    await list(jwt['acq']!);
    await list(jwt['acq']!);
    await call(`${standin.baseUrl}/events`);
    expect(standin.counters()).toMatchObject({ apiRequests: { [ACQ.clientId]: 2 }, apiRequestsTotal: 3, tokenRequestsTotal: 0 });
    expect(standin.store.tally.published['DEATH_NOTIFICATION']).toBeUndefined();
    expect(standin.store.tally.published['TEST_EVENT']).toBeGreaterThan(0);
    expect(standin.store.tally.acknowledged).toEqual({ TEST_EVENT: 1 });
  });
});

describe("events API v1 on a queue like dev's and demo's", () => {
  let real: Standin;
  const jwts: Record<string, string> = {};
  beforeAll(async () => {
    real = await startStandin({ clients: [INLINE], realisticQueue: { size: 600, seed: 7, feedIntervalMs: 200 } });
    jwts['acq'] = await token(real.tokenUrl, ACQ.clientId, ACQ.clientSecret);
    jwts['inline'] = await token(real.tokenUrl, INLINE.clientId, 's');
  });
  afterAll(() => real.stop());
  const page = async (t: string, q: string) => call(`${real.baseUrl}/events${enc(q)}`, { headers: bearer(t) });

  it('V1-REALISTIC-QUEUE (len.py, insertXml.ts): hundreds of events, fed as it is read, with nulls and empty strings that the schemas accept', async () => {
    const first = (await page(jwts['acq']!, '?page[size]=1')).json() as EventList;
    expect(first.meta.page.totalElements).toBeGreaterThanOrEqual(600);
    const total = async () => ((await page(jwts['acq']!, '?page[size]=1')).json() as EventList).meta.page.totalElements;
    await expect.poll(total, { timeout: 10_000, interval: 100 }).toBeGreaterThan(first.meta.page.totalElements);
    const all = (await page(jwts['acq']!, '?page[size]=200&page[number]=1')).json() as EventList;
    expectSchema('event-list', all);
    let nulls = 0;
    let empties = 0;
    for (const e of all.data.slice(0, 60)) {
      const res = await call(`${real.baseUrl}/events/${e.id}`, { headers: bearer(jwts['acq']!) });
      if (res.status === 404) continue;
      expectSchema('event', res.json());
      const data = JSON.stringify((res.json() as { data: { attributes: { eventData: unknown } } }).data.attributes.eventData);
      nulls += (data.match(/:null/g) ?? []).length;
      empties += (data.match(/:""/g) ?? []).length;
    }
    expect(nulls).toBeGreaterThan(0);
    expect(empties).toBeGreaterThan(0);
  });

  it('V1-DATA-GONE (NoDataFoundException): reading an event whose record is gone is 404 "Not Found: ..."; with the data in the poll, the whole page fails', async () => {
    const [oldest] = ((await page(jwts['acq']!, '?page[size]=1')).json() as EventList).data;
    const res = await call(`${real.baseUrl}/events/${oldest!.id}`, { headers: bearer(jwts['acq']!) });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ status: 404, userMessage: expect.stringMatching(/^Not Found: /) });
    const inline = await page(jwts['inline']!, '?page[size]=10');
    expect(inline.status).toBe(404);
    expect((inline.json() as { userMessage: string }).userMessage).toMatch(/^Not Found: /);
  });
});
