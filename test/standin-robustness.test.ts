import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_CLIENTS } from '../src/config/environments.js';
import { startStandin, type Standin } from '../src/standin/server.js';
import { basic, call, FORM, token } from './helpers/http.js';

let standin: Standin;
beforeAll(async () => {
  standin = await startStandin({ headersTimeoutMs: 500, requestTimeoutMs: 1000 });
});
afterAll(() => standin.stop());

const ACQ = LOCAL_CLIENTS.acquirer;

async function stillServes(): Promise<void> {
  const res = await call(standin.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': FORM, Authorization: basic(ACQ.clientId, ACQ.clientSecret) },
    body: 'grant_type=client_credentials',
  });
  expect(res.status).toBe(200);
}

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(standin.port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves with what the server wrote before it closed the connection. */
function closed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString()));
    socket.on('close', () => resolve(data));
  });
}

describe('the stand-in under slow, abandoned and broken clients', () => {
  it('closes a connection whose headers never finish, and keeps serving meanwhile', async () => {
    const socket = await open();
    const done = closed(socket);
    socket.write('POST /oauth2/token HTTP/1.1\r\nHost: x\r\n');
    await stillServes();
    const started = Date.now();
    const answer = await done;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer === '' || answer.startsWith('HTTP/1.1 408') || answer.startsWith('HTTP/1.1 400')).toBe(true);
  });

  it('closes a connection whose body never finishes', async () => {
    const socket = await open();
    const done = closed(socket);
    socket.write(`POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 100\r\n\r\ngrant_type=`);
    await stillServes();
    await done;
  });

  it('survives a client that hangs up mid-body, and tells that from an oversized body (no 413, no 500)', async () => {
    const lines: string[] = [];
    const logged = await startStandin({ log: (l) => lines.push(l) });
    try {
      const jwt = await token(logged.tokenUrl, LOCAL_CLIENTS.supplier.clientId, LOCAL_CLIENTS.supplier.clientSecret);
      lines.length = 0;
      for (const path of ['/oauth2/token', '/events', '/events/deathNotification']) {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(logged.port, '127.0.0.1', () => resolve(s));
          s.on('error', reject);
        });
        const type = path === '/oauth2/token' ? FORM : 'application/json';
        // The hang-up must come after the stand-in's handler has the request, and no event says
        // when that is: a pause before the action, never before an assertion.
        socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${jwt}\r\nContent-Type: ${type}\r\nContent-Length: 1000\r\n\r\n{"event`);
        await new Promise((r) => setTimeout(r, 100));
        const before = lines.length;
        socket.destroy();
        // The event: the stand-in's log line for this hang-up.
        await vi.waitFor(() => expect(lines.length).toBeGreaterThan(before), { timeout: 5_000, interval: 20 });
      }
      expect(lines).toEqual([
        'POST /oauth2/token: the client hung up before its body ended; nothing answered',
        'POST /events: the client hung up before its body ended; nothing answered',
        'POST /events/deathNotification: the client hung up before its body ended; nothing answered',
      ]);
    } finally {
      await logged.stop();
    }
    await stillServes();
  });

  it('answers 400 to garbage that is not HTTP', async () => {
    const socket = await open();
    const done = closed(socket);
    socket.write('\x00\x01 this is not http\r\n\r\n');
    expect(await done).toMatch(/^HTTP\/1\.1 400/);
    await stillServes();
  });

  it("refuses an API body over the limit without reading it: the v1 WAF's 403 page, 413 on v2", async () => {
    const sup = LOCAL_CLIENTS.supplier;
    const jwt = await token(standin.tokenUrl, sup.clientId, sup.clientSecret);
    for (const [path, status] of [
      ['/events', 403],
      ['/events/deathNotification', 413],
    ] as const) {
      const res = await call(`${standin.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${jwt}` },
        body: JSON.stringify({ eventType: 'DEATH_NOTIFICATION', id: 'x', pad: 'x'.repeat(300_000) }),
      });
      expect(res.status, path).toBe(status);
    }
    await stillServes();
  });
});
