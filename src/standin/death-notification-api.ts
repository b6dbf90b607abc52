// The death-notification API v2 (integration): an API Gateway REST API with a Cognito
// authoriser in front of the DeathValidation Lambda, at commit 2356973a. Rule ids (V2-...) name
// rows of docs/fidelity.md's table and tests of test/contract-v2.test.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPES } from '../config/environments.js';
import { validator } from '../schema-registry.js';
import { API_GATEWAY_COGNITO, type BearerVerifier } from './bearer.js';
import { BodyTooLarge, readBody, sendEmpty, sendJson } from './http.js';
import { enrichmentFailure } from './death-enrichment.js';
import type { AcceptedDeathNotification } from './store.js';

export const DEATH_NOTIFICATION_PATH = '/events/deathNotification';
/** V2-TRAILING-SLASH: template.yaml declares the route as /events/deathNotification/, and API
 * Gateway serves it with and without the slash. */
export const DEATH_NOTIFICATION_PATHS: readonly string[] = [DEATH_NOTIFICATION_PATH, `${DEATH_NOTIFICATION_PATH}/`];
// API Gateway's own limit is 10 MB; the stand-in keeps less in memory.
const BODY_LIMIT = 256 * 1024;

export interface DeathNotificationContext {
  bearer: BearerVerifier;
  /** A record the API answered 201, with what the pipeline then did with it. */
  onAccepted: (accepted: AcceptedDeathNotification) => void;
  onClient: (clientId: string) => void;
}

/** V2-UNDEFINED-ROUTE-403: API Gateway's answer to a path or method it has no route for, sent
 * before any authoriser runs. */
export function missingAuthenticationToken(res: ServerResponse): void {
  sendJson(res, 403, { message: 'Missing Authentication Token' }, { 'x-amzn-ErrorType': 'MissingAuthenticationTokenException' });
}

/** V2-CORRELATION-ID: DeathValidation.java reads headers.get("CorrelationID"), a case-sensitive
 * map in API Gateway's proxy event, and makes a UUID when it is absent. */
function correlationId(req: IncomingMessage): string {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i] === 'CorrelationID' && raw[i + 1]) return raw[i + 1]!;
  return randomUUID();
}

/** The first JSON value of the body, as Jackson's readValue takes it: FAIL_ON_TRAILING_TOKENS is
 * off, so whatever follows a complete object is ignored. undefined: it does not parse. */
function firstJsonObject(text: string): unknown {
  const start = text.search(/\S/);
  if (start < 0 || text[start] !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        try {
          return JSON.parse(text.slice(start, i + 1)) as unknown;
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}

/** V2-CONTENT-TYPE: the Lambda sets no headers, so API Gateway's defaults go out, an empty body
 * under Content-Type: application/json among them. */
function gatewayEmpty(res: ServerResponse, status: number): void {
  sendEmpty(res, status, { 'Content-Type': 'application/json', 'x-amzn-RequestId': randomUUID() });
}

export async function handleDeathNotification(req: IncomingMessage, res: ServerResponse, ctx: DeathNotificationContext): Promise<void> {
  if (req.method !== 'POST') {
    await readBody(req, 1024).catch(() => undefined);
    return missingAuthenticationToken(res);
  }
  // V2-AUTH-401 (template.yaml DeathCognitoAuthoriser, no custom gateway responses): missing,
  // invalid, expired or wrong-scope tokens all get the gateway's 401. V2-RAW-TOKEN: the
  // platform's own publisher (GroPublishRecord.java) sends the JWT without "Bearer ".
  const auth = await ctx.bearer.verify(req, SCOPES.deathNotification, API_GATEWAY_COGNITO);
  if (auth.clientId) ctx.onClient(auth.clientId);
  if (!auth.ok) return sendJson(res, 401, { message: 'Unauthorized' }, { 'x-amzn-ErrorType': 'UnauthorizedException' });
  let raw: Buffer;
  try {
    raw = await readBody(req, BODY_LIMIT);
  } catch (e) {
    if (e instanceof BodyTooLarge) return sendEmpty(res, 413, { Connection: 'close' });
    throw e;
  }
  // V2-NO-CONTENT-TYPE-CHECK: the Lambda reads the body whatever the Content-Type says.
  const text = raw.toString('utf8');
  // V2-EMPTY-BODY-502: an absent body (or JSON null) throws outside the Lambda's catch; API
  // Gateway turns the Lambda error into 502. V2-PARSER-EDGES: whitespace alone is a parse error.
  if (text === '' || text.trim() === 'null') return sendJson(res, 502, { message: 'Internal server error' });
  // V2-REFUSE: a JsonProcessingException becomes a MappingException: 400, no body.
  // V2-PARSER-EDGES: text after the record is ignored (Jackson's FAIL_ON_TRAILING_TOKENS is off).
  const record = firstJsonObject(text);
  if (record === undefined) return gatewayEmpty(res, 400);
  // V2-ACCEPT and V2-REFUSE, with the parser's rules in src/schemas/death-notification.json, the
  // same file the collections embed to check the record they send (V2-SCHEMA-SHARED):
  // V2-DATETIME-NO-ZONE (Constants.java LOCAL_DATE_TIME_PATTERN), V2-DATETIME-REQUIRED (one of
  // the two date-times, DeathValidation.java), V2-DATE-FORMAT (LOCAL_DATE_PATTERN),
  // V2-UNKNOWN-FIELD (FAIL_ON_UNKNOWN_PROPERTIES), V2-UNKNOWN-ENUM (READ_UNKNOWN_ENUM_VALUES_AS_NULL),
  // V2-NUMBER-STRING (Jackson's scalar coercion).
  const validate = validator('death-notification');
  if (!validate(record)) return gatewayEmpty(res, 400);
  // V2-ENRICHMENT: what the pipeline does after the 201, recorded so that tests can prove no run
  // would have paged the platform team.
  const failure = enrichmentFailure(record as Record<string, unknown>);
  ctx.onAccepted({ record, correlationId: correlationId(req), ...(failure ? { outcome: 'dead-lettered', reason: failure } : { outcome: 'delivered' }) });
  gatewayEmpty(res, 201);
}
