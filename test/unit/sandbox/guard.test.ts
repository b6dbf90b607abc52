// The collection's guard decides from what a request sends, never from its name. Each row is a
// request a tester could build or edit in Postman, and what the guard must do with it; the
// function is the one the generated collections carry (src/sandbox/library.js).
import { describe, expect, it } from 'vitest';
import { loadLibrary } from '../../helpers/sandbox-library.js';

interface Sent {
  method: string;
  url: string;
  body?: { value?: unknown; none?: boolean; unreadable?: string; form?: Record<string, string> };
  tokenUrl?: string;
  baseUrl?: string;
  optInSent?: string;
  locked?: string;
  where?: 'opt-in' | 'other' | 'unknown';
  armed?: boolean;
  iteration?: number;
  waitingFor?: string;
}
interface Verdict {
  send: boolean;
  token?: boolean;
  optIn?: boolean;
  held?: string;
  refused?: string;
  ask?: { id: string; url: string };
}
interface Library {
  gdxGuardVerdict(sent: Required<Sent>, rules: object, deliverable: (record: unknown) => string): Verdict;
  gdxTokenInputProblem(tokenUrl: string, clientId: string, clientSecret: string, baseUrl?: string, apiHosts?: string[]): string;
  gdxBodySent(body: unknown, replaceIn: (text: string) => string): { value?: unknown; none?: boolean; unreadable?: string; form?: object };
  gdxTestEventProblem(answer: { status: number; body: unknown } | null, id: string): string;
}

const lib = loadLibrary(['gdxGuardVerdict', 'gdxTokenInputProblem', 'gdxBodySent', 'gdxTestEventProblem']) as unknown as Library;
const OPT_IN = {
  folder: 'Supplier: publish a death notification (opt-in)',
  variable: 'publishDeathNotification',
  why: 'is left out unless publishDeathNotification is true',
};
// The platform's API hosts, as the collections' settings list them.
const API_HOSTS = ['demo.example.invalid'];
const WITH_OPT_IN = { optIn: OPT_IN, needs: { testEventId: 'no TEST_EVENT in your queue' }, testEvents: false, apiHosts: API_HOSTS };
const WITHOUT_OPT_IN = { optIn: null, needs: {}, testEvents: false, apiHosts: API_HOSTS };
const EVENTS_V1 = { optIn: null, needs: { testEventId: 'no TEST_EVENT in your queue' }, testEvents: true, apiHosts: API_HOSTS };
const BASE = 'https://demo.example.invalid';
const TOKEN_URL = 'https://auth.example.invalid/oauth2/token';
const DELIVERABLE = { RegistrationID: 1, RecordLockedDateTime: '2023-08-01T14:55:00', DeceasedName: { PersonFamilyName: 'Adams' }, DeceasedGender: 2 };

function judge(sent: Sent, rules: object = WITH_OPT_IN, deliverable = (): string => ''): Verdict {
  return lib.gdxGuardVerdict(
    {
      body: { none: true },
      tokenUrl: TOKEN_URL,
      baseUrl: BASE,
      optInSent: '',
      locked: '',
      where: 'other',
      armed: false,
      iteration: 0,
      waitingFor: '',
      ...sent,
    },
    rules,
    deliverable,
  );
}
const json = (value: unknown) => ({ value });

describe('the guard, request by request', () => {
  it('sends reads and token requests, and stops a URL whose environment is not selected', () => {
    expect(judge({ method: 'GET', url: `${BASE}/events?page%5Bsize%5D=10` })).toEqual({ send: true });
    expect(judge({ method: 'HEAD', url: `${BASE}/events` })).toEqual({ send: true });
    const form = { unreadable: 'urlencoded', form: { grant_type: 'client_credentials' } };
    expect(judge({ method: 'POST', url: TOKEN_URL, body: form })).toEqual({ send: true, token: true });
    // The seed's refusals ask with no grant_type, or another one: a form all the same.
    expect(judge({ method: 'POST', url: TOKEN_URL, body: { unreadable: 'urlencoded', form: {} } })).toEqual({ send: true, token: true });
    // Bruno passes a form on parsed.
    expect(judge({ method: 'POST', url: TOKEN_URL, body: json({ grant_type: 'client_credentials' }) })).toEqual({ send: true, token: true });
    expect(judge({ method: 'POST', url: '{{tokenUrl}}' })).toMatchObject({
      send: false,
      token: true,
      refused: expect.stringMatching(/^tokenUrl is empty; select the GDX/),
    });
    expect(judge({ method: 'GET', url: '{{baseUrl}}/events' })).toMatchObject({ send: false, refused: expect.stringMatching(/^baseUrl is empty/) });
    expect(judge({ method: 'GET', url: '{{baseUrl}}/events' }).token).toBe(false);
  });

  it('publishes only a TEST_EVENT, however the path is written', () => {
    expect(judge({ method: 'POST', url: `${BASE}/events`, body: json({ eventType: 'TEST_EVENT', id: 'x' }) })).toEqual({ send: true });
    for (const url of [`${BASE}/events`, `${BASE}/EVENTS/`, `${BASE}/%65vents`, `${BASE}//events`, `${BASE}/stage/events?x=1`]) {
      const verdict = judge({ method: 'POST', url, body: json({ eventType: 'DEATH_NOTIFICATION', id: '1' }) });
      expect(verdict.send, url).toBe(false);
      expect(verdict.refused, url).toContain('publishes eventType DEATH_NOTIFICATION: only a TEST_EVENT is published on a shared environment');
    }
    expect(judge({ method: 'POST', url: `${BASE}/events`, body: json({ eventType: 'test_event' }) }).send).toBe(false);
    expect(judge({ method: 'POST', url: `${BASE}/events`, body: { unreadable: 'text that is not plain JSON' } }).refused).toContain(
      'publishes text that is not plain JSON',
    );
  });

  it('asks the service before removing an event, at the address the DELETE goes to, and only where there are test events', () => {
    const id = '0c9c1f1e-2a5b-4a53-9d1e-4a0a3c2b1d00';
    expect(judge({ method: 'DELETE', url: `${BASE}/events/${id}` }, EVENTS_V1)).toEqual({ send: false, ask: { id, url: `${BASE}/events/${id}` } });
    expect(judge({ method: 'DELETE', url: `${BASE}/EVENTS/${id.toUpperCase()}/` }, EVENTS_V1)).toEqual({
      send: false,
      ask: { id, url: `${BASE}/EVENTS/${id.toUpperCase()}/` },
    });
    expect(judge({ method: 'DELETE', url: `${BASE}:443/events/${id}?x=1` }, EVENTS_V1).ask).toEqual({ id, url: `${BASE}/events/${id}` });
    expect(judge({ method: 'DELETE', url: `${BASE}/events/${id}` }, WITH_OPT_IN)).toMatchObject({
      send: false,
      refused: expect.stringContaining('could change data'),
    });
    expect(judge({ method: 'DELETE', url: `${BASE}/events/{{testEventId}}`, waitingFor: 'testEventId' }, EVENTS_V1)).toEqual({
      send: false,
      held: 'no TEST_EVENT in your queue',
      waiting: true,
    });
  });

  it("reads the service's answer: only the event asked about, as a TEST_EVENT, lets the DELETE go", () => {
    const id = '0c9c1f1e-2a5b-4a53-9d1e-4a0a3c2b1d00';
    const event = (eventType: string, eventId = id) => ({ status: 200, body: { data: { id: eventId, type: 'events', attributes: { eventType } } } });
    expect(lib.gdxTestEventProblem(event('TEST_EVENT'), id)).toBe('');
    expect(lib.gdxTestEventProblem(event('TEST_EVENT', id.toUpperCase()), id)).toBe('');
    expect(lib.gdxTestEventProblem(event('DEATH_NOTIFICATION'), id)).toBe(`the service says event ${id} is a DEATH_NOTIFICATION`);
    expect(lib.gdxTestEventProblem(event('TEST_EVENT', 'another'), id)).toBe(`the service says event ${id} is not one it knows as a TEST_EVENT`);
    expect(lib.gdxTestEventProblem({ status: 404, body: null }, id)).toBe(`the service answered 404 when the guard asked about event ${id}`);
    expect(lib.gdxTestEventProblem({ status: 307, body: null }, id)).toBe(`the service answered 307 when the guard asked about event ${id}`);
    expect(lib.gdxTestEventProblem(null, id)).toBe(`the service did not answer the guard's question about event ${id}`);
  });

  it('sends writes to the API itself only, judges the API by its route whatever tokenUrl says, and keeps a lock', () => {
    const form = { unreadable: 'urlencoded', form: { grant_type: 'client_credentials' } };
    // A server elsewhere could redirect a write to the API.
    for (const url of ['https://mock.example.invalid/events', `${BASE}:8443/events`, 'http://demo.example.invalid/events']) {
      expect(judge({ method: 'POST', url, body: json({ eventType: 'TEST_EVENT' }) }).refused, url).toMatch(
        /^POST \/events goes to \S+, not to baseUrl's host: the guard sends writes to the API itself only$/,
      );
    }
    // tokenUrl pointed at an API route, or at the API's host: not a token request.
    for (const tokenUrl of [`${BASE}/events/deathNotification`, `${BASE}/oauth2/token`, 'https://auth.example.invalid/stage/events']) {
      expect(judge({ method: 'POST', url: tokenUrl, tokenUrl, body: form }), tokenUrl).toEqual({ send: false, token: true });
      expect(lib.gdxTokenInputProblem(tokenUrl, 'id', 'secret', BASE, API_HOSTS), tokenUrl).toMatch(
        /^tokenUrl points at the API \(.*\), which would be sent the client secret/,
      );
    }
    // On this machine's stand-in the token endpoint and the API share a host.
    const local = 'http://127.0.0.1:4010';
    expect(judge({ method: 'POST', url: `${local}/oauth2/token`, tokenUrl: `${local}/oauth2/token`, baseUrl: local, body: form })).toEqual({
      send: true,
      token: true,
    });
    expect(lib.gdxTokenInputProblem(`${local}/oauth2/token`, 'id', 'secret', local, API_HOSTS)).toBe('');
    // A stand-in elsewhere (under a name a department proxy resolves) is no platform API either.
    const elsewhere = 'https://standin.dept.example.invalid';
    expect(lib.gdxTokenInputProblem(`${elsewhere}/oauth2/token`, 'id', 'secret', elsewhere, API_HOSTS)).toBe('');
    expect(judge({ method: 'POST', url: `${elsewhere}/oauth2/token`, tokenUrl: `${elsewhere}/oauth2/token`, baseUrl: elsewhere, body: form })).toEqual({
      send: true,
      token: true,
    });
    // A request at tokenUrl that is no form is judged as any other write.
    expect(judge({ method: 'DELETE', url: TOKEN_URL }).send).toBe(false);
    const locked = judge({ method: 'POST', url: `${BASE}/events`, body: json({ eventType: 'TEST_EVENT' }), locked: '"x" was changed' });
    expect(locked).toEqual({ send: false, refused: 'writes are locked in this session: "x" was changed' });
    expect(judge({ method: 'GET', url: `${BASE}/events`, locked: '"x" was changed' })).toEqual({ send: true });
  });

  it('sends nothing else that could change data', () => {
    for (const [method, path] of [
      ['PUT', '/events/1'],
      ['PATCH', '/events/1'],
      ['DELETE', '/events'],
      ['POST', '/subscriptions'],
      ['DELETE', '/admin/events'],
    ] as const) {
      expect(judge({ method, url: `${BASE}${path}` }), `${method} ${path}`).toMatchObject({
        send: false,
        refused: `${method} ${path} could change data on a shared environment, and these collections send no such request`,
      });
    }
  });

  it('integration: sends a record with a date-time only from the armed opt-in folder, once, and only one the pipeline carries', () => {
    const post = (value: unknown, more: Partial<Sent> = {}) => judge({ method: 'POST', url: `${BASE}/events/deathNotification`, body: json(value), ...more });
    expect(post({})).toEqual({ send: true });
    expect(post({ RecordLockedDateTime: null })).toEqual({ send: true });
    const refused = post(DELIVERABLE);
    expect(refused.send).toBe(false);
    expect(refused.refused).toBe(
      'this record has RecordLockedDateTime, so the service would accept it and deliver it to other departments; only the opt-in folder ' +
        '"Supplier: publish a death notification (opt-in)" sends one, when publishDeathNotification is true; to check the route, remove ' +
        'RecordLockedDateTime and RecordUpdateDateTime',
    );
    expect(post({ recordupdatedatetime: '2023-08-01T14:55:00' }).send).toBe(false);
    expect(post(DELIVERABLE, { armed: true, where: 'other' }).send).toBe(false);
    expect(post(DELIVERABLE, { armed: true, where: 'opt-in' })).toEqual({ send: true, optIn: true });
    // One record a session, whatever armed it: the marker the guard wrote on sending the first.
    expect(post(DELIVERABLE, { armed: true, where: 'opt-in', optInSent: '10:00:00 UTC' })).toEqual({
      send: false,
      held: 'has sent its one record in this session (at 10:00:00 UTC); to send another, clear the collection variable gdxOptInSent',
    });
    expect(post(DELIVERABLE, { armed: true, where: 'unknown', optInSent: '10:00:00 UTC' }).send).toBe(false);
    expect(post(DELIVERABLE, { armed: false, where: 'opt-in' })).toEqual({ send: false, held: OPT_IN.why });
    expect(post(DELIVERABLE, { armed: true, where: 'opt-in', iteration: 1 })).toEqual({ send: false, held: 'sends once per run, in the first iteration only' });
    // Bruno does not say which folder a request is in: armed, the folder scripts keep it to the opt-in folder.
    expect(post(DELIVERABLE, { armed: true, where: 'unknown' })).toEqual({ send: true, optIn: true });
    expect(post(DELIVERABLE, { armed: false, where: 'unknown' }).send).toBe(false);
    expect(
      judge({ method: 'POST', url: `${BASE}/events/deathNotification/`, body: json(DELIVERABLE), armed: true, where: 'opt-in' }, WITHOUT_OPT_IN).send,
    ).toBe(false);
    const undeliverable = judge(
      { method: 'POST', url: `${BASE}/events/deathNotification`, body: json(DELIVERABLE), armed: true, where: 'opt-in' },
      WITH_OPT_IN,
      () => 'no DeceasedName',
    );
    expect(undeliverable).toEqual({
      send: false,
      refused: 'this record would be accepted (201), then dead-lettered, which pages the platform team: no DeceasedName',
    });
    for (const body of [{ none: true }, { unreadable: 'text that is not plain JSON' }, json([DELIVERABLE]), json(null)]) {
      expect(judge({ method: 'POST', url: `${BASE}/events/deathNotification`, body }).refused, JSON.stringify(body)).toMatch(
        /which the guard cannot check; send a JSON record$/,
      );
    }
  });
});

describe('what a request body sends, as the guard reads it', () => {
  const same = (text: string) => text.replace('{{id}}', '7');
  it('reads Postman raw bodies with their variables, Bruno bodies as given, and nothing else', () => {
    expect(lib.gdxBodySent({ mode: 'raw', raw: '{"id": {{id}}}' }, same)).toEqual({ value: { id: 7 } });
    expect(lib.gdxBodySent({ mode: 'raw', raw: '{"RecordLockedDateTime": "2023-08-01T14:55:00"} trailing' }, same)).toEqual({
      unreadable: 'text that is not plain JSON',
      form: { '{"RecordLockedDateTime": "2023-08-01T14:55:00"} trailing': '' },
    });
    expect(lib.gdxBodySent({ mode: 'urlencoded', urlencoded: [] }, same)).toEqual({ unreadable: 'urlencoded', form: {} });
    const fields = [
      { key: 'grant_type', value: 'client_credentials' },
      { key: 'scope', value: 'x', disabled: true },
      { key: 'client_id', value: '{{id}}' },
    ];
    expect(lib.gdxBodySent({ mode: 'urlencoded', urlencoded: fields }, same)).toEqual({
      unreadable: 'urlencoded',
      form: { grant_type: 'client_credentials', client_id: '7' },
    });
    expect(lib.gdxBodySent({ mode: 'urlencoded', urlencoded: { all: () => fields } }, same).form).toEqual({ grant_type: 'client_credentials', client_id: '7' });
    // Bruno's list of fields.
    expect(
      lib.gdxBodySent(
        [
          { name: 'grant_type', value: 'client_credentials', enabled: true },
          { name: 'x', value: '1', enabled: false },
        ],
        same,
      ),
    ).toEqual({
      unreadable: 'urlencoded',
      form: { grant_type: 'client_credentials' },
    });
    expect(lib.gdxBodySent('grant_type=client_credentials&scope=a+b%2Fc', same)).toEqual({
      unreadable: 'text that is not plain JSON',
      form: { grant_type: 'client_credentials', scope: 'a b/c' },
    });
    expect(lib.gdxBodySent({ mode: undefined }, same)).toEqual({ none: true });
    expect(lib.gdxBodySent({ toJSON: () => ({}) }, same)).toEqual({ none: true });
    expect(lib.gdxBodySent({ eventType: 'TEST_EVENT' }, same)).toEqual({ value: { eventType: 'TEST_EVENT' } });
    expect(lib.gdxBodySent('{"a":1}', same)).toEqual({ value: { a: 1 } });
    expect(lib.gdxBodySent(undefined, same)).toEqual({ none: true });
    expect(lib.gdxBodySent('  ', same)).toEqual({ none: true });
  });
});

describe("a token request's inputs, checked before anything is sent", () => {
  it('names the variable to set', () => {
    expect(lib.gdxTokenInputProblem('', 'id', 'secret')).toMatch(/^tokenUrl is empty; select the GDX Data Share environment/);
    expect(lib.gdxTokenInputProblem(TOKEN_URL, '', '')).toBe(
      'clientId and clientSecret are empty; set both in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one',
    );
    expect(lib.gdxTokenInputProblem(TOKEN_URL, 'id', '')).toBe(
      'clientSecret is empty; set it in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one',
    );
    expect(lib.gdxTokenInputProblem(TOKEN_URL, '', 'secret')).toBe(
      'clientId is empty; set it in the environment: in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one',
    );
    expect(lib.gdxTokenInputProblem('ftp://auth.example.invalid/', 'id', 'secret')).toMatch(/^tokenUrl is not an https URL/);
    expect(lib.gdxTokenInputProblem(TOKEN_URL, 'id', 'secret')).toBe('');
  });

  it('allows plain http to this machine only, reading the host as a client would', () => {
    for (const url of [
      'http://127.0.0.1:4010/oauth2/token',
      'http://localhost/oauth2/token',
      'http://[::1]:8080/oauth2/token',
      'http://127.8.9.10/oauth2/token',
    ]) {
      expect(lib.gdxTokenInputProblem(url, 'id', 'secret'), url).toBe('');
    }
    for (const [url, host] of [
      ['http://127.0.0.1.attacker.example.invalid/oauth2/token', '127.0.0.1.attacker.example.invalid'],
      ['http://127.0.0.1@attacker.example.invalid/oauth2/token', 'attacker.example.invalid'],
      ['http://localhost:443@attacker.example.invalid/oauth2/token', 'attacker.example.invalid'],
      ['http://localhost.attacker.example.invalid/', 'localhost.attacker.example.invalid'],
      ['HTTP://auth.example.invalid/oauth2/token', 'auth.example.invalid'],
    ] as const) {
      expect(lib.gdxTokenInputProblem(url, 'id', 'secret'), url).toBe(
        `tokenUrl is plain http to ${host}, so the client secret would travel in clear; use the https token URL (the handbook's table of environments)`,
      );
    }
  });
});
