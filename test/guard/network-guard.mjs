// The suite's network guard, loaded into every Node process the tests start (vitest's workers by
// setup-network-guard.ts; the CLIs, Newman and Bruno through NODE_OPTIONS=--import, set in
// global-setup.ts). A socket may connect only to loopback (127.0.0.0/8, ::1), to localhost, or to
// a reserved name (RFC 2606 and 6761: .invalid, .test, .example, .localhost), whose lookup must
// then answer loopback too. Anything else is refused before a byte or a DNS query leaves, with
// ECONNREFUSED, and written to GDX_TEST_NETWORK_LOG, which fails the test file that caused it.
// Plain JavaScript: it loads before any TypeScript loader can.
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

const MARK = Symbol.for('gdx.network-guard');

const RESERVED = /(^|\.)(invalid|test|example|localhost)\.?$/i;

export function isLoopbackAddress(address) {
  const a = String(address).replace(/^\[|\]$/g, '');
  if (net.isIPv4(a)) return a.split('.')[0] === '127';
  if (net.isIPv6(a)) return a === '::1' || /^::ffff:127\./i.test(a) || /^0:0:0:0:0:0:0:1$/.test(a);
  return false;
}

/** Whether a host may be tried at all: loopback, localhost, or a name that can never be a real host. */
export function mayTry(host) {
  const h = String(host).replace(/^\[|\]$/g, '');
  if (net.isIP(h)) return isLoopbackAddress(h);
  return h.toLowerCase() === 'localhost' || RESERVED.test(h);
}

function refusal(host, port) {
  const where = port === undefined ? String(host) : `${host}:${port}`;
  const file = process.env.GDX_TEST_NETWORK_LOG;
  const who = process.argv.slice(1, 3).join(' ');
  if (file) {
    try {
      appendFileSync(file, `${where} (process ${process.pid}: ${who})\n`);
    } catch {
      // The log's folder is gone when the run is over: the refusal itself still stands.
    }
  }
  const error = new Error(`network guard: ${where} is not loopback; tests reach only 127.0.0.1, ::1 and names that resolve there`);
  error.code = 'ECONNREFUSED';
  return error;
}

/** A lookup that lets a reserved name through only when every address it gives is loopback. */
function guardedLookup(original, host, port) {
  return (hostname, options, callback) => {
    const cb = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? {} : options;
    (original ?? dns.lookup)(hostname, opts, (err, address, family) => {
      if (err) return cb(err);
      const all = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (all.some((a) => !isLoopbackAddress(a))) return cb(refusal(host, port));
      cb(null, address, family);
    });
  };
}

if (!globalThis[MARK]) {
  globalThis[MARK] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    // net.createConnection passes its normalised [options, callback] array; tls passes (options, cb).
    const normalised = Array.isArray(args[0]);
    const options = normalised ? args[0][0] : typeof args[0] === 'object' && args[0] !== null ? args[0] : undefined;
    let host;
    let port;
    if (options) {
      if (options.path) return connect.apply(this, args);
      host = options.host ?? 'localhost';
      port = options.port;
    } else if (typeof args[0] === 'string' && Number.isNaN(Number(args[0]))) {
      return connect.apply(this, args); // a pipe or a Unix socket path
    } else {
      port = args[0];
      host = typeof args[1] === 'string' ? args[1] : 'localhost';
    }
    if (!mayTry(host)) {
      const error = refusal(host, port);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    if (!net.isIP(String(host).replace(/^\[|\]$/g, '')) && options) {
      const guarded = { ...options, lookup: guardedLookup(options.lookup, host, port) };
      if (normalised) args[0][0] = guarded;
      else args[0] = guarded;
    }
    return connect.apply(this, args);
  };

  // Lookups the code makes itself (doctor's DNS line): a name no test may resolve is refused
  // before the query leaves this machine.
  const lookup = dns.lookup;
  dns.lookup = function guardedDnsLookup(hostname, options, callback) {
    const cb = typeof options === 'function' ? options : callback;
    if (!mayTry(hostname)) return process.nextTick(() => cb(refusal(hostname, undefined)));
    return lookup.call(this, hostname, options, callback);
  };
  const lookupPromise = dns.promises.lookup;
  dns.promises.lookup = async function guardedPromiseLookup(hostname, options) {
    if (!mayTry(hostname)) throw refusal(hostname, undefined);
    return lookupPromise.call(this, hostname, options);
  };
  syncBuiltinESMExports();
}
