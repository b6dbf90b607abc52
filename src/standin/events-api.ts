// The events API v1 (dev and demo), rule by rule as the platform's Kotlin service behaves at
// commit 3439cf0a. Each rule's id (V1-...) names a row of docs/fidelity.md's
// table and a test of test/contract-v1.test.ts; the comment gives the source file.
//
// The order of checks is the service's: the WAF, Tomcat, Spring Security's authentication (401),
// then Spring MVC's handler mapping (path, method, Accept), argument conversion (400, 500 for a
// body), and only then @PreAuthorize's scope check (403) and the controller (V1-CHECK-ORDER).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPES } from '../config/environments.js';
import { SPRING_RESOURCE_SERVER, type BearerVerifier } from './bearer.js';
import { fieldsFor, publishesOf, subscriptionsOf, type ClientConfig } from './clients.js';
import { BodyTooLarge, mediaType, readBody, sendEmpty, sendJson } from './http.js';
import { EVENT_TYPES, normalisedLocalDateTime, type EventStore, type EventType, type StoredEvent } from './store.js';

const JSON_API = 'application/vnd.api+json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// V1-LIST-DATETIME: Spring's ISO.DATE_TIME for a LocalDateTime: seconds and fraction optional; a
// zone, if any, is read and dropped, not converted (V1-LONDON-TIME).
const QUERY_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?:Z|[+-]\d{2}:\d{2})?$/;
// V1-PUBLISH-TIME: Jackson's LocalDateTime: a trailing Z is accepted, a numeric offset is not.
const BODY_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)Z?$/;
// V1-WAF-SIZE (data_share_service/waf.tf): CloudFront's WAF refuses these before the service.
const WAF_URI_LIMIT = 1024;
const WAF_BODY_LIMIT = 64 * 1024;
const INT_MAX = 2 ** 31 - 1;

export interface EventsApiContext {
  baseUrl: string;
  store: EventStore;
  bearer: BearerVerifier;
  clients: ReadonlyMap<string, ClientConfig>;
  onClient: (clientId: string) => void;
  /** V1-PUBLISH: how long fan-out takes (0 locally by default; the real one takes seconds). */
  publishDelayMs: number;
}

/** Thrown by a step to end the request with this answer (an Error, so that it carries a stack
 * if one ever escapes the handler). */
class Answer extends Error {
  constructor(readonly send: (res: ServerResponse) => void) {
    super('stand-in answer');
  }
}

/** V1-ERROR-SHAPE: config/ApiExceptionHandler.kt's ErrorResponse, null fields left out. */
function apiError(status: number, userMessage: string, developerMessage = userMessage): Answer {
  return new Answer((res) => sendJson(res, status, { status, userMessage, developerMessage }, {}, 'application/json'));
}

/** V1-CATCH-ALL-500: whatever no handler expects falls to handleException (inferred). */
function unexpected(message: string): Answer {
  return apiError(500, `Unexpected error: ${message}`, message);
}

function htmlPage(status: number, title: string): Answer {
  const page = `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
  return new Answer((res) => {
    res.writeHead(status, { 'Content-Type': 'text/html;charset=utf-8', 'Content-Length': Buffer.byteLength(page), Connection: 'close' });
    res.end(page);
  });
}

/** V1-WAF-SIZE: a query string or URI over 1,024 bytes, or a body over 64 KiB, gets the WAF's
 * 403 page. The SQL-injection rule set is AWS's managed one and is left out. */
function wafCheck(req: IncomingMessage): void {
  if (Buffer.byteLength(req.url ?? '') > WAF_URI_LIMIT) throw htmlPage(403, '403 Forbidden');
  if (Number(req.headers['content-length']) > WAF_BODY_LIMIT) throw htmlPage(403, '403 Forbidden');
}

/** V1-LIST-BRACKETS: Tomcat 10.1 without relaxedQueryChars refuses raw [ ] (inferred; the
 * service's own links are encoded). Tomcat's refusal is an HTML page, not the API's JSON. */
function tomcatCheck(req: IncomingMessage): void {
  if (/[[\]]/.test(req.url ?? '')) throw htmlPage(400, 'HTTP Status 400 – Bad Request');
}

/** V1-AUTH-401, V1-BEARER (config/ResourceServerConfiguration.kt): Spring's bearer entry point,
 * empty body, with RFC 6750's challenge for a token it cannot use. */
async function authenticate(req: IncomingMessage, ctx: EventsApiContext): Promise<{ clientId: string; scopes: string[] }> {
  const result = await ctx.bearer.verify(req, undefined, SPRING_RESOURCE_SERVER);
  if (result.ok) {
    ctx.onClient(result.clientId);
    return result;
  }
  if (result.reason === 'missing') throw new Answer((res) => sendEmpty(res, 401, { 'WWW-Authenticate': 'Bearer' }));
  const description = (result.description ?? 'invalid token').replace(/["\\]/g, '');
  const challenge = `Bearer error="invalid_token", error_description="${description}", error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"`;
  throw new Answer((res) => sendEmpty(res, 401, { 'WWW-Authenticate': challenge }));
}

/** V1-AUTH-403 (@PreAuthorize, ApiExceptionHandler.kt): after conversion, before the controller. */
function requireScope(auth: { scopes: string[] }, scope: string): void {
  if (!auth.scopes.includes(scope)) throw apiError(403, 'Forbidden: Access Denied', 'Access Denied');
}

/** V1-ACCEPT-500 (EventsController.kt produces): an Accept header that names neither the GETs'
 * application/vnd.api+json nor the others' text/plain is refused before the controller, as a 500. */
function acceptCheck(req: IncomingMessage, produces: string): void {
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return;
  const [type, subtype] = produces.split('/');
  const ok = accept.split(',').some((range) => {
    const [t = '', s = ''] = range.split(';')[0]!.trim().toLowerCase().split('/');
    return (t === '*' || t === type) && (s === '*' || s === subtype);
  });
  if (!ok) throw unexpected(`No acceptable representation (Accept: ${accept.slice(0, 80)})`);
}

/** V1-UNKNOWN-PATH-404: Spring Boot's error JSON for a path no controller maps (Spring 6 has no
 * trailing-slash match, so /events/ is one), once the token is accepted. */
function notFound(path: string): Answer {
  return new Answer((res) => sendJson(res, 404, { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', path }));
}

/** V1-LIST-LINKS (helpers/PageLinkHelper.kt, approved snapshot "getEvents returns correctly
 * formatted pagination links"): self lists page[number] first, the others page[size] first. */
function pageLink(ctx: EventsApiContext, filters: [string, string][], number: number, size: number, self = false): string {
  const q = new URLSearchParams(filters);
  const paging: [string, string][] = [
    ['page[number]', String(number)],
    ['page[size]', String(size)],
  ];
  for (const [k, v] of self ? paging : paging.reverse()) q.append(k, v);
  return `${ctx.baseUrl}/events?${q.toString()}`;
}

function eventLink(ctx: EventsApiContext, e: StoredEvent): string {
  return `${ctx.baseUrl}/events/${e.id}`;
}

/** The eventData an acquirer may see of one event: its agreement's fields within the type's. */
function eventData(e: StoredEvent, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e.eventData).filter(([k]) => e.eventType === 'TEST_EVENT' || fields.includes(k)));
}

/** V1-DATA-GONE (NoDataFoundException, config/ApiExceptionHandler.kt): reading an event whose
 * record is gone (LEV answered 404, the GRO record was removed) is 404 "Not Found: ...". */
function dataGone(e: StoredEvent): Answer {
  return apiError(404, `Not Found: ${e.dataGone}`, e.dataGone);
}

interface ListQuery {
  size: number;
  number: number;
  eventTypes: string[];
  fromTime?: string;
  toTime?: string;
}

/** Argument conversion of GET /events: a value of the wrong type is a 400 before the scope check. */
function convertListQuery(url: URL): ListQuery {
  const p = url.searchParams;
  // V1-LIST-EMPTY-PARAM: an empty page[size]= or page[number]= falls back to the default.
  const sizeText = p.get('page[size]') || '100';
  const numberText = p.get('page[number]') || '0';
  if (!/^[+-]?\d{1,10}$/.test(sizeText) || Math.abs(Number(sizeText)) > INT_MAX)
    throw apiError(400, 'Parameter conversion failure: page[size] must be an integer');
  if (!/^[+-]?\d{1,10}$/.test(numberText) || Math.abs(Number(numberText)) > INT_MAX)
    throw apiError(400, 'Parameter conversion failure: page[number] must be an integer');
  // V1-LIST-FILTER-TYPES: a List<EventType>: the parameter repeats, and Spring also splits commas.
  const eventTypes = p
    .getAll('filter[eventType]')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = eventTypes.find((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown !== undefined) throw apiError(400, `Parameter conversion failure: filter[eventType] ${unknown} is not one of ${EVENT_TYPES.join(', ')}`);
  const query: ListQuery = { size: Number(sizeText), number: Number(numberText), eventTypes };
  for (const key of ['fromTime', 'toTime'] as const) {
    const text = p.get(`filter[${key}]`);
    if (text === null || text === '') continue;
    const match = QUERY_DATE_TIME.exec(text);
    if (!match || Number.isNaN(Date.parse(`${match[1]}Z`))) {
      throw apiError(400, `Parameter conversion failure: filter[${key}] must be a date-time such as 2023-01-31T12:00:00`);
    }
    query[key] = normalisedLocalDateTime(match[1]!);
  }
  return query;
}

function listEvents(res: ServerResponse, url: URL, query: ListQuery, ctx: EventsApiContext, clientId: string): void {
  const { size, number } = query;
  // V1-LIST-PAGE-BAD: @Positive page[size] and @PositiveOrZero page[number] (method validation,
  // after the scope check: inferred).
  if (size < 1) throw apiError(400, 'Validation failure: page[size] must be greater than 0');
  if (number < 0) throw apiError(400, 'Validation failure: page[number] must be greater than or equal to 0');
  // V1-LIST-INT-OVERFLOW: the offset, size times number, is an Int: past its range, a 500.
  if (size * number > INT_MAX) throw unexpected('integer overflow in the page offset');
  const client = ctx.clients.get(clientId);
  // V1-LIST-NO-SUBSCRIPTION: an acquirer subscribed to none of the types asked for gets an empty page.
  const queue = ctx.store.queue(clientId, subscriptionsOf(client), {
    eventTypes: query.eventTypes,
    ...(query.fromTime ? { fromTime: query.fromTime } : {}),
    ...(query.toTime ? { toTime: query.toTime } : {}),
  });
  // Spring HATEOAS PageMetadata: totalPages = ceil(total / size), 0 for an empty queue.
  const totalPages = Math.ceil(queue.length / size);
  const filters = [...url.searchParams.entries()].filter(([k]) => k.startsWith('filter['));
  // V1-LIST-LINKS: self always; first and prev past page 0; next and last before the last page.
  const links: Record<string, string> = { self: pageLink(ctx, filters, number, size, true) };
  if (number > 0) {
    links['first'] = pageLink(ctx, filters, 0, size);
    links['prev'] = pageLink(ctx, filters, number - 1, size);
  }
  if (number < totalPages - 1) {
    links['next'] = pageLink(ctx, filters, number + 1, size);
    links['last'] = pageLink(ctx, filters, totalPages - 1, size);
  }
  const inline = client?.dataInPoll === true;
  const page = queue.slice(number * size, number * size + size);
  // V1-DATA-GONE: with the data in the poll, one event whose record is gone fails the whole page.
  const gone = inline ? page.find((e) => e.dataGone) : undefined;
  if (gone) throw dataGone(gone);
  const data = page.map((e) => {
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
 * dataIncluded or enrichmentFields, so the event's meta is empty and sits inside data.
 * V1-READ-LINKS (approved snapshot "getEvent returns a death notification event in the correct
 * format"): links.collection is the first page of the list. */
function readEvent(res: ServerResponse, id: string, ctx: EventsApiContext, clientId: string): void {
  const client = ctx.clients.get(clientId);
  const event = ctx.store.find(clientId, subscriptionsOf(client), id);
  // V1-READ-404 (EventNotFoundException): unknown, another acquirer's, or acknowledged.
  if (!event) throw apiError(404, `Event Not Found: Event ${id} not found for polling client ${clientId}`);
  if (event.dataGone) throw dataGone(event);
  const fields = fieldsFor(client, event.eventType);
  const data = {
    id: event.id,
    type: 'events',
    attributes: {
      eventType: event.eventType,
      ...(fields.includes('sourceId') ? { sourceId: event.sourceId } : {}),
      eventData: eventData(event, fields),
    },
    meta: {},
  };
  const links = { self: eventLink(ctx, event), collection: `${ctx.baseUrl}/events?page%5Bnumber%5D=0&page%5Bsize%5D=100` };
  sendJson(res, 200, { data, links }, {}, JSON_API);
}

interface EventToPublish {
  eventType: EventType;
  id: string;
  eventTime: string | null;
}

/** Body conversion of POST /events (models/EventToPublish.kt): what Jackson cannot read is a 500
 * before the scope check (V1-CATCH-ALL-500, inferred). */
async function convertPublishBody(req: IncomingMessage): Promise<EventToPublish> {
  let raw: Buffer;
  try {
    raw = await readBody(req, WAF_BODY_LIMIT);
  } catch (e) {
    if (e instanceof BodyTooLarge) throw htmlPage(403, '403 Forbidden');
    throw e;
  }
  // Spring takes application/json and application/*+json; anything else, bad JSON, an unknown
  // event type or a missing id is an exception no handler names.
  const type = mediaType(req);
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) throw unexpected(`Content-Type '${type}' is not supported`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw unexpected('JSON parse error');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw unexpected('JSON parse error: not an object');
  const body = parsed as Record<string, unknown>;
  const eventType = body['eventType'];
  if (typeof eventType !== 'string' || !(EVENT_TYPES as readonly string[]).includes(eventType)) {
    throw unexpected(`JSON parse error: eventType not one of ${EVENT_TYPES.join(', ')}`);
  }
  // V1-PUBLISH-ID: models/EventToPublish.kt has only an @Schema pattern: any scalar is taken as text.
  const id = body['id'];
  if (typeof id !== 'string' && typeof id !== 'number') throw unexpected('JSON parse error: id is missing');
  const eventTime = body['eventTime'];
  if (eventTime !== undefined && eventTime !== null && (typeof eventTime !== 'string' || !BODY_DATE_TIME.test(eventTime))) {
    throw unexpected('JSON parse error: eventTime is not a LocalDateTime');
  }
  return { eventType: eventType as EventType, id: String(id), eventTime: eventTime ?? null };
}

function publishEvent(res: ServerResponse, event: EventToPublish, ctx: EventsApiContext, clientId: string): void {
  // V1-PUBLISH-403 (services/EventAcceptorService.kt): no supplier subscription for the type.
  if (!publishesOf(ctx.clients.get(clientId)).includes(event.eventType)) {
    const message = `${clientId} does not have permission`;
    throw apiError(403, `Forbidden: ${message}`, message);
  }
  // V1-PUBLISH and V1-FANOUT (services/SupplierEventProcessor.kt): accepted with 201 and no body;
  // every acquirer subscribed to the type gets it, unless the asynchronous insert loses it
  // (V1-SUPPLIER-EVENT-ID).
  ctx.store.publish(event.eventType, event.id, event.eventTime, ctx.publishDelayMs);
  sendEmpty(res, 201);
}

/** The routes of the events API, with the methods each maps; HEAD is served by GET (V1-HEAD). */
function routeOf(path: string): { kind: 'list' | 'event'; id?: string } | undefined {
  if (path === '/events') return { kind: 'list' };
  const match = /^\/events\/([^/]+)$/.exec(path);
  return match ? { kind: 'event', id: match[1]! } : undefined;
}

async function dispatch(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EventsApiContext): Promise<void> {
  wafCheck(req);
  tomcatCheck(req);
  const auth = await authenticate(req, ctx);
  const route = routeOf(url.pathname);
  if (!route) throw notFound(url.pathname);
  const method = req.method ?? 'GET';
  const read = method === 'GET' || method === 'HEAD';
  const allowed = route.kind === 'list' ? read || method === 'POST' : read || method === 'DELETE';
  // An unsupported method on a known path is a 500 for any valid token (V1-CATCH-ALL-500).
  if (!allowed) throw unexpected(`Request method '${method}' is not supported`);
  acceptCheck(req, read ? JSON_API : 'text/plain');
  if (route.kind === 'list' && read) {
    const query = convertListQuery(url);
    requireScope(auth, SCOPES.consume);
    return listEvents(res, url, query, ctx, auth.clientId);
  }
  if (route.kind === 'list') {
    const event = await convertPublishBody(req);
    requireScope(auth, SCOPES.publish);
    return publishEvent(res, event, ctx, auth.clientId);
  }
  // V1-READ-BAD-ID: the id path variable is a UUID; anything else is a conversion failure,
  // answered before the scope is looked at.
  const id = route.id!;
  if (!UUID.test(id)) throw apiError(400, `Parameter conversion failure: ${id.slice(0, 40)} is not a UUID`);
  requireScope(auth, SCOPES.consume);
  if (read) return readEvent(res, id.toLowerCase(), ctx, auth.clientId);
  // V1-ACK: a soft delete for this acquirer only; 204, empty body.
  if (!ctx.store.acknowledge(auth.clientId, subscriptionsOf(ctx.clients.get(auth.clientId)), id.toLowerCase())) {
    throw apiError(404, `Event Not Found: Event ${id} not found for callback client ${auth.clientId}`);
  }
  sendEmpty(res, 204);
}

/** Is this path the events API's (and so Spring's to answer, unknown paths included)? */
export function isEventsPath(path: string): boolean {
  return path === '/events' || path.startsWith('/events/');
}

export async function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL, ctx: EventsApiContext): Promise<void> {
  try {
    await dispatch(req, res, url, ctx);
  } catch (e) {
    if (!(e instanceof Answer)) throw e;
    // A request body nobody read would be taken for the next request on a kept-alive socket.
    req.resume();
    e.send(res);
  }
}
