// The one redactor, as a pure function.
import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../src/report/redact.js';

describe('the redactor', () => {
  it('removes a secret in raw, URL-encoded, Base64 and JSON-escaped forms, and the Basic credential whole', () => {
    const r = new Redactor();
    r.addClient('my-client', 'p@ss/w"rd+1');
    const basic = Buffer.from('my-client:p@ss/w"rd+1').toString('base64');
    const text = ['raw p@ss/w"rd+1', 'url p%40ss%2Fw%22rd%2B1', `basic ${basic}`, 'json p@ss/w\\"rd+1'].join('\n');
    expect(r.redact(text)).toBe([`raw ${REDACTED}`, `url ${REDACTED}`, `basic ${REDACTED}`, `json ${REDACTED}`].join('\n'));
  });

  it('removes a secret echoed as JSON with \\/ or \\u00xx escapes, or percent-encoded in lower case or byte by byte', () => {
    const r = new Redactor();
    r.add('p@ss/w rd+1');
    const echoes = [
      'p@ss\\/w rd+1',
      'p\\u0040ss\\u002fw\\u0020rd\\u002b1',
      'p\\u0040ss\\u002Fw\\u0020rd\\u002B1',
      '\\u0070\\u0040\\u0073\\u0073\\u002f\\u0077\\u0020\\u0072\\u0064\\u002b\\u0031',
      'p%40ss%2fw%20rd%2b1',
      'p%40ss%2fw+rd%2b1',
      '%70%40%73%73%2f%77%20%72%64%2b%31',
      '%70%40%73%73%2F%77%20%72%64%2B%31',
    ];
    for (const echo of echoes) expect(r.redact(`{"error":"${echo}"}`), echo).toBe(`{"error":"${REDACTED}"}`);
  });

  it('leaves short values alone and redacts anything shaped like a JWT', () => {
    const r = new Redactor();
    r.add('abc');
    expect(r.redact('abc eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe('abc [REDACTED JWT]');
  });
});
