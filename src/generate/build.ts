// The generator's pure core: from the environment table, the schemas and the sandbox scripts to
// the text of every generated file. No file or network access here: write-files.ts does the writing.
import pc from 'postman-collection';
import { EVENT_VARIABLES, foldersFor, type Check, type FolderSpec, type RequestSpec } from '../catalogue.js';
import type { SandboxScript } from './sandbox-scripts.js';
import type { ApiFlavour, EnvironmentSpec } from '../config/environments.js';
import type { JsonSchema, SchemaName } from '../schema-registry.js';
import { OAUTH_HINTS, TOKEN_POLICY, UNKNOWN_REFUSAL_HINT } from '../token-policy.js';
import {
  OUTCOME_PREFIX,
  type ApiCheckConfig,
  type GuardConfig,
  type OAuthErrorConfig,
  type ReportingConfig,
  type TokenAnswerConfig,
  type TokenScriptConfig,
} from '../contract.js';
import { stableId } from './ids.js';
import { readableJson } from './json-text.js';
import { HELPERS_DIVIDER, libraryFor, parseLibrary, splitScript, withoutComments } from './library.js';
import type { GeneratedFile } from './generated-file.js';
import { v3Files } from './postman-v3.js';
import type {
  PostmanAuth,
  PostmanBody,
  PostmanCollection,
  PostmanEnvironment,
  PostmanEvent,
  PostmanFolder,
  PostmanRequestItem,
  PostmanUrl,
} from './postman-types.js';
import { collectionName, collectionPath, environmentPath } from './names.js';
import { describeCollection, describeFolder, TESTER_HEADERS } from './descriptions.js';

export { collectionName, collectionPath, environmentPath };

export const POSTMAN_SCHEMA_URL = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export interface GeneratorInputs {
  environments: readonly EnvironmentSpec[];
  schemas: ReadonlyMap<SchemaName, JsonSchema>;
  scripts: Readonly<Record<SandboxScript, string>>;
  /** Shared functions (src/sandbox/library.js), put in front of the scripts that call them. */
  library: string;
  /** The package's version, stamped into each collection (info.version, and its description). */
  version: string;
}

/** Variables the collection itself owns; the pre-request script keeps its token cache in them.
 * `api`: only in collections of environments that have that API. */
export const COLLECTION_VARIABLES: readonly (readonly [string, string, ApiFlavour?])[] = [
  ['gdxAccessToken', 'Cached access token (set by the token script; never export it)'],
  ['gdxAccessTokenExpiresAt', 'When the cached token must be refreshed, in epoch milliseconds'],
  ['gdxTokenCacheKey', 'Token URL, client id, method and scope the cached token was issued for'],
  ['gdxTokenFailure', 'The last token failure and until when it stands (clear it to ask again at once)'],
  ['gdxTokenRetries', 'Retries after a 429 in the last ten minutes'],
  ['gdxGuardJudged', 'What the guard let go before the send, for its second look after it (set by the guard)'],
  ['gdxGuardLock', 'Set when a script changed a request after the guard judged it: writes are refused until you clear it'],
  ['gdxOptInSent', 'When the opt-in folder sent its one record in this session: clear it to send another'],
  ['firstEventId', 'Id of the first event "List events" returned', 'events-v1'],
  ['testEventId', 'Id of the TEST_EVENT "Find a test event" returned: the only kind of event this collection acknowledges', 'events-v1'],
  ['acknowledgedEventId', 'Id of the test event last acknowledged', 'events-v1'],
  [
    'correlationId',
    'CorrelationID header for the death-notification API: set it to trace your requests with the GDX team; empty: a new UUID per request',
    'death-notification-v2',
  ],
];

/** The collection variables of one environment's collection: only those its requests use. */
export function collectionVariablesFor(env: EnvironmentSpec): (readonly [string, string])[] {
  return COLLECTION_VARIABLES.filter(([, , api]) => !api || env.apis.includes(api)).map(([key, description]) => [key, description] as const);
}

export const ENVIRONMENT_VARIABLES = ['tokenUrl', 'baseUrl', 'clientId', 'clientSecret', 'clientAuthMethod', 'scope', 'publishDeathNotification'] as const;

/** The URL as Postman exports it: the raw text and the SDK's parse of it. */
function urlObject(raw: string): PostmanUrl {
  const { host, path, query } = new pc.Url(raw).toJSON() as Omit<PostmanUrl, 'raw'>;
  return { raw, ...(host ? { host } : {}), ...(path ? { path } : {}), ...(query?.length ? { query } : {}) };
}

function exec(source: string): string[] {
  return source.replace(/\n$/, '').split('\n');
}

/** One event's script from one or more script files, in order (a check split into parts, so that
 * each request carries only the parts it uses), laid out for the tester who opens it: their header,
 * the flow, the divider, then the helpers (function declarations hoist, so order does not change
 * what runs). */
// Script ids are derived from the scripts' first names (guard.prerequest, ...), kept so that a
// re-import replaces the scripts a tester has instead of adding new ones.
function script(
  inputs: GeneratorInputs,
  id: string,
  listen: PostmanEvent['listen'],
  name: SandboxScript | readonly SandboxScript[],
  config?: unknown,
): PostmanEvent {
  // A file's /* global ... */ line serves the linter of src/sandbox only.
  const parts = (typeof name === 'string' ? [name] : name).map((n) => splitScript(inputs.scripts[n].replace(/^\/\* global [^*]*\*\/\n/, '')));
  const flow = parts.map((p) => p.flow).join('\n');
  const own = parts.map((p) => p.helpers).filter(Boolean);
  const library = libraryFor(`${flow}\n${own.join('\n')}`, parseLibrary(inputs.library));
  // The configuration is data the flow reads first; as a hoisted function it can sit at the end.
  const settings = config === undefined ? '' : `function gdxSettings() {\n  return ${readableJson(config)};\n}`;
  const helpers = [...own, library, settings].filter(Boolean).map(withoutComments);
  const header = (typeof name === 'string' && TESTER_HEADERS[name]) || '';
  const opening = config === undefined ? flow : `var GDX = gdxSettings();\n${flow}`;
  const text = `${header}${opening}${helpers.length ? `\n\n${HELPERS_DIVIDER}\n\n${helpers.join('\n\n')}` : ''}\n`;
  return { listen, script: { id, type: 'text/javascript', exec: exec(text) } };
}

/** A schema as a script embeds it: without its $id, since some clients (Bruno) compile every
 * embedded copy into one validator registry, where a second schema with the same $id is an error. */
function embedded(inputs: GeneratorInputs, name: SchemaName): Record<string, unknown> {
  const { $id: _id, description: _description, ...schema } = inputs.schemas.get(name)!;
  return withoutDescriptions(schema) as Record<string, unknown>;
}

/** A schema without its nested "description" annotations (they explain the file in src/schemas, and
 * would be most of an embedded copy); a property that happens to be named description stays. */
function withoutDescriptions(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutDescriptions(n));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => underProperties || k !== 'description' || typeof v !== 'string')
      .map(([k, v]) => [k, withoutDescriptions(v, !underProperties && (k === 'properties' || k === 'definitions'))]),
  );
}

function testFor(check: Check, inputs: GeneratorInputs, id: string): PostmanEvent {
  switch (check.kind) {
    case 'token-response': {
      const config: TokenAnswerConfig = { method: check.method, schemaName: 'token-response', schema: embedded(inputs, 'token-response') };
      return script(inputs, id, 'test', 'token-response.post-response', config);
    }
    case 'oauth-error': {
      const config: OAuthErrorConfig = { error: check.error, schemaName: 'oauth-error', schema: embedded(inputs, 'oauth-error') };
      return script(inputs, id, 'test', 'oauth-error.post-response', config);
    }
    case 'api': {
      const { schema, requestSchema, deliverableSchema } = check.expect;
      const { dataProblem, saveFirstEventId, saveTestEventId, rememberAcknowledged } = check.expect;
      const parts: SandboxScript[] = [
        ...(dataProblem ? (['api-data-problem.post-response'] as const) : []),
        'api-response.post-response',
        ...(saveFirstEventId || saveTestEventId || rememberAcknowledged ? (['api-remember-events.post-response'] as const) : []),
      ];
      // Only what this request checks: a script reads an absent entry as "not checked".
      const config: ApiCheckConfig = {
        outcome: OUTCOME_PREFIX,
        expect: check.expect,
        ...(schema ? { schemaName: schema, schema: embedded(inputs, schema) } : {}),
        ...(requestSchema ? { requestSchemaName: requestSchema, requestSchema: embedded(inputs, requestSchema) } : {}),
        ...(deliverableSchema ? { deliverableSchemaName: deliverableSchema, deliverableSchema: embedded(inputs, deliverableSchema) } : {}),
      };
      return script(inputs, id, 'test', parts, config);
    }
  }
}

const BASIC_AUTH: PostmanAuth = {
  type: 'basic',
  basic: [
    { key: 'username', value: '{{clientId}}', type: 'string' },
    { key: 'password', value: '{{clientSecret}}', type: 'string' },
  ],
};
const NO_AUTH: PostmanAuth = { type: 'noauth' };
const BEARER_AUTH: PostmanAuth = { type: 'bearer', bearer: [{ key: 'token', value: '{{gdxAccessToken}}', type: 'string' }] };

function requestBody(spec: RequestSpec): PostmanBody | undefined {
  if (spec.body?.mode === 'urlencoded') return { mode: 'urlencoded', urlencoded: spec.body.fields.map(([key, value]) => ({ key, value, type: 'text' })) };
  if (spec.body?.mode === 'json') return { mode: 'raw', raw: JSON.stringify(spec.body.value, null, 2), options: { raw: { language: 'json' } } };
  return undefined;
}

function requestItem(env: EnvironmentSpec, folder: FolderSpec, spec: RequestSpec, inputs: GeneratorInputs): PostmanRequestItem {
  const idOf = (...parts: string[]): string => stableId(collectionName(env), folder.name, spec.name, ...parts);
  const prerequest: PostmanEvent[] = [];
  if (folder.kind === 'token') prerequest.push(script(inputs, idOf('once-per-run.prerequest'), 'prerequest', 'once-per-run.pre-request'));
  if (spec.correlationId) prerequest.push(script(inputs, idOf('correlation-id.prerequest'), 'prerequest', 'correlation-id.pre-request', REPORTING));
  const body = requestBody(spec);
  return {
    id: idOf(),
    name: spec.name,
    event: [...prerequest, testFor(spec.check, inputs, idOf('test'))],
    // Every request to the token endpoint carries credentials: a redirect must not take them on.
    ...(spec.url === '{{tokenUrl}}' ? { protocolProfileBehavior: { followRedirects: false } } : {}),
    request: {
      method: spec.method,
      header: (spec.headers ?? []).map(([key, value]) => ({ key, value, type: 'text' })),
      ...(body ? { body } : {}),
      url: urlObject(spec.url),
      ...(spec.auth === 'basic' ? { auth: BASIC_AUTH } : spec.auth === 'none' ? { auth: NO_AUTH } : {}),
      description: spec.description,
    },
  };
}

const REPORTING: ReportingConfig = { outcome: OUTCOME_PREFIX };

/** The hosts of the platform's own APIs (every environment but the stand-in): whichever
 * environment's collection a tester edits, a token URL on any of them is refused. */
function platformApiHosts(inputs: GeneratorInputs): string[] {
  return inputs.environments.filter((e) => e.name !== 'local').map((e) => new URL(e.baseUrl).hostname);
}

function tokenScriptConfig(folder: FolderSpec, inputs: GeneratorInputs): TokenScriptConfig {
  return {
    outcome: OUTCOME_PREFIX,
    folder: folder.name,
    scope: folder.scope ?? null,
    // What each request needs from an earlier one; checked here, in the folder's script,
    // because the Postman CLI stops a v3 run when a request's own script skips it.
    needs: Object.fromEntries(folder.requests.filter((r) => r.needs).map((r) => [r.name, { variable: r.needs!, why: EVENT_VARIABLES[r.needs!] }])),
    // A folder that creates what other departments receive sends only when asked to, once.
    optIn: folder.optIn ?? null,
    hints: OAUTH_HINTS,
    unknownHint: UNKNOWN_REFUSAL_HINT,
    policy: TOKEN_POLICY,
    apiHosts: platformApiHosts(inputs),
  };
}

function folderItem(env: EnvironmentSpec, folder: FolderSpec, inputs: GeneratorInputs): PostmanFolder {
  const api = folder.kind === 'api';
  return {
    id: stableId(collectionName(env), folder.name),
    name: folder.name,
    description: describeFolder(folder),
    item: folder.requests.map((r) => requestItem(env, folder, r, inputs)),
    auth: api ? BEARER_AUTH : NO_AUTH,
    event: api
      ? [script(inputs, stableId(collectionName(env), folder.name, 'prerequest'), 'prerequest', 'token.pre-request', tokenScriptConfig(folder, inputs))]
      : [],
  };
}

function guardConfig(env: EnvironmentSpec, inputs: GeneratorInputs): GuardConfig {
  const optInFolder = foldersFor(env).find((f) => f.optIn);
  const deliverable = optInFolder?.requests.map((r) => (r.check.kind === 'api' ? r.check.expect.deliverableSchema : undefined)).find(Boolean);
  return {
    outcome: OUTCOME_PREFIX,
    optIn: optInFolder?.optIn ? { folder: optInFolder.name, ...optInFolder.optIn } : null,
    needs: Object.fromEntries(foldersFor(env).flatMap((f) => f.requests.flatMap((r) => (r.needs ? [[r.needs, EVENT_VARIABLES[r.needs]]] : [])))),
    ...(deliverable ? { deliverableSchemaName: deliverable, deliverableSchema: embedded(inputs, deliverable) } : {}),
    testEvents: env.apis.includes('events-v1'),
    apiHosts: platformApiHosts(inputs),
  };
}

/** The collection's own scripts: the guard every request passes, before and after. */
function guardEvents(env: EnvironmentSpec, inputs: GeneratorInputs): PostmanEvent[] {
  // The same settings both times: the second look judges what was sent as the first judged what
  // was to be sent, the record's deliverability too (a script can change it between the two).
  const config = guardConfig(env, inputs);
  return [
    script(inputs, stableId(collectionName(env), 'guard.prerequest'), 'prerequest', 'guard.pre-request', config),
    script(inputs, stableId(collectionName(env), 'guard.test'), 'test', 'guard.post-response', config),
  ];
}

export function buildCollection(env: EnvironmentSpec, inputs: GeneratorInputs): PostmanCollection {
  const definition: PostmanCollection = {
    info: {
      _postman_id: stableId(collectionName(env)),
      name: collectionName(env),
      description: describeCollection(env, foldersFor(env), inputs.version),
      // The v2.1 schema's own field: a string is one of the two shapes it allows.
      version: inputs.version,
      schema: POSTMAN_SCHEMA_URL,
    },
    item: foldersFor(env).map((f) => folderItem(env, f, inputs)),
    auth: NO_AUTH,
    event: guardEvents(env, inputs),
    variable: collectionVariablesFor(env).map(([key, description]) => ({ key, value: '', type: 'string', description })),
  };
  return definition;
}

export function buildEnvironmentFile(env: EnvironmentSpec): PostmanEnvironment {
  const value = (key: (typeof ENVIRONMENT_VARIABLES)[number]): { value: string; type: 'default' | 'secret' } => {
    switch (key) {
      case 'tokenUrl':
        return { value: env.tokenUrl, type: 'default' };
      case 'baseUrl':
        return { value: env.baseUrl, type: 'default' };
      case 'clientId':
        return { value: env.clientIdPlaceholder, type: 'default' };
      // Always empty: a secret typed into an environment file is shared when a workspace syncs.
      case 'clientSecret':
        return { value: '', type: 'secret' };
      case 'clientAuthMethod':
        return { value: 'client_secret_basic', type: 'default' };
      case 'scope':
        return { value: '', type: 'default' };
      // Only "true" sends the opt-in folder's record, which other departments receive: never on by default.
      case 'publishDeathNotification':
        return { value: 'false', type: 'default' };
    }
  };
  const keys = ENVIRONMENT_VARIABLES.filter((key) => key !== 'publishDeathNotification' || env.apis.includes('death-notification-v2'));
  return {
    id: stableId(collectionName(env), 'environment'),
    name: collectionName(env),
    values: keys.map((key) => ({ key, ...value(key), enabled: true })),
    _postman_variable_scope: 'environment',
  };
}

function fileText(json: unknown): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Every generated file, in a stable order: the v2.1 pair, then the same in Postman 12's v3 form. */
export function generate(inputs: GeneratorInputs): GeneratedFile[] {
  return inputs.environments.flatMap((env) => {
    const collection = buildCollection(env, inputs);
    const environment = buildEnvironmentFile(env);
    return [
      { path: collectionPath(env), content: fileText(collection) },
      { path: environmentPath(env), content: fileText(environment) },
      ...v3Files(env, collection, environment),
    ];
  });
}
