// How a client of the token endpoint behaves: what to do about each refusal (RFC 6749 section
// 5.2 error codes), how long a failure stands, and how a 429 is retried. One table: the generator
// puts it into the collections' token script, and the runner and `npm run token` use it for what
// they see themselves.
export const OAUTH_HINTS: Readonly<Record<string, string>> = {
  invalid_client: 'the client id or secret is wrong for this environment; check clientId and clientSecret',
  invalid_scope: 'the client may not have the scope in the scope variable; clear scope or correct it',
  unauthorized_client: 'this client may not use the client credentials grant; ask the GDX team to enable it',
  invalid_grant: "this client's OAuth flows are switched off; ask the GDX team to enable them",
  invalid_request: 'the token request was malformed; regenerate or re-import the collection',
  unsupported_grant_type: 'the token request was malformed; regenerate or re-import the collection',
};

export const UNKNOWN_REFUSAL_HINT = 'see the GDX guide';

/** Cognito bills and rate-limits every token request: how long a failure is remembered (asking
 * again when an input changes), and how a 429 is retried. */
export const TOKEN_POLICY = {
  /** A refusal (invalid_client, ...) stands this long. */
  refusalMs: 10 * 60 * 1000,
  /** No answer, HTML, a 5xx or a 429 after its retries stand this long (at least). */
  transientMs: 30 * 1000,
  /** A 429's Retry-After is waited out when it is at most this long ... */
  retryWaitMaxMs: 10 * 1000,
  /** ... at most this many times ... */
  retryBudget: 2,
  /** ... in this window. */
  retryWindowMs: 10 * 60 * 1000,
} as const;

/** The one-line cause of a refusal, as the token script words it. */
export function refusalMessage(host: string, status: number, error: string): string {
  return `GDX token: ${host} answered ${status} ${error}: ${OAUTH_HINTS[error] ?? UNKNOWN_REFUSAL_HINT}`;
}
