import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPES } from '../environments.js';
import type { BearerVerifier } from './bearer.js';
import type { ClientConfig } from './clients.js';
import { ALL_ENRICHMENT_FIELDS } from './clients.js';
import { mediaType, readBody, readJson, sendEmpty, sendJson } from './http.js';
import { EVENT_TYPES, type EventStore, type EventType, type StoredEvent } from './store.js';

const JSON_API = 'application/vnd.api+json';
const API_BODY_LIMIT = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The published pattern reads ^[A-Za-z0-9+=,.@-_]*$, where "@-_" is a character range by accident;
// the intent (and what the service accepts in practice) is a literal hyphen.
const SOURCE_ID = /^[A-Za-z0-9+=,.@_-]{1,80}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export interface EventsApiContext {
  baseUrl: string;
  store: EventStore;
  bearer: BearerVerifier;
  clients: ReadonlyMap<string, ClientConfig>;
  onClient: (clientId: string) => void;
}

function apiError(res: ServerResponse, status: number, userMessage: string, developerMessage = userMessage): void {
  sendJson(res, status, { status, errorCode: status, userMessage, developerMessage, moreInfo: null }, {}, 'application/json');
}

function parseDateTime(value: string): Date | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Resolves the bearer token; answers 401/403 itself and returns undefined when refused. */
async function authorise(req: IncomingMessage, res: ServerResponse, ctx: EventsApiContext, scope: string): Promise<string | undefined> {
  const result = await ctx.bearer.verify(req, scope);
  if (result.ok) {
    ctx.onClient(result.clientId);
    return result.clientId;
  }
  if (result.clientId) ctx.onClient(result.clientId);
  if (result.reason === 'missing') sendEmpty(res, 401, { 'WWW-Authenticate': 'Bearer' });
  else if (result.reason === 'invalid') sendEmpty(res, 401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  else apiError(res, 403, `Access denied: this operation needs the scope ${scope}`);
  return undefined;
}

function pageLink(ctx: EventsApiContext, params: URLSearchParams, number: number, size: number): string {
  const q = new URLSearchParams(params);
  q.set('page[number]', String(number));
  q.set('page[size]', String(size));
  const sorted = [...q.entries()].sort(([a], [b]) => a.localeCompare(b));
  return `${ctx.baseUrl}/events?${new URLSearchParams(sorted).toString()}`;
}

function eventLink(ctx: EventsApiContext, e: StoredEvent): string {
  return `${ctx.baseUrl}/events/${e.id}`;
}

function enrichmentFields(ctx: EventsApiContext, clientId: string): string[] {
  return ctx.clients.get(clientId)?.enrichmentFields ?? [...ALL_ENRICHMENT_FIELDS];
}

function listEvents(res: ServerResponse, url: URL, ctx: EventsApiContext, clientId: string): void {
  const p = url.searchParams;
  const sizeText = p.get('page[size]') ?? '100';
  const numberText = p.get('page[number]') ?? '0';
  if (!/^[1-9]\d{0,5}$/.test(sizeText)) return apiError(res, 400, 'page[size] must be a positive integer');
  if (!/^\d{1,9}$/.test(numberText)) return apiError(res, 400, 'page[number] must be zero or a positive integer');
  const eventType = p.get('filter[eventType]') ?? undefined;
  if (eventType !== undefined && !(EVENT_TYPES as readonly string[]).includes(eventType)) {
    return apiError(res, 400, `filter[eventType] must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const times: Record<'fromTime' | 'toTime', Date | undefined> = { fromTime: undefined, toTime: undefined };
  for (const key of ['fromTime', 'toTime'] as const) {
    const text = p.get(`filter[${key}]`);
    if (text === null) continue;
    const date = parseDateTime(text);
    if (!date) return apiError(res, 400, `filter[${key}] must be an ISO date-time such as 2023-01-31T12:00:00`);
    times[key] = date;
  }
  const size = Number(sizeText);
  const number = Number(numberText);
  const queue = ctx.store.queue(clientId, { eventType, ...times });
  const totalPages = Math.ceil(queue.length / size);
  const lastPage = Math.max(totalPages - 1, 0);
  const fields = enrichmentFields(ctx, clientId);
  const filters = new URLSearchParams([...p.entries()].filter(([k]) => k.startsWith('filter[')));
  const links: Record<string, string> = {
    self: pageLink(ctx, filters, number, size),
    first: pageLink(ctx, filters, 0, size),
  };
  if (number > 0) links['prev'] = pageLink(ctx, filters, Math.min(number - 1, lastPage), size);
  if (number < lastPage) links['next'] = pageLink(ctx, filters, number + 1, size);
  links['last'] = pageLink(ctx, filters, lastPage, size);
  const data = queue.slice(number * size, number * size + size).map((e) => ({
    id: e.id,
    type: 'events',
    attributes: { eventType: e.eventType, sourceId: e.sourceId, dataIncluded: false },
    links: { self: eventLink(ctx, e) },
    meta: { enrichmentFields: fields },
  }));
  sendJson(res, 200, { data, links, meta: { page: { size, totalElements: queue.length, totalPages, number } } }, {}, JSON_API);
}

function readEvent(res: ServerResponse, id: string, ctx: EventsApiContext, clientId: string): void {
  const event = ctx.store.find(clientId, id);
  if (!event) return apiError(res, 404, `No event with id ${id} in your queue`);
  const fields = enrichmentFields(ctx, clientId);
  const eventData = Object.fromEntries(Object.entries(event.eventData).filter(([k]) => fields.includes(k)));
  sendJson(
    res,
    200,
    {
      data: { id: event.id, type: 'events', attributes: { eventType: event.eventType, sourceId: event.sourceId, eventData } },
      links: { self: eventLink(ctx, event), collection: `${ctx.baseUrl}/events?page%5Bnumber%5D=0&page%5Bsize%5D=10` },
    },
    {},
    JSON_API,
  );
}

async function publishEvent(req: IncomingMessage, res: ServerResponse, ctx: EventsApiContext): Promise<void> {
  const type = mediaType(req);
  if (type !== 'application/json' && type !== JSON_API) {
    await readBody(req, API_BODY_LIMIT).catch(() => undefined);
    return apiError(res, 415, 'Content-Type must be application/json');
  }
  const parsed = await readJson(req, res, API_BODY_LIMIT, apiError);
  if (parsed === undefined) return;
  const body = parsed as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return apiError(res, 400, 'The body must be a JSON object');
  if (typeof body['eventType'] !== 'string' || !(EVENT_TYPES as readonly string[]).includes(body['eventType'])) {
    return apiError(res, 400, `eventType must be one of ${EVENT_TYPES.join(', ')}`);
  }
  if (typeof body['id'] !== 'string' || !SOURCE_ID.test(body['id'])) {
    return apiError(res, 400, 'id must be 1 to 80 characters of A-Z a-z 0-9 + = , . @ - _');
  }
  const eventTime = body['eventTime'];
  if (eventTime !== undefined && eventTime !== null && (typeof eventTime !== 'string' || !parseDateTime(eventTime))) {
    return apiError(res, 400, 'eventTime must be an ISO date-time such as 2021-12-31T12:34:56');
  }
  ctx.store.publish(body['eventType'] as EventType, body['id'], (eventTime as string | undefined) ?? null);
  sendEmpty(res, 201);
}

/** Routes /events and /events/{id}; returns false for paths it does not own. */
export async function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EventsApiContext): Promise<boolean> {
  const method = req.method ?? 'GET';
  if (url.pathname === '/events') {
    if (method === 'GET') {
      const clientId = await authorise(req, res, ctx, SCOPES.consume);
      if (clientId) listEvents(res, url, ctx, clientId);
    } else if (method === 'POST') {
      const clientId = await authorise(req, res, ctx, SCOPES.publish);
      if (clientId) await publishEvent(req, res, ctx);
    } else {
      sendEmpty(res, 405, { Allow: 'GET, POST' });
    }
    return true;
  }
  const match = /^\/events\/([^/]+)$/.exec(url.pathname);
  if (!match) return false;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    id = match[1]!;
  }
  if (method !== 'GET' && method !== 'DELETE') {
    sendEmpty(res, 405, { Allow: 'GET, DELETE' });
    return true;
  }
  const clientId = await authorise(req, res, ctx, SCOPES.consume);
  if (!clientId) return true;
  if (!UUID.test(id)) {
    apiError(res, 400, 'The event id must be a UUID');
  } else if (method === 'GET') {
    readEvent(res, id, ctx, clientId);
  } else if (ctx.store.acknowledge(clientId, id)) {
    sendEmpty(res, 204);
  } else {
    apiError(res, 404, `No event with id ${id} in your queue`);
  }
  return true;
}
