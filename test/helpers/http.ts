export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

/** fetch with a timeout, so a broken server fails a test instead of hanging it. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}

export const FORM = 'application/x-www-form-urlencoded';

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export async function token(tokenUrl: string, clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const res = await call(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': FORM, Authorization: basic(clientId, clientSecret) },
    body: form({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  if (res.status !== 200) throw new Error(`token request answered ${res.status}: ${res.text}`);
  return (res.json() as { access_token: string }).access_token;
}
