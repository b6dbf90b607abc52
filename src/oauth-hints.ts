// What to do about each refusal of the token endpoint (RFC 6749 section 5.2 error codes). One
// table: the generator puts it into the collections' token script, and the runner and
// `npm run token` use it for the refusals they see themselves.
export const OAUTH_HINTS: Readonly<Record<string, string>> = {
  invalid_client: 'the client id or secret is wrong for this environment; check clientId and clientSecret',
  invalid_scope: 'the client may not have the scope in the scope variable; clear scope or correct it',
  unauthorized_client: 'this client may not use the client credentials grant; ask the GDX team to enable it',
  invalid_grant: "this client's OAuth flows are switched off; ask the GDX team to enable them",
  invalid_request: 'the token request was malformed; regenerate or re-import the collection',
  unsupported_grant_type: 'the token request was malformed; regenerate or re-import the collection',
};

export const UNKNOWN_REFUSAL_HINT = 'see the GDX onboarding guide';

/** The one-line cause of a refusal, as the token script words it. */
export function refusalMessage(host: string, status: number, error: string): string {
  return `GDX token: ${host} answered ${status} ${error}: ${OAUTH_HINTS[error] ?? UNKNOWN_REFUSAL_HINT}`;
}
