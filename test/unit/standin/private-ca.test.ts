// The private CA's certificates are DER that OpenSSL accepts, whatever the random serial: a
// serial whose first random byte was 0 once made a certificate Node could not load.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makePrivateCa, serialHex } from '../../../src/standin/private-ca.js';

describe('the private CA', () => {
  it('makes serials positive and minimal: the first byte 0x01 to 0x7f, whatever the random bytes', () => {
    expect(serialHex(Buffer.from('0000000000000001', 'hex'))).toBe('0100000000000001');
    expect(serialHex(Buffer.from('003a434ae36b6e2b', 'hex'))).toBe('013a434ae36b6e2b');
    expect(serialHex(Buffer.from('ff00000000000000', 'hex'))).toBe('7f00000000000000');
    expect(serialHex(Buffer.from('8000000000000000', 'hex'))).toBe('0100000000000000');
    expect(serialHex(Buffer.from('5a5a5a5a5a5a5a5a', 'hex'))).toBe('5b5a5a5a5a5a5a5a');
  });

  it('writes a CA and a server certificate that Node (OpenSSL) reads, the serial as written', () => {
    const ca = makePrivateCa(['gdx.example.test']);
    const server = new X509Certificate(ca.cert);
    expect(server.serialNumber).toMatch(/^[0-7][0-9A-F]{15}$/);
    expect(server.checkIssued(new X509Certificate(ca.caCert))).toBe(true);
    expect(ca.caSubject).toBe('CN=GDX stand-in private CA, O=GDX Data Share toolkit (test only)');
  });
});
