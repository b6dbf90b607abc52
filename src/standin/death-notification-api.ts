// The death-notification API v2 (integration): an API Gateway REST API with a Cognito
// authoriser in front of the DeathValidation Lambda, at commit 2356973a. Rule ids (V2-...) name
// rows of README.md's "How faithful is local" table and tests of test/contract-v2.test.ts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPES } from '../environments.js';
import { validator } from '../schemas.js';
import type { BearerVerifier } from './bearer.js';
import { BodyTooLarge, readBody, sendEmpty, sendJson } from './http.js';
import type { EventStore } from './store.js';

export const DEATH_NOTIFICATION_PATH = '/events/deathNotification';
// API Gateway's own limit is 10 MB; the stand-in keeps less in memory.
const BODY_LIMIT = 256 * 1024;

export interface DeathNotificationContext {
  store: EventStore;
  bearer: BearerVerifier;
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

export async function handleDeathNotification(req: IncomingMessage, res: ServerResponse, ctx: DeathNotificationContext): Promise<void> {
  if (req.method !== 'POST') {
    await readBody(req, 1024).catch(() => undefined);
    return missingAuthenticationToken(res);
  }
  // V2-AUTH-401 (template.yaml DeathCognitoAuthoriser, no custom gateway responses): missing,
  // invalid, expired or wrong-scope tokens all get the gateway's 401. V2-RAW-TOKEN: the
  // platform's own publisher (GroPublishRecord.java) sends the JWT without "Bearer ".
  const auth = await ctx.bearer.verify(req, SCOPES.deathNotification, { allowRawToken: true });
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
  // V2-EMPTY-BODY-502: a null body (or JSON null) throws outside the Lambda's catch; API
  // Gateway turns the Lambda error into 502.
  if (text.trim() === '' || text.trim() === 'null') return sendJson(res, 502, { message: 'Internal server error' });
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    // V2-REFUSE: a JsonProcessingException becomes a MappingException: 400, no body.
    return sendEmpty(res, 400);
  }
  // V2-ACCEPT and V2-REFUSE, with the parser's rules in src/schemas/death-notification.json: the
  // same file the collections embed to check the record they send.
  const validate = validator('death-notification');
  if (!validate(record)) return sendEmpty(res, 400);
  ctx.store.deathNotifications.push({ record, correlationId: correlationId(req) });
  sendEmpty(res, 201);
}
