// V1-PUBLIC (config/ResourceServerConfiguration.kt permittedFilterChain, healthFilterChain): what
// the v1 service answers without a token. /health is what the load balancer and StatusCake poll;
// /v3/api-docs is springdoc's live OpenAPI, given here as a summary of the two routes a tester
// calls. /swagger-ui.html (an HTML page) is left out on purpose.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify } from 'yaml';
import { sendEmpty, sendJson } from './http.js';

const API_DOCS = {
  openapi: '3.0.1',
  info: {
    title: 'GDX Data Share Platform (local stand-in)',
    description: 'A summary of the events API v1 that the local stand-in serves; the real document lists every operation.',
    version: 'stand-in',
  },
  paths: {
    '/events': {
      get: { operationId: 'getEvents', summary: 'Event notifications for this acquirer, oldest first', security: [{ bearerAuth: [] }] },
      post: { operationId: 'publishEvent', summary: 'Publish an event (suppliers)', security: [{ bearerAuth: [] }] },
    },
    '/events/{id}': {
      get: { operationId: 'getEvent', summary: 'One event with its data', security: [{ bearerAuth: [] }] },
      delete: { operationId: 'deleteEvent', summary: 'Acknowledge (remove) an event', security: [{ bearerAuth: [] }] },
    },
  },
  components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
};

const ANSWERS: Readonly<Record<string, (res: ServerResponse) => void>> = {
  '/health': (res) => sendJson(res, 200, { status: 'UP' }, {}, 'application/vnd.spring-boot.actuator.v3+json'),
  '/info': (res) => sendJson(res, 200, {}, {}, 'application/vnd.spring-boot.actuator.v3+json'),
  '/v3/api-docs': (res) => sendJson(res, 200, API_DOCS),
  '/v3/api-docs.yaml': (res) => {
    const text = stringify(API_DOCS);
    res.writeHead(200, { 'Content-Type': 'application/vnd.oai.openapi', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  },
};

/** Answers a public path and returns true; false for any other path. */
export function handlePublic(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const answer = ANSWERS[path];
  if (!answer) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') sendEmpty(res, 405, { Allow: 'GET' });
  else answer(res);
  return true;
}
