// Contract suite, death-notification API v2 (integration): one test per rule of the stand-in,
// named by the rule's id and the platform source it comes from (govuk-one-login/
// life-events-platform at commit 2356973a: template.yaml, techdocs/openapi.yaml,
// lambdas/death-validation/, lib/src/main/java/uk/gov/di/data/lep/library/).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_DEATH_NOTIFICATION } from '../src/catalogue.js';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { createAjv, schema, validator } from '../src/schema-registry.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { allItems, committedCollection, scriptConfig } from './helpers/files.js';
import { call, token, type Answer } from './helpers/http.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;

/** The record the reference gives as one the whole pipeline carries. */
const ACCEPTED = {
  RegistrationID: 1,
  RecordLockedDateTime: '2023-08-01T14:55:00',
  DeceasedName: { PersonGivenName: ['Joan'], PersonFamilyName: 'Adams' },
  DeceasedGender: 2,
  DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '03' },
};

let standin: Standin;
let supplier: string;
let acquirer: string;
// This suite aims at dead letters: they go to its own file, not to the one the whole test run
// checks stays empty.
const deadLetterFile = join(mkdtempSync(join(tmpdir(), 'gdx-dead-letters-')), 'dead-letters.log');

beforeAll(async () => {
  standin = await startStandin({ deadLetterFile });
  supplier = await token(standin.tokenUrl, SUP.clientId, SUP.clientSecret);
  acquirer = await token(standin.tokenUrl, ACQ.clientId, ACQ.clientSecret);
});
afterAll(() => standin.stop());

function send(body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${supplier}`, 'Content-Type': 'application/json' }): Promise<Answer> {
  return call(`${standin.baseUrl}/events/deathNotification`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function expectStatus(body: unknown, status: 201 | 400, note = JSON.stringify(body)): Promise<void> {
  const res = await send(body);
  expect([res.status, res.text], note).toEqual([status, '']);
}

/** Sends a record and says what the stand-in's pipeline did with it after the 201. */
async function afterAccepted(body: unknown): Promise<string> {
  const before = standin.store.deathNotifications.length;
  const res = await send(body);
  expect([res.status, res.text], JSON.stringify(body)).toEqual([201, '']);
  expect(standin.store.deathNotifications).toHaveLength(before + 1);
  const accepted = standin.store.deathNotifications.at(-1)!;
  return accepted.outcome === 'delivered' ? 'delivered' : `dead-lettered: ${accepted.reason}`;
}

/** Records the API accepts (201) and then the enrichment step cannot map, each with the Java
 * that throws (DeathNotificationSetMapper.java and the enums it calls, commit 2356973a). */
const DEAD_LETTERED: [string, Record<string, unknown>, RegExp][] = [
  [
    'an update without RecordUpdateReason',
    { ...ACCEPTED, RecordLockedDateTime: undefined, RecordUpdateDateTime: '2023-08-01T14:59:22' },
    /fromGroRegistrationType\(null\)/,
  ],
  [
    'an update with RecordUpdateReason 6',
    { ...ACCEPTED, RecordUpdateDateTime: '2023-08-01T14:59:22', RecordUpdateReason: 6 },
    /RecordUpdateReason 6 is not 1 to 5/,
  ],
  ['no DeceasedName', { ...ACCEPTED, DeceasedName: undefined }, /no DeceasedName/],
  ['no RegistrationID', { ...ACCEPTED, RegistrationID: undefined }, /no RegistrationID/],
  ['RegistrationID ""', { ...ACCEPTED, RegistrationID: '' }, /no RegistrationID/],
  ['DeceasedGender 3', { ...ACCEPTED, DeceasedGender: 3 }, /Sex\.fromGro\(null\)/],
  ['aliases without their types', { ...ACCEPTED, DeceasedAliasName: [{ PersonFamilyName: 'Smith' }] }, /DeceasedAliasName without DeceasedAliasNameType/],
];
/** Records the whole pipeline carries. */
const DELIVERED: [string, Record<string, unknown>][] = [
  ["the reference's new registration", ACCEPTED],
  ['an update with RecordUpdateReason 3', { ...ACCEPTED, RecordUpdateDateTime: '2023-08-01T14:59:22', RecordUpdateReason: 3 }],
  ['VerificationLevel "04" (read as null, harmless)', { ...ACCEPTED, DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '04' } }],
  ['aliases with their types', { ...ACCEPTED, DeceasedAliasName: [{ PersonFamilyName: 'Smith' }], DeceasedAliasNameType: ['known as'] }],
  ['DeceasedGender 9', { ...ACCEPTED, DeceasedGender: 9 }],
];

describe('death-notification API v2 (integration): the stand-in against the platform source', () => {
  it("V2-ACCEPT (DeathValidation.java): a record that parses gets 201 with no body, the reference's record and the collection's alike", async () => {
    await expectStatus(ACCEPTED, 201);
    expect(SYNTHETIC_DEATH_NOTIFICATION).toEqual(ACCEPTED);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '2023-03-06T09:30:50.000' }, 201);
  });

  it('V2-ENRICHMENT (DeathEnrichment, DeathNotificationSetMapper.java): accepted is not deliverable; what the mapper throws on is dead-lettered (paging the platform team), the rest delivered', async () => {
    for (const [label, record, why] of DEAD_LETTERED) expect(await afterAccepted(record), label).toMatch(why);
    for (const [label, record] of DELIVERED) expect(await afterAccepted(record), label).toBe('delivered');
    const lines = readFileSync(deadLetterFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(DEAD_LETTERED.length);
    for (const line of lines)
      expect(line).toMatch(/dead-lettered a death notification \(CorrelationID [0-9a-f-]{36}\): .*; on integration this pages the platform team$/);
    expect(standin.store.tally.deadLettered).toBe(DEAD_LETTERED.length);
    const counters = (await call(standin.countersUrl)).json() as { pipeline: { deadLettered: number }; deathSubscriberQueues: string[] };
    expect(counters.pipeline.deadLettered).toBe(DEAD_LETTERED.length);
    expect(counters.deathSubscriberQueues).toEqual(['DWP', 'DWP dev', 'DWP test', 'DWP stage', 'DWP old-format', 'other departments (OGD)']);
  });

  it('V2-DELIVERABLE-SCHEMA: the stricter schema the collections check a sent record with refuses every record the pipeline dead-letters, and takes those it delivers', () => {
    const deliverable = validator('death-notification-deliverable');
    const parses = validator('death-notification');
    for (const [label, record] of DEAD_LETTERED) expect([parses(record), deliverable(record)], label).toEqual([true, false]);
    for (const [label, record] of DELIVERED) expect([parses(record), deliverable(record)], label).toEqual([true, true]);
  });

  it('V2-REFUSE (DeathValidation.java MappingException): a body that does not parse gets 400 with no body', async () => {
    await expectStatus('{not json', 400);
    await expectStatus([ACCEPTED], 400);
    await expectStatus('"a string"', 400);
  });

  it('V2-DATETIME-NO-ZONE (config/Constants.java LOCAL_DATE_TIME_PATTERN): a date-time with Z or an offset gets 400 with no body', async () => {
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '2023-08-02T09:30:00Z' }, 400);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '2023-08-02T09:30:00+01:00' }, 400);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '2023-08-02T09:30' }, 400);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '2023-08-02T09:30:00.5' }, 400);
  });

  it('V2-DATETIME-REQUIRED (DeathValidation.java validateRequest): a record with neither RecordLockedDateTime nor RecordUpdateDateTime gets 400, and nothing is kept', async () => {
    const before = standin.store.deathNotifications.length;
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: undefined }, 400);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: null }, 400);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '' }, 400);
    await expectStatus({}, 400);
    expect(standin.store.deathNotifications).toHaveLength(before);
  });

  it('V2-PARSER-EDGES (Jackson 2.15, services/Mapper.java): trailing text ignored, whitespace alone 400, "" read as null, floats truncated for integers, booleans and floats refused for enums, T24:00:00 taken', async () => {
    await expectStatus(`${JSON.stringify(ACCEPTED)} and then some text`, 201);
    await expectStatus('   \n', 400);
    await expectStatus({ ...ACCEPTED, DeceasedDeathDate: { PersonDeathDate: '' } }, 201);
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: '' }, 201);
    await expectStatus({ ...ACCEPTED, RegistrationID: 12.7 }, 201);
    await expectStatus({ ...ACCEPTED, DeceasedGender: true }, 400);
    await expectStatus({ ...ACCEPTED, DeceasedGender: 2.5 }, 400);
    await expectStatus({ ...ACCEPTED, DeceasedDeathDate: { VerificationLevel: false } }, 400);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '2023-08-01T24:00:00' }, 201);
    await expectStatus({ ...ACCEPTED, RecordLockedDateTime: '2023-08-01T24:30:00' }, 400);
  });

  it('V2-TRAILING-SLASH (template.yaml declares /events/deathNotification/): the route answers with and without the slash', async () => {
    for (const path of ['/events/deathNotification/', '/events/deathNotification']) {
      const ok = await call(`${standin.baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${supplier}` }, body: JSON.stringify(ACCEPTED) });
      expect([ok.status, ok.text], path).toEqual([201, '']);
      const refused = await call(`${standin.baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${supplier}` }, body: '{}' });
      expect(refused.status, path).toBe(400);
    }
  });

  it("V2-CONTENT-TYPE (the Lambda sets no headers; API Gateway's defaults): 201 and 400 carry Content-Type: application/json and x-amzn-RequestId, with an empty body", async () => {
    for (const [body, status] of [
      [ACCEPTED, 201],
      [{}, 400],
    ] as const) {
      const res = await send(body);
      expect([res.status, res.text, res.headers.get('content-type')]).toEqual([status, '', 'application/json']);
      expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('V2-DATE-FORMAT (Constants.java LOCAL_DATE_PATTERN): PersonDeathDate and PersonBirthDate are yyyy-MM-dd', async () => {
    await expectStatus({ ...ACCEPTED, DeceasedDeathDate: { PersonDeathDate: '01/08/2023' } }, 400);
    await expectStatus({ ...ACCEPTED, DeceasedBirthDate: { PersonBirthDate: '1950-3-14' } }, 400);
    await expectStatus({ ...ACCEPTED, DeceasedBirthDate: { PersonBirthDate: '1950-03-14', VerificationLevel: '03' } }, 201);
  });

  it('V2-UNKNOWN-FIELD (Jackson FAIL_ON_UNKNOWN_PROPERTIES, DeathValidationTest.java): an unknown field at any level gets 400', async () => {
    await expectStatus({ ...ACCEPTED, Unknown: 1 }, 400);
    await expectStatus({ ...ACCEPTED, DeceasedName: { ...ACCEPTED.DeceasedName, Nickname: 'Jo' } }, 400);
    await expectStatus({ ...ACCEPTED, DeceasedAddress: { Line: ['1 Street'], Town: 'A Town' } }, 400);
  });

  it('V2-UNKNOWN-ENUM (services/Mapper.java READ_UNKNOWN_ENUM_VALUES_AS_NULL): DeceasedGender 3 and VerificationLevel "04" are accepted by the API; the gender then breaks enrichment', async () => {
    expect(await afterAccepted({ ...ACCEPTED, DeceasedGender: 3 })).toMatch(/^dead-lettered: DeceasedGender is not 1, 2 or 9/);
    expect(await afterAccepted({ ...ACCEPTED, DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '04' } })).toBe('delivered');
  });

  it('V2-NUMBER-STRING (Jackson scalar coercion): numbers sent as strings are accepted; words are not', async () => {
    await expectStatus({ ...ACCEPTED, RegistrationID: '12' }, 201);
    await expectStatus({ ...ACCEPTED, RegistrationID: 'one' }, 400);
  });

  it('V2-NO-CONTENT-TYPE-CHECK (DeathValidation.java reads the body as it is): text/plain is accepted', async () => {
    const res = await send(ACCEPTED, { Authorization: `Bearer ${supplier}`, 'Content-Type': 'text/plain' });
    expect([res.status, res.text]).toEqual([201, '']);
  });

  it('V2-EMPTY-BODY-502 (readValue(null) throws outside the catch): an empty or null body gets 502 {"message":"Internal server error"}', async () => {
    for (const body of ['', 'null']) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body)).toBe(502);
      expect(res.json()).toEqual({ message: 'Internal server error' });
    }
  });

  it('V2-AUTH-401 (template.yaml DeathCognitoAuthoriser): no token, a bad one or one without the scope gets 401 {"message":"Unauthorized"}', async () => {
    for (const headers of [{}, { Authorization: 'Bearer abc' }, { Authorization: `Bearer ${acquirer}` }] as Record<string, string>[]) {
      const res = await send(ACCEPTED, { ...headers, 'Content-Type': 'application/json' });
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ message: 'Unauthorized' });
    }
  });

  it('V2-RAW-TOKEN (GroPublishRecord.java sends the JWT alone): a token without "Bearer " is accepted', async () => {
    const res = await send(ACCEPTED, { Authorization: supplier, 'Content-Type': 'application/json' });
    expect([res.status, res.text]).toEqual([201, '']);
  });

  it('V2-UNDEFINED-ROUTE-403 (API Gateway default): an undefined path or method gets 403 {"message":"Missing Authentication Token"}', async () => {
    const answers = [
      await call(`${standin.baseUrl}/events/deathNotification`, { headers: { Authorization: `Bearer ${supplier}` } }),
      await call(`${standin.baseUrl}/events/deathNotification/1`, { method: 'POST', headers: { Authorization: `Bearer ${supplier}` }, body: '{}' }),
      await call(`${standin.baseUrl}/oauth2/authorize`),
    ];
    for (const res of answers) {
      expect(res.status).toBe(403);
      expect(res.json()).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('V2-CORRELATION-ID (DeathValidation.java headers.get("CorrelationID")): the header is carried into the audit trail; a UUID is made when absent', async () => {
    const id = 'contract-correlation-id-1';
    await send(ACCEPTED, { Authorization: `Bearer ${supplier}`, CorrelationID: id });
    expect(standin.store.deathNotifications.at(-1)!.correlationId).toBe(id);
    await send(ACCEPTED);
    expect(standin.store.deathNotifications.at(-1)!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('V2-SCHEMA-SHARED: the stand-in parses with the same death-notification schema the integration collection embeds', async () => {
    const publish = allItems(committedCollection('integration').item).find((i) => i.name === 'Publish a death notification')!;
    const test = publish.event!.find((e) => e.listen === 'test')!.script.exec.join('\n');
    const file = schema('death-notification');
    expect(scriptConfig(test)?.['requestSchemaName']).toBe(file.$id);
    // The same file, less its $id and its description annotations.
    const parsed = JSON.parse(JSON.stringify(file), (key, value) =>
      key === '$id' || (key === 'description' && typeof value === 'string') ? undefined : value,
    );
    expect(scriptConfig(test)?.['requestSchema']).toEqual(parsed);
    // And they judge alike: the embedded schema's verdict on each record is the stand-in's answer.
    const embedded = createAjv().compile(scriptConfig(test)?.['requestSchema'] as object);
    for (const [record, status] of [
      [ACCEPTED, 201],
      [{ ...ACCEPTED, DeceasedGender: true }, 400],
      [{ ...ACCEPTED, DeceasedGender: 2.5 }, 400],
      [{ ...ACCEPTED, DeceasedDeathDate: { VerificationLevel: false } }, 400],
    ] as const) {
      expect(embedded(record), JSON.stringify(record)).toBe(status === 201);
      await expectStatus(record, status);
    }
  });
});
