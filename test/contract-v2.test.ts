// Contract suite, death-notification API v2 (integration): one test per rule of the stand-in,
// named by the rule's id and the platform source it comes from (govuk-one-login/
// life-events-platform at commit 2356973a: template.yaml, techdocs/openapi.yaml,
// lambdas/death-validation/, lib/src/main/java/uk/gov/di/data/lep/library/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHETIC_DEATH_NOTIFICATION } from '../src/catalogue.js';
import { LOCAL_CLIENTS } from '../src/environments.js';
import { schema } from '../src/schemas.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { allItems, committedCollection, scriptConfig } from './helpers/files.js';
import { call, token, type Answer } from './helpers/http.js';

const ACQ = LOCAL_CLIENTS.acquirer;
const SUP = LOCAL_CLIENTS.supplier;

/** The record the reference gives as one the real service accepts. */
const ACCEPTED = {
  RegistrationID: 1,
  RecordUpdateDateTime: '2023-08-01T14:59:22',
  DeceasedName: { PersonGivenName: ['Joan'], PersonFamilyName: 'Adams' },
  DeceasedGender: 2,
  DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '03' },
};

let standin: Standin;
let supplier: string;
let acquirer: string;

beforeAll(async () => {
  standin = await startStandin();
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

describe('death-notification API v2 (integration): the stand-in against the platform source', () => {
  it('V2-ACCEPT (DeathValidation.java): a record that parses gets 201 with no body, the reference\'s accepted record and the collection\'s alike', async () => {
    await expectStatus(ACCEPTED, 201);
    expect(SYNTHETIC_DEATH_NOTIFICATION).toEqual(ACCEPTED);
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: undefined, RecordLockedDateTime: '2023-08-01T14:55:00' }, 201);
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: '2023-03-06T09:30:50.000' }, 201);
  });

  it('V2-REFUSE (DeathValidation.java MappingException): a body that does not parse gets 400 with no body', async () => {
    await expectStatus('{not json', 400);
    await expectStatus([ACCEPTED], 400);
    await expectStatus('"a string"', 400);
  });

  it('V2-DATETIME-NO-ZONE (config/Constants.java LOCAL_DATE_TIME_PATTERN): a date-time with Z or an offset gets 400 with no body', async () => {
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: '2023-08-02T09:30:00Z' }, 400);
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: '2023-08-02T09:30:00+01:00' }, 400);
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: '2023-08-02T09:30' }, 400);
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: '2023-08-02T09:30:00.5' }, 400);
  });

  it('V2-DATETIME-REQUIRED (DeathValidation.java): a record with neither RecordLockedDateTime nor RecordUpdateDateTime gets 400', async () => {
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: undefined }, 400);
    await expectStatus({ ...ACCEPTED, RecordUpdateDateTime: null }, 400);
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

  it('V2-UNKNOWN-ENUM (services/Mapper.java READ_UNKNOWN_ENUM_VALUES_AS_NULL): DeceasedGender 3 and VerificationLevel "04" are accepted', async () => {
    await expectStatus({ ...ACCEPTED, DeceasedGender: 3 }, 201);
    await expectStatus({ ...ACCEPTED, DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '04' } }, 201);
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

  it('V2-SCHEMA-SHARED: the stand-in parses with the same death-notification schema the integration collection embeds', () => {
    const publish = allItems(committedCollection('integration').item).find((i) => i.name === 'Publish a death notification')!;
    const test = publish.event!.find((e) => e.listen === 'test')!.script.exec.join('\n');
    const { $id, ...parsed } = schema('death-notification');
    expect(scriptConfig(test)?.['requestSchemaName']).toBe($id);
    expect(scriptConfig(test)?.['requestSchema']).toEqual(parsed);
  });
});
