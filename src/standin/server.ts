import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createBearerVerifier, type BearerVerifier } from './bearer.js';
import { defaultClients, mergeClients, type ClientConfig } from './clients.js';
import { Counters, type CounterSnapshot } from './counters.js';
import { DEATH_NOTIFICATION_PATHS, handleDeathNotification, missingAuthenticationToken } from './death-notification-api.js';
import { DEATH_SUBSCRIBER_QUEUES } from './death-enrichment.js';
import { handleEvents, isEventsPath } from './events-api.js';
import { feedRealisticQueue, type Feeds, type RealisticQueueOptions } from './feeds.js';
import { ClientHungUp, sendEmpty, sendJson } from './http.js';
import { createSigningKeys, type SigningKeys } from './keys.js';
import { handlePublic } from './public-endpoints.js';
import { EventStore, type StoreListener } from './store.js';
import { handleToken } from './token-endpoint.js';

export const USER_POOL_ID = 'eu-west-2_LocalGdx';
export const COUNTERS_PATH = '/__standin/counters';
const TOKEN_PATH = '/oauth2/token';
const JWKS_PATH = `/${USER_POOL_ID}/.well-known/jwks.json`;

export interface StandinOptions {
  /** 0 (the default here) picks a free port. */
  port?: number;
  /** Clients beside (or replacing, by clientId) the two documented local ones. */
  clients?: ClientConfig[];
  /** Access-token validity for clients that set none; Cognito's default is 3600. */
  tokenValiditySeconds?: number;
  /** One line per request: method, path, status and client id, never a credential. */
  log?: (line: string) => void;
  /** What the real platform would do quietly after a 201 (a dead letter, a lost event); default: log. */
  notice?: (line: string) => void;
  seed?: boolean;
  /** How long a slow or silent client may hold a connection (tests shorten these). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** The base URL clients reach it by (behind a TLS terminator or a proxy, under a name of its
   * own), as a service behind a load balancer knows its public name: the issuer of its tokens and
   * the links it writes use it. Default: the loopback URL it listens on. */
  publicUrl?: string;
  /** Serve HTTPS with this key and certificate (PEM), to test TLS handling. */
  tls?: { key: string; cert: string };
  /** Serve HTTPS with a certificate from a private CA made at start (Standin.caCert is its
   * certificate): what a department's TLS-inspecting proxy presents. */
  privateCa?: boolean;
  /** Told of every access token issued: tests use it to hunt for leaks. Never logged. */
  onTokenIssued?: (accessToken: string) => void;
  /** How long a published v1 event takes to reach acquirers' queues (the real fan-out is
   * asynchronous, seconds); 0 by default, so that a local run is quick. */
  publishDelayMs?: number;
  /** A queue like dev's and demo's instead of the five seeded events: long, fed, untidy. */
  realisticQueue?: RealisticQueueOptions;
  /** Appends a line for every record the platform would dead-letter (and page its team for).
   * Default: the file GDX_STANDIN_DEAD_LETTER_FILE names, if any (the test suite sets it to prove
   * that no run dead-letters anything unless a test means it to). */
  deadLetterFile?: string;
}

export interface Standin {
  port: number;
  /** The loopback URL it listens on; baseUrl is its public URL when it was given one. */
  localUrl: string;
  baseUrl: string;
  tokenUrl: string;
  issuer: string;
  jwksUrl: string;
  countersUrl: string;
  /** With privateCa: the CA certificate (PEM) a client must trust. */
  caCert?: string;
  counters(): CounterSnapshot;
  resetCounters(): void;
  /** What runs published, acknowledged and lost, by event type, and the v2 records accepted with
   * what the pipeline did with them. */
  /** What the platform did with what it was sent, and the queues as they stand (read only). */
  store: Pick<EventStore, 'tally' | 'deathNotifications' | 'queue' | 'find'>;
  stop(): Promise<void>;
}

/** The store, told to say out loud what the real platform does quietly after its 201: a tester
 * sees in the log what a real run would have done to the platform team's night. */
function storeFor(options: StandinOptions): { store: EventStore; feeds?: Feeds } {
  const deadLetterFile = 'deadLetterFile' in options ? options.deadLetterFile : process.env['GDX_STANDIN_DEAD_LETTER_FILE'] || undefined;
  const notice = options.notice ?? options.log;
  const listener: StoreListener = {
    dropped: (eventType, reason) =>
      notice?.(`dropped a published ${eventType}: ${reason}; no acquirer gets it (the real insert fails and the message is dead-lettered)`),
    deadLettered: (accepted) => {
      const line = `dead-lettered a death notification (CorrelationID ${accepted.correlationId}): ${accepted.reason}; on integration this pages the platform team`;
      notice?.(line);
      if (deadLetterFile) appendFileSync(deadLetterFile, `${new Date().toISOString()} ${line}\n`);
    },
  };
  const store = new EventStore((options.seed ?? true) && !options.realisticQueue, listener);
  return options.realisticQueue ? { store, feeds: feedRealisticQueue(store, options.realisticQueue) } : { store };
}

/** What the routes share; the URLs and the bearer verifier are known once the port is. */
interface Routes {
  options: StandinOptions;
  keys: SigningKeys;
  clients: ReadonlyMap<string, ClientConfig>;
  counters: Counters;
  store: EventStore;
  late: { baseUrl: string; issuer: string; bearer?: BearerVerifier };
}

function tokenRoute(req: IncomingMessage, res: ServerResponse, r: Routes, seen: { clientId?: string }): Promise<void> {
  r.counters.tokenRequest();
  res.setHeader('x-amz-cognito-request-id', randomUUID());
  return handleToken(req, res, {
    clients: r.clients,
    keys: r.keys,
    issuer: r.late.issuer,
    defaultValiditySeconds: r.options.tokenValiditySeconds ?? 3600,
    ...(r.options.onTokenIssued ? { onTokenIssued: r.options.onTokenIssued } : {}),
    onClient: (clientId, issued) => {
      seen.clientId = clientId;
      r.counters.tokenClient(clientId, issued);
    },
  });
}

/** The stand-in's own paths: the JWKS and the counters. True when it answered. */
function ownRoute(req: IncomingMessage, res: ServerResponse, r: Routes, path: string): boolean {
  if (path === JWKS_PATH) {
    if (req.method !== 'GET' && req.method !== 'HEAD') sendEmpty(res, 405, { Allow: 'GET' });
    else sendJson(res, 200, r.keys.jwks);
    return true;
  }
  if (path !== COUNTERS_PATH) return false;
  if (req.method === 'DELETE') {
    r.counters.reset();
    sendEmpty(res, 204);
  } else {
    sendJson(res, 200, { ...r.counters.snapshot(), pipeline: r.store.tally, deathSubscriberQueues: DEATH_SUBSCRIBER_QUEUES });
  }
  return true;
}

async function route(req: IncomingMessage, res: ServerResponse, r: Routes, seen: { clientId?: string }): Promise<void> {
  const url = new URL(req.url ?? '/', r.late.baseUrl);
  const path = url.pathname;
  if (path === TOKEN_PATH) return tokenRoute(req, res, r, seen);
  if (ownRoute(req, res, r, path) || handlePublic(req, res, path)) return;
  const bearer = r.late.bearer!;
  const onClient = (clientId: string): void => {
    seen.clientId = clientId;
    r.counters.apiClient(clientId);
  };
  // Under the v2 route, API Gateway answers what it has no route for (V2-UNDEFINED-ROUTE-403).
  if (path.startsWith(`${DEATH_NOTIFICATION_PATHS[0]!}/`) && !DEATH_NOTIFICATION_PATHS.includes(path)) return missingAuthenticationToken(res);
  if (DEATH_NOTIFICATION_PATHS.includes(path)) {
    r.counters.apiRequest();
    return handleDeathNotification(req, res, { bearer, onClient, onAccepted: (accepted) => r.store.accept(accepted) });
  }
  if (isEventsPath(path)) {
    r.counters.apiRequest();
    const publishDelayMs = r.options.publishDelayMs ?? 0;
    return handleEvents(req, res, url, { baseUrl: r.late.baseUrl, store: r.store, bearer, clients: r.clients, onClient, publishDelayMs });
  }
  // Neither API has the path. The stand-in serves both on one host; API Gateway's answer is
  // the one a tester meets on integration (V2-UNDEFINED-ROUTE-403).
  missingAuthenticationToken(res);
}

function createHttpServer(options: StandinOptions, r: Routes, tls: StandinOptions['tls']): Server {
  const headersTimeout = options.headersTimeoutMs ?? 5_000;
  const serverOptions = {
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    headersTimeout,
    keepAliveTimeout: 5_000,
    // Node checks those timeouts only this often (30 s by default), which lets a slow client
    // hold a socket far longer than the timeouts say.
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(headersTimeout / 2))),
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const seen: { clientId?: string } = {};
    res.on('finish', () => {
      // The path only: a query string may carry whatever a caller put there, secrets included.
      const path = (req.url ?? '/').split('?')[0]!;
      options.log?.(`${req.method ?? '-'} ${path} ${res.statusCode} client=${seen.clientId ?? '-'}`);
    });
    route(req, res, r, seen).catch((err: unknown) => {
      if (err instanceof ClientHungUp) {
        options.log?.(`${req.method ?? '-'} ${(req.url ?? '/').split('?')[0]!}: the client hung up before its body ended; nothing answered`);
        return void res.destroy();
      }
      options.log?.(`internal error on ${req.method ?? '-'}: ${err instanceof Error ? err.name : 'unknown'}`);
      if (!res.headersSent) sendJson(res, 500, { status: 500, userMessage: 'Internal error in the stand-in' });
      else res.destroy();
    });
  };
  const server = tls ? createTlsServer({ ...serverOptions, ...tls }, handler) : createServer(serverOptions, handler);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

function listenOn(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const keys = await createSigningKeys();
  const clients = mergeClients(defaultClients(), options.clients ?? []);
  const counters = new Counters();
  const { store, feeds } = storeFor(options);
  const late: Routes['late'] = { baseUrl: '', issuer: '' };
  const publicHost = options.publicUrl ? new URL(options.publicUrl).hostname.replace(/^\[|\]$/g, '') : undefined;
  const hosts = [...(publicHost ? [publicHost] : []), 'localhost', '127.0.0.1', '::1'];
  const ca = options.privateCa && !options.tls ? (await import('./private-ca.js')).makePrivateCa(hosts) : undefined;
  const tls = options.tls ?? ca;
  const server = createHttpServer(options, { options, keys, clients, counters, store, late }, tls);
  const port = await listenOn(server, options.port ?? 0);
  // Handlers only run after listen(), when these are set.
  const localUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  late.baseUrl = options.publicUrl ? options.publicUrl.replace(/\/+$/, '') : localUrl;
  late.issuer = `${late.baseUrl}/${USER_POOL_ID}`;
  late.bearer = createBearerVerifier(keys, late.issuer);
  return {
    port,
    localUrl,
    baseUrl: late.baseUrl,
    tokenUrl: `${late.baseUrl}${TOKEN_PATH}`,
    issuer: late.issuer,
    jwksUrl: `${late.baseUrl}${JWKS_PATH}`,
    countersUrl: `${late.baseUrl}${COUNTERS_PATH}`,
    ...(ca ? { caCert: ca.caCert } : {}),
    counters: () => counters.snapshot(),
    store,
    resetCounters: () => counters.reset(),
    stop: () =>
      new Promise<void>((resolve) => {
        feeds?.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
