// One reading of the proxy variables: the runner's own requests and Newman's go the same way. Each
// row is a machine's variables and a URL; the runner's choice is written out, and Newman's
// (postman-request's getProxyFromURI, the function Newman's requests use) is read under the
// NO_PROXY the runner hands it, which must make it choose the same.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isLoopback, newmanNoProxy, proxyCredentials, proxyFor } from '../../../src/transport/proxy.js';

const require = createRequire(import.meta.url);
const getProxyFromURI = require('postman-request/lib/getProxyFromURI.js') as (uri: { hostname: string; port: string; protocol: string }) => string | null;
/** The URL as postman-request hands it over (Node's legacy parse: an IPv6 host without brackets). */
const asRequestSees = (url: string) => {
  const u = new URL(url);
  return { hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, protocol: u.protocol };
};

const P = 'http://proxy.example.invalid:8080/';
const Q = 'https://secure-proxy.example.invalid/';
type Row = [name: string, env: Record<string, string>, url: string, runner: string | undefined];
const ROWS: Row[] = [
  ['upper case first, as Newman', { HTTPS_PROXY: P, https_proxy: Q }, 'https://api.example.invalid/', P],
  ['an empty upper-case value reads as unset', { HTTPS_PROXY: '', https_proxy: Q }, 'https://api.example.invalid/', Q],
  ['an http target reads HTTP_PROXY only', { HTTPS_PROXY: Q, HTTP_PROXY: P }, 'http://api.example.invalid/', P],
  ['an https target falls back to HTTP_PROXY', { HTTP_PROXY: P }, 'https://api.example.invalid/', P],
  ['a scheme-less value is http://', { HTTPS_PROXY: 'proxy.example.invalid:8080' }, 'https://api.example.invalid/', P],
  ['NO_PROXY by suffix', { HTTPS_PROXY: P, NO_PROXY: 'example.invalid' }, 'https://api.example.invalid/', undefined],
  ['NO_PROXY with a leading dot', { HTTPS_PROXY: P, NO_PROXY: '.example.invalid' }, 'https://api.example.invalid/', undefined],
  ['NO_PROXY, not a mere string suffix', { HTTPS_PROXY: P, NO_PROXY: 'ample.invalid' }, 'https://api.example.invalid/', P],
  ['NO_PROXY with a port that differs', { HTTPS_PROXY: P, NO_PROXY: 'api.example.invalid:8443' }, 'https://api.example.invalid/', P],
  ['an empty NO_PROXY does not hide no_proxy', { HTTPS_PROXY: P, NO_PROXY: '', no_proxy: 'api.example.invalid' }, 'https://api.example.invalid/', undefined],
  ['NO_PROXY=*', { HTTPS_PROXY: P, NO_PROXY: '*' }, 'https://api.example.invalid/', undefined],
  ['loopback is always direct: 127.0.0.1', { HTTP_PROXY: P, HTTPS_PROXY: P }, 'http://127.0.0.1:4010/oauth2/token', undefined],
  ['loopback is always direct: 127.8.9.10', { HTTP_PROXY: P }, 'http://127.8.9.10:4010/', undefined],
  ['loopback is always direct: localhost', { HTTP_PROXY: P }, 'http://localhost:4010/', undefined],
  ['a CIDR entry', { HTTPS_PROXY: P, NO_PROXY: '192.0.2.0/24' }, 'https://192.0.2.7/', undefined],
  ['a CIDR entry that does not cover it', { HTTPS_PROXY: P, NO_PROXY: '192.0.2.0/24' }, 'https://198.51.100.7/', P],
  ['an IPv6 entry, bracketed, for a name target', { HTTPS_PROXY: P, NO_PROXY: '[2001:db8::1]' }, 'https://api.example.invalid/', P],
  ['an exact IP entry', { HTTPS_PROXY: P, NO_PROXY: '192.0.2.7' }, 'https://192.0.2.7/', undefined],
  ['nothing set', {}, 'https://api.example.invalid/', undefined],
];

/** What Newman chooses for `url`, with the process's variables as given. */
function newmanChoice(env: Record<string, string>, url: string): string | undefined {
  const saved = { ...process.env };
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) Reflect.deleteProperty(process.env, k);
  Object.assign(process.env, env);
  try {
    const chosen = getProxyFromURI(asRequestSees(url));
    return chosen ? new URL(chosen.includes('://') ? chosen : `http://${chosen}`).href : undefined;
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) Reflect.deleteProperty(process.env, k);
    Object.assign(process.env, saved);
  }
}

describe('which proxy, the runner and Newman alike', () => {
  for (const [name, env, url, runner] of ROWS) {
    it(name, () => {
      expect(proxyFor(url, env)?.url.href).toBe(runner);
      expect(newmanChoice({ ...env, ...newmanNoProxy([url], env) }, url)).toBe(runner);
    });
  }

  it('Newman alone would send this machine to the proxy: the NO_PROXY handed to it is what keeps it off', () => {
    expect(newmanChoice({ HTTP_PROXY: P }, 'http://127.0.0.1:4010/oauth2/token')).toBe(P);
    expect(newmanNoProxy(['http://127.0.0.1:4010/oauth2/token', 'https://api.example.invalid/'], { HTTP_PROXY: P, NO_PROXY: 'corp.example.invalid' })).toEqual({
      NO_PROXY: 'corp.example.invalid,127.0.0.1',
      no_proxy: 'corp.example.invalid,127.0.0.1',
    });
    expect(() => newmanNoProxy(['http://[::1]:4010/'], { HTTP_PROXY: P })).toThrow(
      'is an IPv6 address, and with a proxy variable set Newman would send it to the proxy',
    );
  });

  it('this machine, written out', () => {
    for (const h of ['127.0.0.1', '127.255.0.9', 'localhost', 'LOCALHOST', '[::1]', '::1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['127.0.0.1.example.invalid', 'localhost.example.invalid', 'a.localhost', '192.0.2.127', '::2', '0.0.0.0'])
      expect(isLoopback(h), h).toBe(false);
  });

  it('knows every proxy password for the redactor, however the variable is written', () => {
    expect(proxyCredentials({ HTTPS_PROXY: 'alice:pa%3Ass@127.0.0.1:3128' })).toEqual([
      { user: 'alice', password: 'pa%3Ass' },
      { user: 'alice', password: 'pa:ss' },
    ]);
    // A percent sign that does not decode is kept as written, not skipped.
    expect(proxyCredentials({ http_proxy: 'http://bob:100%wrong@127.0.0.1:3128' })).toEqual([
      { user: 'bob', password: '100%wrong' },
      { user: 'bob', password: '100%wrong' },
    ]);
  });
});
