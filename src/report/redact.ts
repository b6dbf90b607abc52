// The one redactor: every byte the runner prints or writes passes through it. It knows the secrets
// of the run (client secrets, Basic credentials, every access token seen) in each form they can
// take on the way out: raw, URL- and form-encoded, Base64 and Base64url, HTML- and JSON-escaped.
import { formEncode } from '../transport/basic-auth.js';

export const REDACTED = '[REDACTED]';
const MIN_SECRET_LENGTH = 4;
// A JWT, or the start of one that a truncating message kept: its header always begins eyJ.
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function htmlEscapeAlt(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#x27;');
}

/** Every character (or every one but letters and digits) as a JSON \u escape, in either case. */
function unicodeEscaped(value: string, all: boolean): string[] {
  const escape = (upper: boolean) =>
    Array.from(value)
      .map((c) => {
        if (!all && /[A-Za-z0-9]/.test(c)) return c;
        const code = c.codePointAt(0)!;
        if (code > 0xffff) return c;
        const hex = code.toString(16).padStart(4, '0');
        return `\\u${upper ? hex.toUpperCase() : hex}`;
      })
      .join('');
  return [escape(false), escape(true)];
}

/** Every form a value can take in a log line, a report or a URL. */
export function encodedForms(value: string): string[] {
  const b64 = Buffer.from(value, 'utf8').toString('base64');
  // Postman encodes form bodies strictly: !'()* percent-encoded, and a space as %20.
  const strict = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const jsonEscaped = JSON.stringify(value).slice(1, -1);
  return [
    value,
    encodeURIComponent(value),
    strict,
    formEncode(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    encodeURI(value),
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(value, 'utf8').toString('base64url'),
    htmlEscape(value),
    htmlEscapeAlt(value),
    jsonEscaped,
    // A server that puts a JSON-escaped text into JSON again (an error message quoting a body).
    JSON.stringify(jsonEscaped).slice(1, -1),
    htmlEscape(jsonEscaped),
    // JSON writers that escape "/" (PHP, some Java) and those that escape by code point.
    jsonEscaped.replace(/\//g, '\\/'),
    ...unicodeEscaped(value, false),
    ...unicodeEscaped(value, true),
    // Percent-encoding in lower case (RFC 3986 allows either), and with every byte encoded.
    ...[encodeURIComponent(value), strict, formEncode(value)].map((f) => f.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())),
    ...everyBytePercentEncoded(value),
  ];
}

function everyBytePercentEncoded(value: string): string[] {
  const hex = [...Buffer.from(value, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
  return [hex.map((h) => `%${h}`).join(''), hex.map((h) => `%${h.toUpperCase()}`).join('')];
}

export class Redactor {
  private forms: string[] = [];

  /** A client secret: also its Basic credential with the client id, in both RFC 6749 encodings. */
  addClient(clientId: string, clientSecret: string): void {
    this.add(clientSecret);
    if (clientSecret === '') return;
    this.add(`${clientId}:${clientSecret}`);
    this.add(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
    this.add(`${formEncode(clientId)}:${formEncode(clientSecret)}`);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    const fresh = encodedForms(secret).filter((f) => f.length >= MIN_SECRET_LENGTH && !this.forms.includes(f));
    if (fresh.length === 0) return;
    // Longest first, so that a Basic credential goes whole before the secret inside it.
    this.forms = [...this.forms, ...fresh].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out.replace(JWT_LIKE, '[REDACTED JWT]');
  }
}

/** The process's redactor: the commands feed it, and the last-resort error handler uses it too. */
export const processRedactor = new Redactor();
