// What the collections contain: folders of requests with what each expects. The generator turns
// it into Postman items; the runner reads the same folders' roles and scopes to choose and skip.
import { SCOPES, type ApiFlavour, type EnvironmentSpec, type Role } from './config/environments.js';
import type { SchemaName } from './schema-registry.js';

export interface Expectation {
  status: number;
  contentType?: string;
  schema?: SchemaName;
  emptyBody?: boolean;
  header?: { name: string; startsWith: string };
  /** A 403 with this hint means a subscription, not a token, is missing. */
  forbiddenHint?: string;
  /** What another status than the expected one means, said in the status test's name. */
  statusHints?: Readonly<Record<number, string>>;
  /** Check the JSON body the request sent against this schema (what the real parser accepts). */
  requestSchema?: SchemaName;
  /** And against this stricter one: what the pipeline after the 201 carries (else: dead letter). */
  deliverableSchema?: SchemaName;
  /** An answer that says the platform lost the record behind an event (NoDataFoundException):
   * the platform's data problem, reported with the event, not a failed connection check. */
  dataProblem?: { status: number; userMessagePrefix: string };
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

export type Body = { mode: 'urlencoded'; fields: readonly (readonly [string, string])[] } | { mode: 'json'; value: unknown };

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

/** A variable that must be "true" for a folder to send anything, and what a tester is told. */
export interface OptIn {
  variable: 'publishDeathNotification';
  why: string;
}

export interface FolderSpec {
  name: string;
  /** What running the folder changes on the service, for people: its description opens with it,
   * and the collection's Overview lists it. "nothing: ..." or what it adds or removes. */
  changes: string;
  description: string;
  kind: FolderKind;
  /** Only in environments that have this API. */
  api?: ApiFlavour;
  /** API folders: the role whose client runs them and the scope their token needs. */
  role?: Role;
  scope?: string;
  /** Changes a queue (acknowledging removes a test event): --no-acknowledge leaves it out. */
  destructive?: boolean;
  /** Sends only when its variable is "true" (the runner: only with its flag), and then in the
   * first iteration only, so that a run creates one record however many iterations it has. */
  optIn?: OptIn;
  requests: RequestSpec[];
}

const FORM_HEADER = [['Content-Type', 'application/x-www-form-urlencoded']] as const;
const JSON_HEADER = [['Content-Type', 'application/json']] as const;
const JSON_API = 'application/vnd.api+json';
/** The platform's own hook sends it on its GETs; an Accept naming neither type the service
 * produces is a 500 (EventsController.kt produces). */
const ACCEPT_JSON_API = [['Accept', JSON_API]] as const;
/** config/ApiExceptionHandler.kt handleNoDataFoundException: 404, userMessage "Not Found: ..."
 * (an unknown id is "Event Not Found: ..."). */
const DATA_PROBLEM = { dataProblem: { status: 404, userMessagePrefix: 'Not Found: ' } } as const;

/** A synthetic record the whole v2 pipeline carries (test data only): a new registration like the
 * platform's own fixture (GroJsonRecordBuilder.java): RegistrationID, RecordLockedDateTime only,
 * DeceasedName, DeceasedGender 2. Its date-time has no zone: the parser refuses "Z" and offsets. */
export const SYNTHETIC_DEATH_NOTIFICATION = {
  RegistrationID: 1,
  RecordLockedDateTime: '2023-08-01T14:55:00',
  DeceasedName: { PersonGivenName: ['Joan'], PersonFamilyName: 'Adams' },
  DeceasedGender: 2,
  DeceasedDeathDate: { PersonDeathDate: '2023-08-01', VerificationLevel: '03' },
};

/** A record the parser refuses on purpose: with neither RecordLockedDateTime nor
 * RecordUpdateDateTime, DeathValidation.java answers 400 before it audits or publishes anything
 * (validateRequest throws ahead of audit and mapAndPublish). What a routine integration run sends. */
export const REFUSED_DEATH_NOTIFICATION = {};

/** Who a death notification accepted on integration reaches (template.yaml DeathDistributionTopic). */
export const DEATH_NOTIFICATION_RECIPIENTS = "DWP (its dev, test, stage and old-format queues too) and the other departments' (OGD) queue, with no filter";

export const PUBLISH_DEATH_NOTIFICATION_FOLDER = 'Supplier: publish a death notification (opt-in)';

/** The only event a smoke run publishes on v1, as the platform's own post-deploy check does:
 * a TEST_EVENT reaches no real acquirer's death-notification queue. */
export const TEST_EVENT = { eventType: 'TEST_EVENT', id: '{{$guid}}' };

function tokenFolder(): FolderSpec {
  return {
    name: 'Get an access token',
    kind: 'token',
    changes: 'nothing on the service (each token request is billed, so the API folders reuse the token they get)',
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
          fields: [
            ['grant_type', 'client_credentials'],
            ['client_id', '{{clientId}}'],
            ['client_secret', '{{clientSecret}}'],
          ],
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
    changes: 'nothing: Cognito refuses each request and issues no token',
    description: 'Requests the token endpoint must refuse. None of them mints a token.',
    requests: [
      refusal(
        'Wrong secret',
        'client_secret_post with your client id and a secret that is not yours.',
        [
          ['grant_type', 'client_credentials'],
          ['client_id', '{{clientId}}'],
          ['client_secret', 'not-the-client-secret'],
        ],
        'invalid_client',
        'none',
      ),
      refusal('Missing grant_type', 'Your credentials, but no grant_type.', [], 'invalid_request', 'basic'),
      refusal('Unknown grant type', 'grant_type=password, which Cognito does not know.', [['grant_type', 'password']], 'unsupported_grant_type', 'basic'),
      refusal(
        'Scope not allowed',
        `Your credentials, asking for ${env.forbiddenScope}, a scope no tester's client holds.`,
        [
          ['grant_type', 'client_credentials'],
          ['scope', env.forbiddenScope],
        ],
        'invalid_scope',
        'basic',
      ),
    ],
  };
}

export const ACKNOWLEDGE_FOLDER = 'Acquirer: acknowledge a test event (removes it from your queue)';
/** The request the runner counts to know a test event was published (the fan-out wait). */
export const PUBLISH_TEST_EVENT_REQUEST = 'Publish a test event';
const ACKNOWLEDGE_REQUEST = 'Acknowledge the test event';

const apiError = (status: number): Expectation => ({ status, contentType: 'application/json', schema: 'api-error' });

function acquirerFolders(): FolderSpec[] {
  return [
    {
      name: 'Acquirer: events',
      kind: 'api',
      changes: 'nothing: it reads your queue',
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
          headers: ACCEPT_JSON_API,
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event-list', saveFirstEventId: true, ...DATA_PROBLEM } },
        },
        {
          name: 'List death notifications',
          description:
            'The same queue filtered to both kinds of death notification (filter[eventType] is a list: the parameter repeats). ' +
            'Brackets are percent-encoded, as the service writes its own links.',
          method: 'GET',
          url: '{{baseUrl}}/events?filter%5BeventType%5D=DEATH_NOTIFICATION&filter%5BeventType%5D=GRO_DEATH_NOTIFICATION&page%5Bsize%5D=10',
          headers: ACCEPT_JSON_API,
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event-list', ...DATA_PROBLEM } },
        },
        {
          name: 'Read the first listed event',
          description:
            'The first event of "List events", with the eventData your data-sharing agreement allows. Skipped when the queue is empty. ' +
            'A 404 "Not Found: ..." means the platform lost the record behind that event (a known data problem on dev and demo): ' +
            'it is reported with the event id, and your connection check still passes.',
          method: 'GET',
          url: '{{baseUrl}}/events/{{firstEventId}}',
          headers: ACCEPT_JSON_API,
          needs: 'firstEventId',
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event', ...DATA_PROBLEM } },
        },
      ],
    },
    {
      name: ACKNOWLEDGE_FOLDER,
      kind: 'api',
      changes: 'removes one TEST_EVENT from your queue, and only an event the service itself listed as a TEST_EVENT; with none, nothing',
      api: 'events-v1',
      role: 'acquirer',
      scope: SCOPES.consume,
      destructive: true,
      description:
        'Acknowledging tells GDX you have processed an event: it leaves your queue for good. This folder only ever ' +
        'acknowledges a TEST_EVENT (the kind a smoke run publishes), never a real notification; with no test event in ' +
        'your queue it acknowledges nothing. To keep even test events, leave it out (from a terminal, with Node.js: gdx-data-share smoke --no-acknowledge).',
      requests: [
        {
          name: 'Find a test event',
          description: 'GET /events filtered to TEST_EVENT. Remembers the first one, the only event the next request may remove.',
          method: 'GET',
          url: '{{baseUrl}}/events?filter%5BeventType%5D=TEST_EVENT&page%5Bsize%5D=10',
          headers: ACCEPT_JSON_API,
          check: { kind: 'api', expect: { status: 200, contentType: JSON_API, schema: 'event-list', saveTestEventId: true } },
        },
        {
          name: ACKNOWLEDGE_REQUEST,
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
          headers: ACCEPT_JSON_API,
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
      changes: 'adds one TEST_EVENT to the queue of every acquirer subscribed to test events',
      api: 'events-v1',
      role: 'supplier',
      scope: SCOPES.publish,
      description:
        'What a supplier does (scope events/publish), with a TEST_EVENT: dev and demo are shared by every department, and a ' +
        'DEATH_NOTIFICATION would reach every acquirer subscribed to them (whose reads of a made-up record then fail). ' +
        "The platform's own post-deploy check publishes the same.",
      requests: [
        {
          name: PUBLISH_TEST_EVENT_REQUEST,
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
      changes: 'nothing: the service refuses the record (400) before it audits or publishes anything',
      api: 'death-notification-v2',
      role: 'supplier',
      scope: SCOPES.deathNotification,
      description:
        'The death-notification API (scope EventType/DeathNotification), proved without creating anything. Integration has no ' +
        `test event type: every record it accepts reaches ${DEATH_NOTIFICATION_RECIPIENTS}. So this folder sends a record the ` +
        'parser refuses on purpose, which the service answers 400 before it audits or publishes anything.',
      requests: [
        {
          name: 'Token, scope and route are accepted (record refused on purpose)',
          description:
            'POST /events/deathNotification with an empty record ({}: neither RecordLockedDateTime nor RecordUpdateDateTime), ' +
            'which the service refuses with 400 and no body before it audits or publishes anything. That 400 proves what a ' +
            "connection check needs: the gateway's Cognito authoriser accepted your token and its scope (else 401), and the " +
            'route exists (else 403). Nothing is created. Do not add a date-time to this record: the service would accept it ' +
            "and deliver it to other departments (the folder's script refuses to send it then).",
          method: 'POST',
          url: '{{baseUrl}}/events/deathNotification',
          headers: [...JSON_HEADER, ['CorrelationID', '{{correlationId}}']],
          correlationId: true,
          body: { mode: 'json', value: REFUSED_DEATH_NOTIFICATION },
          check: {
            kind: 'api',
            expect: {
              status: 400,
              emptyBody: true,
              contentType: 'application/json',
              statusHints: {
                401: 'the gateway refused the token: check clientId, clientSecret and that your client has EventType/DeathNotification',
                403: 'no such route: check baseUrl',
                201: 'the record was ACCEPTED and delivered to other departments: tell the GDX team, quoting the CorrelationID',
              },
            },
          },
        },
      ],
    },
    {
      name: PUBLISH_DEATH_NOTIFICATION_FOLDER,
      kind: 'api',
      changes: `only when publishDeathNotification is true: delivers one synthetic death notification to ${DEATH_NOTIFICATION_RECIPIENTS}; then sets publishDeathNotification back to false`,
      api: 'death-notification-v2',
      role: 'supplier',
      scope: SCOPES.deathNotification,
      optIn: {
        variable: 'publishDeathNotification',
        why:
          `is left out unless publishDeathNotification is true: the record it sends is delivered to ${DEATH_NOTIFICATION_RECIPIENTS} ` +
          '(set the variable to true in the environment, or from a terminal: gdx-data-share smoke --publish-death-notification)',
      },
      description:
        'Sends one synthetic death notification that the whole pipeline carries, on purpose: only when the variable ' +
        `publishDeathNotification is true, and once per run (first iteration only). On integration it is delivered to ${DEATH_NOTIFICATION_RECIPIENTS}: ` +
        'agree it with the GDX team first.',
      requests: [
        {
          name: 'Publish a death notification',
          description:
            "POST /events/deathNotification with a synthetic new registration (RecordLockedDateTime only, as the platform's own " +
            `fixture) and a CorrelationID header: 201 with no body. Delivered to ${DEATH_NOTIFICATION_RECIPIENTS}. ` +
            'A 201 only says the record parsed: the tests also check it against the deliverable schema, since a record the ' +
            'enrichment step cannot map (an update without RecordUpdateReason, no DeceasedName, no RegistrationID, a ' +
            'DeceasedGender other than 1, 2 or 9) is dead-lettered after the 201 and pages the platform team. Date-times take no ' +
            'zone: 2023-08-01T14:55:00, never ...Z.',
          method: 'POST',
          url: '{{baseUrl}}/events/deathNotification',
          headers: [...JSON_HEADER, ['CorrelationID', '{{correlationId}}']],
          correlationId: true,
          body: { mode: 'json', value: SYNTHETIC_DEATH_NOTIFICATION },
          check: {
            kind: 'api',
            expect: {
              status: 201,
              emptyBody: true,
              contentType: 'application/json',
              requestSchema: 'death-notification',
              deliverableSchema: 'death-notification-deliverable',
            },
          },
        },
      ],
    },
  ];
}

function anonymousFolder(): FolderSpec {
  return {
    name: 'Without a token',
    kind: 'anonymous',
    changes: 'nothing: the API refuses each request (401)',
    description: 'The API must refuse a request that carries no access token.',
    requests: [
      {
        name: 'List events without a token',
        description: '401, an empty body and WWW-Authenticate: Bearer.',
        method: 'GET',
        url: '{{baseUrl}}/events',
        headers: ACCEPT_JSON_API,
        api: 'events-v1',
        check: { kind: 'api', expect: { status: 401, emptyBody: true, header: { name: 'WWW-Authenticate', startsWith: 'Bearer' } } },
      },
      {
        name: 'Death notification without a token',
        description: '401 {"message":"Unauthorized"} from the API gateway. The record is one the parser refuses, so nothing could be created.',
        method: 'POST',
        url: '{{baseUrl}}/events/deathNotification',
        api: 'death-notification-v2',
        headers: [...JSON_HEADER, ['CorrelationID', '{{correlationId}}']],
        correlationId: true,
        body: { mode: 'json', value: REFUSED_DEATH_NOTIFICATION },
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
