// What the collections contain: folders of requests with what each expects. The generator turns
// it into Postman items; the runner reads the same folders' roles and scopes to choose and skip.
import { SCOPES, type ApiFlavour, type EnvironmentSpec, type Role } from './environments.js';
import type { SchemaName } from './schemas.js';

export type SandboxScript =
  | 'token.prerequest'
  | 'once-per-run.prerequest'
  | 'correlation-id.prerequest'
  | 'token-response.test'
  | 'oauth-error.test'
  | 'api-response.test';

/** Functions shared by scripts: prepended to each script that calls one of them. */
export const SANDBOX_LIBRARY = 'token.lib';

export const SANDBOX_SCRIPTS: readonly SandboxScript[] = [
  'token.prerequest',
  'once-per-run.prerequest',
  'correlation-id.prerequest',
  'token-response.test',
  'oauth-error.test',
  'api-response.test',
];

export interface Expectation {
  status: number;
  contentType?: string;
  schema?: SchemaName;
  emptyBody?: boolean;
  header?: { name: string; startsWith: string };
  /** A 403 with this hint means a subscription, not a token, is missing. */
  forbiddenHint?: string;
  /** Check the JSON body the request sent against this schema (what the real parser accepts). */
  requestSchema?: SchemaName;
  saveFirstEventId?: boolean;
  /** Remember the first TEST_EVENT of the list: the only kind of event a run may acknowledge. */
  saveTestEventId?: boolean;
  rememberAcknowledged?: boolean;
}

/** Variables a request can wait for, and what a tester is told when one is empty. */
export const EVENT_VARIABLES = {
  firstEventId: 'your queue is empty',
  testEventId: 'no TEST_EVENT in your queue, so nothing is acknowledged: a supplier (or a client with events/publish) publishes one first',
  acknowledgedEventId: 'no test event was acknowledged',
} as const;
export type EventVariable = keyof typeof EVENT_VARIABLES;

export type Body =
  | { mode: 'urlencoded'; fields: readonly (readonly [string, string])[] }
  | { mode: 'json'; value: unknown };

export type Check =
  | { kind: 'token-response'; method: 'client_secret_post' | 'client_secret_basic' }
  | { kind: 'oauth-error'; error: string }
  | { kind: 'api'; expect: Expectation };

export interface RequestSpec {
  name: string;
  description: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Postman URL text with {{variables}}. */
  url: string;
  /** Omitted: inherit the folder's auth. */
  auth?: 'basic' | 'none';
  headers?: readonly (readonly [string, string])[];
  body?: Body;
  /** Only in environments that have this API. */
  api?: ApiFlavour;
  needs?: EventVariable;
  /** Send the run's CorrelationID header (API v2 carries it into the platform's audit trail). */
  correlationId?: boolean;
  check: Check;
}

export type FolderKind = 'token' | 'api' | 'anonymous';

export interface FolderSpec {
  name: string;
  description: string;
  kind: FolderKind;
  /** Only in environments that have this API. */
  api?: ApiFlavour;
  /** API folders: the role whose client runs them and the scope their token needs. */
  role?: Role;
  scope?: string;
  /** Changes a queue (acknowledging removes a test event): --no-acknowledge leaves it out. */
  destructive?: boolean;
  requests: RequestSpec[];
}

const FORM_HEADER = [['Content-Type', 'application/x-www-form-urlencoded']] as const;
const JSON_HEADER = [['Content-Type', 'application/json']] as const;
const JSON_API = 'application/vnd.api+json';

/** A synthetic record the real parser accepts: the platform documentation's own example, test
 * data only. Its date-time has no zone: the parser refuses "Z" and offsets with 400. */
export const SYNTHETIC_DEATH_NOTIFICATION = {
  RegistrationID: 1,
  RecordUpdateDateTime: '2023-08-01T14:59:22',
  DeceasedName: { PersonGivenName: ['Joan'], PersonFamilyName: 'Adams' },
  DeceasedGender: 2,
  DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '03' },
};

/** The only event a smoke run publishes on v1, as the platform's own post-deploy check does:
 * a TEST_EVENT reaches no real acquirer's death-notification queue. */
export const TEST_EVENT = { eventType: 'TEST_EVENT', id: '{{$guid}}' };

function tokenFolder(): FolderSpec {
  return {
    name: 'Get an access token',
    kind: 'token',
    description:
      'The two ways of asking Cognito for an access token that the GDX guide "How to generate an access token" shows, ' +
      'with the client credentials grant. Each caches the token it gets, so the API folders reuse it.',
    requests: [
      {
        name: 'Form encoded credentials',
        description: 'client_secret_post: grant_type, client_id and client_secret in an x-www-form-urlencoded body.',
        method: 'POST',
        url: '{{tokenUrl}}',
        auth: 'none',
        headers: FORM_HEADER,
        body: {
          mode: 'urlencoded',
          fields: [['grant_type', 'client_credentials'], ['client_id', '{{clientId}}'], ['client_secret', '{{clientSecret}}']],
        },
        check: { kind: 'token-response', method: 'client_secret_post' },
      },
      {
        name: 'Basic authorization',
        description: 'client_secret_basic: an Authorization: Basic base64(clientId:clientSecret) header, and grant_type alone in the body.',
        method: 'POST',
        url: '{{tokenUrl}}',
        auth: 'basic',
        headers: FORM_HEADER,
        body: { mode: 'urlencoded', fields: [['grant_type', 'client_credentials']] },
        check: { kind: 'token-response', method: 'client_secret_basic' },
      },
    ],
  };
}

function refusalsFolder(env: EnvironmentSpec): FolderSpec {
  const refusal = (name: string, description: string, fields: [string, string][], error: string, auth: 'basic' | 'none'): RequestSpec => ({
    name,
    description: `${description} Cognito answers 400 ${error} and issues no token.`,
    method: 'POST',
    url: '{{tokenUrl}}',
    auth,
    headers: FORM_HEADER,
    body: { mode: 'urlencoded', fields },
    check: { kind: 'oauth-error', error },
  });
  return {
    name: 'Token endpoint refusals',
    kind: 'token',
    description: 'Requests the token endpoint must refuse. None of them mints a token.',
    requests: [
      refusal(
        'Wrong secret',
        'client_secret_post with your client id and a secret that is not yours.',
        [['grant_type', 'client_credentials'], ['client_id', '{{clientId}}'], ['client_secret', 'not-the-client-secret']],
        'invalid_client',
        'none',
      ),
      refusal('Missing grant_type', 'Your credentials, but no grant_type.', [], 'invalid_request', 'basic'),
      refusal('Unknown grant type', 'grant_type=password, which Cognito does not know.', [['grant_type', 'password']], 'unsupported_grant_type', 'basic'),
      refusal(
        'Scope not allowed',
        `Your credentials, asking for ${env.forbiddenScope}, a scope no tester's client holds.`,
        [['grant_type', 'client_credentials'], ['scope', env.forbiddenScope]],
        'invalid_scope',
        'basic',
      ),
    ],
  };
}

export const ACKNOWLEDGE_FOLDER = 'Acquirer: acknowledge a test event (removes it from your queue)';

const apiError = (status: number): Expectation => ({ status, contentType: 'application/json', schema: 'api-error' });

function acquirerFolders(): FolderSpec[] {
  return [
    {
      name: 'Acquirer: events',
      kind: 'api',
      api: 'events-v1',
      role: 'acquirer',
      scope: SCOPES.consume,
      description: 'What an acquirer does with its queue (scope events/consume): list the events, oldest first, and read one.',
      requests: [
        {
          name: 'List events',
          description: 'The first page of your queue, ten events a page. Remembers the first event for the requests after it.',
          method: 'GET',
          url: '{{baseUrl}}/events?page%5Bsize%5D=10&page%5Bnumber%5D=0',
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event-list', saveFirstEventId: true } },
        },
        {
          name: 'List death notifications',
          description:
            'The same queue filtered to both kinds of death notification (filter[eventType] is a list: the parameter repeats). ' +
            'Brackets are percent-encoded, as the service writes its own links.',
          method: 'GET',
          url: '{{baseUrl}}/events?filter%5BeventType%5D=DEATH_NOTIFICATION&filter%5BeventType%5D=GRO_DEATH_NOTIFICATION&page%5Bsize%5D=10',
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event-list' } },
        },
        {
          name: 'Read the first listed event',
          description: 'The first event of "List events", with the eventData your data-sharing agreement allows. Skipped when the queue is empty.',
          method: 'GET',
          url: '{{baseUrl}}/events/{{firstEventId}}',
          needs: 'firstEventId',
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event' } },
        },
      ],
    },
    {
      name: ACKNOWLEDGE_FOLDER,
      kind: 'api',
      api: 'events-v1',
      role: 'acquirer',
      scope: SCOPES.consume,
      destructive: true,
      description:
        'Acknowledging tells GDX you have processed an event: it leaves your queue for good. This folder only ever ' +
        'acknowledges a TEST_EVENT (the kind a smoke run publishes), never a real notification; with no test event in ' +
        'your queue it acknowledges nothing. Leave it out (npm run smoke -- --no-acknowledge) to keep even test events.',
      requests: [
        {
          name: 'Find a test event',
          description: 'GET /events filtered to TEST_EVENT. Remembers the first one, the only event the next request may remove.',
          method: 'GET',
          url: '{{baseUrl}}/events?filter%5BeventType%5D=TEST_EVENT&page%5Bsize%5D=10',
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event-list', saveTestEventId: true } },
        },
        {
          name: 'Acknowledge the test event',
          description: 'DELETE the test event found above: 204, and it is gone from your queue. Skipped when there is none.',
          method: 'DELETE',
          url: '{{baseUrl}}/events/{{testEventId}}',
          needs: 'testEventId',
          check: { kind: 'api', expect: { status: 204, emptyBody: true, rememberAcknowledged: true } },
        },
        {
          name: 'The acknowledged event is gone',
          description: 'Reading the acknowledged test event again answers 404.',
          method: 'GET',
          url: '{{baseUrl}}/events/{{acknowledgedEventId}}',
          needs: 'acknowledgedEventId',
          check: { kind: 'api', expect: apiError(404) },
        },
      ],
    },
  ];
}

function supplierFolders(): FolderSpec[] {
  return [
    {
      name: 'Supplier: publish a test event',
      kind: 'api',
      api: 'events-v1',
      role: 'supplier',
      scope: SCOPES.publish,
      description:
        'What a supplier does (scope events/publish), with a TEST_EVENT: dev and demo are shared by every department, and a ' +
        'DEATH_NOTIFICATION would reach every acquirer subscribed to them (whose reads of a made-up record then fail). ' +
        'The platform\'s own post-deploy check publishes the same.',
      requests: [
        {
          name: 'Publish a test event',
          description:
            'POST /events {"eventType": "TEST_EVENT", "id": <new UUID>}: 201 and an empty body. Acquirers see it a moment later ' +
            '(publishing is asynchronous). A 403 means your client has no supplier subscription for TEST_EVENT.',
          method: 'POST',
          url: '{{baseUrl}}/events',
          headers: JSON_HEADER,
          body: { mode: 'json', value: TEST_EVENT },
          check: {
            kind: 'api',
            expect: {
              status: 201,
              emptyBody: true,
              forbiddenHint: 'your client has no supplier subscription for TEST_EVENT: ask the GDX team to add one',
            },
          },
        },
      ],
    },
    {
      name: 'Supplier: death notification',
      kind: 'api',
      api: 'death-notification-v2',
      role: 'supplier',
      scope: SCOPES.deathNotification,
      description: 'The death-notification API (scope EventType/DeathNotification): send a synthetic death notification record.',
      requests: [
        {
          name: 'Publish a death notification',
          description:
            'POST /events/deathNotification with a synthetic record and a CorrelationID header (quote it to the GDX team to ' +
            'trace the request): 201 with no body. 400, also with no body, means the record does not parse; the first ' +
            'test says why when it does not match the death-notification schema (date-times take no zone: ' +
            '2023-08-01T14:59:22, never ...Z).',
          method: 'POST',
          url: '{{baseUrl}}/events/deathNotification',
          headers: [...JSON_HEADER, ['CorrelationID', '{{correlationId}}']],
          correlationId: true,
          body: { mode: 'json', value: SYNTHETIC_DEATH_NOTIFICATION },
          check: { kind: 'api', expect: { status: 201, emptyBody: true, requestSchema: 'death-notification' } },
        },
      ],
    },
  ];
}

function anonymousFolder(): FolderSpec {
  return {
    name: 'Without a token',
    kind: 'anonymous',
    description: 'The API must refuse a request that carries no access token.',
    requests: [
      {
        name: 'List events without a token',
        description: '401, an empty body and WWW-Authenticate: Bearer.',
        method: 'GET',
        url: '{{baseUrl}}/events',
        api: 'events-v1',
        check: { kind: 'api', expect: { status: 401, emptyBody: true, header: { name: 'WWW-Authenticate', startsWith: 'Bearer' } } },
      },
      {
        name: 'Death notification without a token',
        description: '401 {"message":"Unauthorized"} from the API gateway.',
        method: 'POST',
        url: '{{baseUrl}}/events/deathNotification',
        api: 'death-notification-v2',
        headers: [...JSON_HEADER, ['CorrelationID', '{{correlationId}}']],
        correlationId: true,
        body: { mode: 'json', value: SYNTHETIC_DEATH_NOTIFICATION },
        check: { kind: 'api', expect: { status: 401, contentType: 'application/json', schema: 'gateway-message' } },
      },
    ],
  };
}

/** The folders of one environment's collection, in run order, with what it lacks left out. */
export function foldersFor(env: EnvironmentSpec): FolderSpec[] {
  const has = (api?: ApiFlavour): boolean => api === undefined || env.apis.includes(api);
  return [tokenFolder(), refusalsFolder(env), ...supplierFolders(), ...acquirerFolders(), anonymousFolder()]
    .filter((f) => has(f.api) && (f.role === undefined || env.roles[f.role]?.includes(f.scope!)))
    .map((f) => ({ ...f, requests: f.requests.filter((r) => has(r.api)) }))
    .filter((f) => f.requests.length > 0);
}
