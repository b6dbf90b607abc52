import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPES } from '../environments.js';
import { describeErrors, validator } from '../schemas.js';
import type { BearerVerifier } from './bearer.js';
import { mediaType, readBody, readJson, sendJson } from './http.js';
import type { EventStore } from './store.js';

export const DEATH_NOTIFICATION_PATH = '/events/deathNotification';
const BODY_LIMIT = 256 * 1024;

export interface DeathNotificationContext {
  store: EventStore;
  bearer: BearerVerifier;
  onClient: (clientId: string) => void;
}

function message(res: ServerResponse, status: number, text: string): void {
  sendJson(res, status, { message: text });
}

/** The integration API: an API gateway with a Cognito authoriser, so every refusal is 401. */
export async function handleDeathNotification(req: IncomingMessage, res: ServerResponse, ctx: DeathNotificationContext): Promise<void> {
  if (req.method !== 'POST') {
    await readBody(req, 1024).catch(() => undefined);
    return sendJson(res, 405, { message: 'Method Not Allowed' }, { Allow: 'POST' });
  }
  const auth = await ctx.bearer.verify(req, SCOPES.deathNotification);
  if (auth.clientId) ctx.onClient(auth.clientId);
  if (!auth.ok) return message(res, 401, 'Unauthorized');
  if (mediaType(req) !== 'application/json') return message(res, 415, 'Unsupported Media Type: send application/json');
  const body = await readJson(req, res, BODY_LIMIT, message);
  if (body === undefined) return;
  const validate = validator('death-notification');
  if (!validate(body)) return message(res, 400, `Invalid request body: ${describeErrors(validate)}`);
  ctx.store.deathNotifications.push(body);
  message(res, 201, 'Event accepted');
}
