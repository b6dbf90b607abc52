import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basic, call, FORM } from './helpers/http.js';
import { runCli, startCli } from './helpers/cli.js';

describe('npm run standin (the CLI)', () => {
  it('prints its URLs and the local credentials, serves, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-clients-'));
    const file = join(dir, 'clients.json');
    writeFileSync(file, JSON.stringify([{ clientId: 'extra-client', secrets: ['extra-secret-value'], scopes: ['events/consume'] }]));
    const { child, match, output } = await startCli(['standin', '--port', '0', '--clients', file], /Ctrl-C stops it/);
    expect(match).toBeTruthy();
    const text = output();
    const baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)![1]!;
    expect(text).toContain(`token URL    ${baseUrl}/oauth2/token`);
    expect(text).toContain('local-acquirer-secret');
    expect(text).toContain('local-supplier-secret');
    expect(text).not.toContain('extra-secret-value');
    const res = await call(`${baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': FORM, Authorization: basic('extra-client', 'extra-secret-value') },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output()).toMatch(/POST \/oauth2\/token 200 client=extra-client\n[\s\S]*GDX stand-in stopped\./);
  });

  it('refuses a malformed clients file with one line and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdx-clients-'));
    const file = join(dir, 'clients.json');
    writeFileSync(file, JSON.stringify([{ clientId: 'c', secrets: ['a-secret-not-to-print'] }]));
    const bad = await runCli(['standin', '--port', '0', '--clients', file], { timeoutMs: 10_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/clients file .* is malformed: .*scopes/);
    expect(bad.stderr).not.toContain('a-secret-not-to-print');
    writeFileSync(file, '{ not json');
    expect((await runCli(['standin', '--clients', file], { timeoutMs: 10_000 })).stderr).toMatch(/is not valid JSON/);
  });

  it('says what to do when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const res = await runCli(['standin', '--port', String(port)], { timeoutMs: 10_000 });
    blocker.close();
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`error: port ${port} on 127.0.0.1 is in use: stop what uses it, or pass --port 0 for a free one\n`);
  });
});
