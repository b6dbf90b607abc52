// The events API v1 (dev and demo), rule by rule as the platform's Kotlin service behaves at
// commit 3439cf0a. Each rule's id (V1-...) names a row of README.md's "How faithful is local"
// table and a test of test/contract-v1.test.ts; the comment gives the source file.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPES } from '../environments.js';
import type { BearerVerifier } from './bearer.js';
import { fieldsFor, publishesOf, subscriptionsOf, type ClientConfig } from './clients.js';
import { mediaType, readBody, sendEmpty, sendJson } from './http.js';
import { EVENT_TYPES, type EventStore, type EventType, type StoredEvent } from './store.js';

const JSON_API = 'application/vnd.api+json';
const API_BODY_LIMIT = 256 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// V1-LIST-DATETIME: Spring's ISO.DATE_TIME for a LocalDateTime: seconds and fraction optional; a
// zone, if any, is read and dropped (inferred from DateTimeFormatter.ISO_DATE_TIME).
const QUERY_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?:Z|[+-]\d{2}:\d{2})?$/;
// V1-PUBLISH-TIME: Jackson's LocalDateTime: a trailing Z is accepted, a numeric offset is not.
const BODY_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)Z?$/;

export interface EventsApiContext {
  baseUrl: string;
  store: EventStore;
  bearer: BearerVerifier;
  clients: ReadonlyMap<string, ClientConfig>;
  onClient: (clientId: string) => void;
  /** V1-PUBLISH: how long fan-out takes (0 locally by default; the real one takes seconds). */
  publishDelayMs: number;
}

/** V1-ERROR-SHAPE: config/ApiExceptionHandler.kt's ErrorResponse, null fields left out. */
function apiError(res: ServerResponse, status: number, userMessage: string, developerMessage = userMessage): void {
  sendJson(res, status, { status, userMessage, developerMessage }, {}, 'application/json');
}

/** V1-CATCH-ALL-500: whatever no handler expects falls to handleException (inferred). */
function unexpected(res: ServerResponse, message: string): void {
  apiError(res, 500, `Unexpected error: ${message}`, message);
}

function localDateTime(pattern: RegExp, value: string): Date | undefined {
  const match = pattern.exec(value);
  if (!match) return undefined;
  const date = new Date(`${match[1]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** V1-AUTH-401 and V1-AUTH-403: answers the refusal itself and returns undefined. */
async function authorise(req: IncomingMessage, res: ServerResponse, ctx: EventsApiContext, scope: string): Promise<string | undefined> {
  const result = await ctx.bearer.verify(req, scope);
  if (result.ok) {
    ctx.onClient(result.clientId);
    return result.clientId;
  }
  if (result.clientId) ctx.onClient(result.clientId);
  // config/ResourceServerConfiguration.kt: Spring's bearer entry point, empty body.
  if (result.reason === 'missing') sendEmpty(res, 401, { 'WWW-Authenticate': 'Bearer' });
  else if (result.reason === 'invalid') sendEmpty(res, 401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  else apiError(res, 403, 'Forbidden: Access Denied', 'Access Denied');
  return undefined;
}

/** V1-LIST-LINKS: brackets percent-encoded, as UriComponentsBuilder writes them. */
function pageLink(ctx: EventsApiContext, filters: [string, string][], number: number, size: number): string {
  const q = new URLSearchParams(filters);
  q.append('page[number]', String(number));
  q.append('page[size]', String(size));
  return `${ctx.baseUrl}/events?${q.toString()}`;
}

function eventLink(ctx: EventsApiContext, e: StoredEvent): string {
  return `${ctx.baseUrl}/events/${e.id}`;
}

/** The eventData an acquirer may see of one event: its agreement's fields within the type's. */
function eventData(e: StoredEvent, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e.eventData).filter(([k]) => e.eventType === 'TEST_EVENT' || fields.includes(k)));
}

function listEvents(res: ServerResponse, url: URL, ctx: EventsApiContext, clientId: string): void {
  const p = url.searchParams;
  const sizeText = p.get('page[size]') ?? '100';
  const numberText = p.get('page[number]') ?? '0';
  // V1-LIST-PAGE-BAD: an Int that is @Positive (size) and @PositiveOrZero (number), else 400.
  if (!/^\+?\d{1,9}$/.test(sizeText) || Number(sizeText) < 1) return apiError(res, 400, 'Validation failure: page[size] must be greater than 0');
  if (!/^[+-]?\d{1,9}$/.test(numberText) || Number(numberText) < 0) {
    return apiError(res, 400, 'Validation failure: page[number] must be greater than or equal to 0');
  }
  // V1-LIST-FILTER-TYPES: a List<EventType>: the parameter repeats, and Spring also splits commas.
  const eventTypes = p.getAll('filter[eventType]').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = eventTypes.find((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown !== undefined) return apiError(res, 400, `Parameter conversion failure: filter[eventType] ${unknown} is not one of ${EVENT_TYPES.join(', ')}`);
  const times: { fromTime?: Date; toTime?: Date } = {};
  for (const key of ['fromTime', 'toTime'] as const) {
    const text = p.get(`filter[${key}]`);
    if (text === null || text === '') continue;
    const date = localDateTime(QUERY_DATE_TIME, text);
    if (!date) return apiError(res, 400, `Parameter conversion failure: filter[${key}] must be a date-time such as 2023-01-31T12:00:00`);
    times[key] = date;
  }
  const size = Number(sizeText);
  const number = Number(numberText);
  const client = ctx.clients.get(clientId);
  // V1-LIST-NO-SUBSCRIPTION: an acquirer subscribed to none of the types asked for gets an empty page.
  const queue = ctx.store.queue(clientId, subscriptionsOf(client), { eventTypes, ...times });
  // Spring HATEOAS PageMetadata: totalPages = ceil(total / size), 0 for an empty queue.
  const totalPages = Math.ceil(queue.length / size);
  const filters = [...p.entries()].filter(([k]) => k.startsWith('filter['));
  // V1-LIST-LINKS (helpers/PageLinkHelper.kt): self always; first and prev past page 0; next
  // and last before the last page.
  const links: Record<string, string> = { self: pageLink(ctx, filters, number, size) };
  if (number > 0) {
    links['first'] = pageLink(ctx, filters, 0, size);
    links['prev'] = pageLink(ctx, filters, number - 1, size);
  }
  if (number < totalPages - 1) {
    links['next'] = pageLink(ctx, filters, number + 1, size);
    links['last'] = pageLink(ctx, filters, totalPages - 1, size);
  }
  const inline = client?.dataInPoll === true;
  const data = queue.slice(number * size, number * size + size).map((e) => {
    const fields = fieldsFor(client, e.eventType);
    // V1-LIST-SOURCEID: models/EventNotification.kt is @JsonInclude(NON_NULL): no sourceId unless
    // the subscription has that enrichment field. V1-LIST-DATA-INCLUDED: data inline when the
    // subscription has enrichmentFieldsIncludedInPoll.
    return {
      id: e.id,
      type: 'events',
      attributes: {
        eventType: e.eventType,
        ...(fields.includes('sourceId') ? { sourceId: e.sourceId } : {}),
        dataIncluded: inline,
        ...(inline ? { eventData: eventData(e, fields) } : {}),
      },
      links: { self: eventLink(ctx, e) },
      meta: { enrichmentFields: fields },
    };
  });
  sendJson(res, 200, { data, links, meta: { page: { size, totalElements: queue.length, totalPages, number } } }, {}, JSON_API);
}

/** V1-READ (services/AcquirerEventService.kt getEvent, a "callback event"): eventData, no
 * dataIncluded or enrichmentFields, so the event's meta is empty. */
function readEvent(res: ServerResponse, id: string, ctx: EventsApiContext, clientId: string): void {
  const client = ctx.clients.get(clientId);
  const event = ctx.store.find(clientId, subscriptionsOf(client), id);
  if (!event) return apiError(res, 404, `Event Not Found: Event ${id} not found for polling client ${clientId}`);
  const fields = fieldsFor(client, event.eventType);
  sendJson(
    res,
    200,
    {
      data: {
        id: event.id,
        type: 'events',
        attributes: {
          eventType: event.eventType,
          ...(fields.includes('sourceId') ? { sourceId: event.sourceId } : {}),
          eventData: eventData(event, fields),
        },
        meta: {},
      },
      links: { self: eventLink(ctx, event), collection: `${ctx.baseUrl}/events` },
    },
    {},
    JSON_API,
  );
}

async function publishEvent(req: IncomingMessage, res: ServerResponse, ctx: EventsApiContext, clientId: string): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(req, API_BODY_LIMIT);
  } catch {
    return sendEmpty(res, 413, { Connection: 'close' });
  }
  // V1-CATCH-ALL-500: Spring takes application/json and application/*+json; anything else, bad
  // JSON, an unknown event type or a missing id is an exception no handler names (inferred).
  const type = mediaType(req);
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) return unexpected(res, `Content-Type '${type}' is not supported`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return unexpected(res, 'JSON parse error');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return unexpected(res, 'JSON parse error: not an object');
  const eventType = body['eventType'];
  if (typeof eventType !== 'string' || !(EVENT_TYPES as readonly string[]).includes(eventType)) {
    return unexpected(res, `JSON parse error: eventType not one of ${EVENT_TYPES.join(', ')}`);
  }
  // V1-PUBLISH-ID: models/EventToPublish.kt has only an @Schema pattern: any scalar is taken as text.
  const id = body['id'];
  if (typeof id !== 'string' && typeof id !== 'number') return unexpected(res, 'JSON parse error: id is missing');
  const eventTime = body['eventTime'];
  if (eventTime !== undefined && eventTime !== null && (typeof eventTime !== 'string' || !localDateTime(BODY_DATE_TIME, eventTime))) {
    return unexpected(res, 'JSON parse error: eventTime is not a LocalDateTime');
  }
  // V1-PUBLISH-403 (services/EventAcceptorService.kt): no supplier subscription for the type.
  if (!publishesOf(ctx.clients.get(clientId)).includes(eventType as EventType)) {
    const message = `${clientId} does not have permission`;
    return apiError(res, 403, `Forbidden: ${message}`, message);
  }
  // V1-PUBLISH and V1-FANOUT (services/SupplierEventProcessor.kt): accepted with 201 and no body;
  // every acquirer subscribed to the type gets it.
  ctx.store.publish(eventType as EventType, String(id), (eventTime as string | null | undefined) ?? null, ctx.publishDelayMs);
  sendEmpty(res, 201);
}

/** V1-LIST-BRACKETS: Tomcat 10.1 without relaxedQueryChars refuses raw [ ] (inferred; the
 * service's own links are encoded). Tomcat's refusal is an HTML page, not the API's JSON. */
function rawBrackets(req: IncomingMessage): boolean {
  const target = req.url ?? '';
  return /[[\]]/.test(target);
}

/** Routes /events and /events/{id}; returns false for paths it does not own. */
export async function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EventsApiContext): Promise<boolean> {
  const method = req.method ?? 'GET';
  const match = /^\/events\/([^/]+)$/.exec(url.pathname);
  if (url.pathname !== '/events' && !match) return false;
  if (rawBrackets(req)) {
    const page = '<!doctype html><html lang="en"><head><title>HTTP Status 400 – Bad Request</title></head><body><h1>HTTP Status 400 – Bad Request</h1></body></html>';
    res.writeHead(400, { 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': Buffer.byteLength(page), Connection: 'close' });
    res.end(page);
    return true;
  }
  if (url.pathname === '/events') {
    // The scope decides before the method does: Spring Security runs ahead of the controller.
    const scope = method === 'POST' ? SCOPES.publish : SCOPES.consume;
    const clientId = await authorise(req, res, ctx, scope);
    if (!clientId) return true;
    if (method === 'GET') listEvents(res, url, ctx, clientId);
    else if (method === 'POST') await publishEvent(req, res, ctx, clientId);
    else unexpected(res, `Request method '${method}' is not supported`);
    return true;
  }
  const clientId = await authorise(req, res, ctx, SCOPES.consume);
  if (!clientId) return true;
  const id = match![1]!;
  // V1-READ-BAD-ID: the id path variable is a UUID; anything else is a conversion failure.
  if (method !== 'GET' && method !== 'DELETE') {
    unexpected(res, `Request method '${method}' is not supported`);
  } else if (!UUID.test(id)) {
    apiError(res, 400, `Parameter conversion failure: ${id.slice(0, 40)} is not a UUID`);
  } else if (method === 'GET') {
    readEvent(res, id.toLowerCase(), ctx, clientId);
  } else if (ctx.store.acknowledge(clientId, subscriptionsOf(ctx.clients.get(clientId)), id.toLowerCase())) {
    // V1-ACK: a soft delete for this acquirer only; 204, empty body.
    sendEmpty(res, 204);
  } else {
    apiError(res, 404, `Event Not Found: Event ${id} not found for callback client ${clientId}`);
  }
  return true;
}
