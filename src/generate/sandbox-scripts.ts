// The Postman scripts the generator puts into the collections, each a file of src/sandbox/ named
// for what it is in Postman (a pre-request or a post-response script), and the library they share.
export const SANDBOX_SCRIPTS = [
  'token.pre-request',
  'once-per-run.pre-request',
  'correlation-id.pre-request',
  'token-response.post-response',
  'oauth-error.post-response',
  'api-data-problem.post-response',
  'api-response.post-response',
  'api-remember-events.post-response',
  'guard.pre-request',
  'guard.post-response',
] as const;

export type SandboxScript = (typeof SANDBOX_SCRIPTS)[number];

/** Functions shared by scripts: each script carries the ones it calls (library.ts). */
export const SANDBOX_LIBRARY = 'library';
