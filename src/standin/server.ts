import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createBearerVerifier } from './bearer.js';
import { defaultClients, mergeClients, type ClientConfig } from './clients.js';
import { Counters, type CounterSnapshot } from './counters.js';
import { DEATH_NOTIFICATION_PATH, handleDeathNotification, missingAuthenticationToken } from './death-notification-api.js';
import { handleEvents } from './events-api.js';
import { sendEmpty, sendJson } from './http.js';
import { createSigningKeys } from './keys.js';
import { EventStore } from './store.js';
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
  seed?: boolean;
  /** How long a slow or silent client may hold a connection (tests shorten these). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Serve HTTPS with this key and certificate (PEM), to test TLS handling. */
  tls?: { key: string; cert: string };
  /** Told of every access token issued: tests use it to hunt for leaks. Never logged. */
  onTokenIssued?: (accessToken: string) => void;
  /** How long a published v1 event takes to reach acquirers' queues (the real fan-out is
   * asynchronous, seconds); 0 by default, so that a local run is quick. */
  publishDelayMs?: number;
}

export interface Standin {
  port: number;
  baseUrl: string;
  tokenUrl: string;
  issuer: string;
  jwksUrl: string;
  countersUrl: string;
  counters(): CounterSnapshot;
  resetCounters(): void;
  /** What runs published and acknowledged, by event type, and the v2 records accepted. */
  store: Pick<EventStore, 'tally' | 'deathNotifications'>;
  stop(): Promise<void>;
}

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const keys = await createSigningKeys();
  const clients = mergeClients(defaultClients(), options.clients ?? []);
  const counters = new Counters();
  const store = new EventStore(options.seed ?? true);
  const defaultValiditySeconds = options.tokenValiditySeconds ?? 3600;
  // Filled in once the port is known; handlers only run after listen().
  const urls = { baseUrl: '', issuer: '' };
  let bearer: ReturnType<typeof createBearerVerifier>;

  async function route(req: IncomingMessage, res: ServerResponse, seen: { clientId?: string }): Promise<void> {
    const url = new URL(req.url ?? '/', urls.baseUrl);
    const path = url.pathname;
    if (path === TOKEN_PATH) {
      counters.tokenRequest();
      res.setHeader('x-amz-cognito-request-id', randomUUID());
      return handleToken(req, res, {
        clients,
        keys,
        issuer: urls.issuer,
        defaultValiditySeconds,
        ...(options.onTokenIssued ? { onTokenIssued: options.onTokenIssued } : {}),
        onClient: (clientId, issued) => {
          seen.clientId = clientId;
          counters.tokenClient(clientId, issued);
        },
      });
    }
    if (path === JWKS_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendEmpty(res, 405, { Allow: 'GET' });
      return sendJson(res, 200, keys.jwks);
    }
    if (path === COUNTERS_PATH) {
      if (req.method === 'DELETE') {
        counters.reset();
        return sendEmpty(res, 204);
      }
      return sendJson(res, 200, counters.snapshot());
    }
    const onClient = (clientId: string): void => {
      seen.clientId = clientId;
      counters.apiClient(clientId);
    };
    if (path === DEATH_NOTIFICATION_PATH) {
      counters.apiRequest();
      return handleDeathNotification(req, res, { store, bearer, onClient });
    }
    if (path === '/events' || path.startsWith('/events/')) {
      counters.apiRequest();
      const publishDelayMs = options.publishDelayMs ?? 0;
      if (await handleEvents(req, res, url, { baseUrl: urls.baseUrl, store, bearer, clients, onClient, publishDelayMs })) return;
    }
    // Neither API has the path. The stand-in serves both on one host; API Gateway's answer is
    // the one a tester meets on integration (V2-UNDEFINED-ROUTE-403).
    missingAuthenticationToken(res);
  }

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
      const path = (req.url ?? '/').split('?')[0];
      options.log?.(`${req.method} ${path} ${res.statusCode} client=${seen.clientId ?? '-'}`);
    });
    route(req, res, seen).catch((err: unknown) => {
      options.log?.(`internal error on ${req.method}: ${err instanceof Error ? err.name : 'unknown'}`);
      if (!res.headersSent) sendJson(res, 500, { status: 500, userMessage: 'Internal error in the stand-in' });
      else res.destroy();
    });
  };
  const server = options.tls ? createTlsServer({ ...serverOptions, ...options.tls }, handler) : createServer(serverOptions, handler);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  urls.baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  urls.issuer = `${urls.baseUrl}/${USER_POOL_ID}`;
  bearer = createBearerVerifier(keys, urls.issuer);

  return {
    port,
    baseUrl: urls.baseUrl,
    tokenUrl: `${urls.baseUrl}${TOKEN_PATH}`,
    issuer: urls.issuer,
    jwksUrl: `${urls.baseUrl}${JWKS_PATH}`,
    countersUrl: `${urls.baseUrl}${COUNTERS_PATH}`,
    counters: () => counters.snapshot(),
    store,
    resetCounters: () => counters.reset(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
