// What the collections contain: folders of requests with what each expects. The generator turns
// it into Postman items; the runner reads the same folders' roles and scopes to choose and skip.
import { SCOPES, type ApiFlavour, type EnvironmentSpec, type Role } from './environments.js';
import type { SchemaName } from './schemas.js';

export type SandboxScript =
  | 'token.prerequest'
  | 'once-per-run.prerequest'
  | 'needs-event.prerequest'
  | 'token-response.test'
  | 'oauth-error.test'
  | 'api-response.test';

/** Functions shared by scripts: prepended to each script that calls one of them. */
export const SANDBOX_LIBRARY = 'token.lib';

export const SANDBOX_SCRIPTS: readonly SandboxScript[] = [
  'token.prerequest',
  'once-per-run.prerequest',
  'needs-event.prerequest',
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
  saveFirstEventId?: boolean;
  rememberAcknowledged?: boolean;
}

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
  needs?: 'firstEventId' | 'acknowledgedEventId';
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
  /** Changes data on the server in a way a tester may not want (acknowledging removes events). */
  destructive?: boolean;
  requests: RequestSpec[];
}

const FORM_HEADER = [['Content-Type', 'application/x-www-form-urlencoded']] as const;
const JSON_HEADER = [['Content-Type', 'application/json']] as const;
const JSON_API = 'application/vnd.api+json';

/** A synthetic record: the reference's own example, test data only. */
export const SYNTHETIC_DEATH_NOTIFICATION = {
  RegistrationID: 1,
  RegistrationType: 1,
  RecordUpdateDateTime: '2023-08-02T09:30:00Z',
  DeceasedName: { PersonNameTitle: 'Mrs', PersonGivenName: ['Joan'], PersonFamilyName: 'Adams' },
  DeceasedGender: 2,
  DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '03' },
  DeceasedBirthDate: { PersonBirthDate: '1950-03-14', VerificationLevel: '03' },
  DeceasedAddress: { Building: '101', Line: ['Address Street', 'A Town'], Postcode: 'AA1 1AA' },
};

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
          url: '{{baseUrl}}/events?page[size]=10&page[number]=0',
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event-list', saveFirstEventId: true } },
        },
        {
          name: 'List death notifications',
          description: 'The same queue filtered to DEATH_NOTIFICATION events.',
          method: 'GET',
          url: '{{baseUrl}}/events?filter[eventType]=DEATH_NOTIFICATION&page[size]=10',
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
      name: 'Acquirer: acknowledge (removes the event from your queue)',
      kind: 'api',
      api: 'events-v1',
      role: 'acquirer',
      scope: SCOPES.consume,
      destructive: true,
      description:
        'Acknowledging tells GDX you have processed an event: it leaves your queue for good. ' +
        'Leave this folder out (npm run smoke -- --no-acknowledge) to keep your queue as it is.',
      requests: [
        {
          name: 'Acknowledge the first listed event',
          description: 'DELETE the first event of "List events": 204, and it is gone from your queue. Skipped when the queue is empty.',
          method: 'DELETE',
          url: '{{baseUrl}}/events/{{firstEventId}}',
          needs: 'firstEventId',
          check: { kind: 'api', expect: { status: 204, emptyBody: true, rememberAcknowledged: true } },
        },
        {
          name: 'The acknowledged event is gone',
          description: 'Reading the acknowledged event again answers 404.',
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
      name: 'Supplier: publish an event',
      kind: 'api',
      api: 'events-v1',
      role: 'supplier',
      scope: SCOPES.publish,
      description: 'What a supplier does (scope events/publish): publish an event, with a new source id each time.',
      requests: [
        {
          name: 'Publish a death notification event',
          description: 'POST /events with a unique id: 201 and an empty body.',
          method: 'POST',
          url: '{{baseUrl}}/events',
          headers: JSON_HEADER,
          body: { mode: 'json', value: { eventType: 'DEATH_NOTIFICATION', id: '{{$guid}}' } },
          check: { kind: 'api', expect: { status: 201, emptyBody: true } },
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
          description: 'POST /events/deathNotification with a synthetic record: 201 "Event accepted".',
          method: 'POST',
          url: '{{baseUrl}}/events/deathNotification',
          headers: JSON_HEADER,
          body: { mode: 'json', value: SYNTHETIC_DEATH_NOTIFICATION },
          check: { kind: 'api', expect: { status: 201, contentType: 'application/json', schema: 'gateway-message' } },
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
        headers: JSON_HEADER,
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
