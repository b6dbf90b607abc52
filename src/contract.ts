// The one contract across the sandbox boundary, both directions, imported by the generator and
// the runner alike. Generator to scripts: the typed configuration each script is given as `GDX`.
// Scripts to runner: every outcome the runner acts on travels as one console line, OUTCOME_PREFIX
// and JSON, parsed here and nowhere else. The messages beside them are for people only: no code
// reads them, so rewording one changes no exit code.
import type { Expectation, OptIn } from './catalogue.js';
import type { SchemaName } from './schema-registry.js';
import type { TOKEN_POLICY } from './token-policy.js';

/** Starts every outcome line; the generator writes it into each script's configuration. */
export const OUTCOME_PREFIX = 'GDX outcome ';

/** Why no token could be had. */
export type TokenFailureCause = 'input' | 'remembered' | 'unreachable' | 'refused' | 'rate-limited' | 'not-a-token' | 'opaque' | 'redirected' | 'script';

export type Outcome =
  /** No token: every later request would fail the same way (exit 3). `message` is for people. */
  | { kind: 'token-failure'; cause: TokenFailureCause; message: string }
  /** A request not sent, and why (for people). `said`: the console line printed beside it. */
  | { kind: 'skip'; folder: string; request: string; reason: string; said?: string }
  /** "Find a test event": whether the queue held one. */
  | { kind: 'test-event'; found: boolean }
  /** The platform lost the record behind an event: its problem, not the tester's connection. */
  | { kind: 'data-problem'; event: string; message: string; said?: string }
  /** The CorrelationID a request carried into the platform's audit trail. */
  | { kind: 'correlation-id'; id: string; said?: string };

const KINDS: Readonly<Record<Outcome['kind'], readonly string[]>> = {
  'token-failure': ['cause', 'message'],
  skip: ['folder', 'request', 'reason'],
  'test-event': ['found'],
  'data-problem': ['event', 'message'],
  'correlation-id': ['id'],
};

/** The outcome a console line carries, or undefined for a line for people. */
export function parseOutcome(line: string): Outcome | undefined {
  if (!line.startsWith(OUTCOME_PREFIX)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line.slice(OUTCOME_PREFIX.length));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in KINDS)) return undefined;
  const fields = KINDS[kind as Outcome['kind']];
  return fields.every((f) => f in value) ? (value as Outcome) : undefined;
}

/** What every script that reports outcomes is given. */
interface Reporting {
  outcome: typeof OUTCOME_PREFIX;
}

/** The folder's token script (token.pre-request.js). */
export interface TokenScriptConfig extends Reporting {
  folder: string;
  scope: string | null;
  /** What each request needs from an earlier one, by request name. */
  needs: Record<string, { variable: string; why: string }>;
  optIn: OptIn | null;
  hints: Readonly<Record<string, string>>;
  unknownHint: string;
  policy: typeof TOKEN_POLICY;
  /** The hosts of the platform's own APIs: a token URL there would hand them the client secret. */
  apiHosts: readonly string[];
}

/** The collection's guard (guard.pre-request.js, guard.post-response.js), which every request passes. */
export interface GuardConfig extends Reporting {
  /** The folder that may send the one record other departments receive, and how it is armed. */
  optIn: (OptIn & { folder: string }) | null;
  /** What that record must match before it is sent: else it is dead-lettered after the 201. */
  deliverableSchemaName?: SchemaName;
  deliverableSchema?: object;
  /** The event variables requests wait for, and why a request naming an empty one is held back. */
  needs: Record<string, string>;
  /** Whether the API has test events: a DELETE of an event is then sent only when the service,
   * asked by the guard at that moment, says it is a TEST_EVENT. */
  testEvents: boolean;
  /** The hosts of the platform's own APIs: a token request is never one sent there. */
  apiHosts: readonly string[];
}

/** An API request's checks (api-response.post-response.js and its parts). */
export interface ApiCheckConfig extends Reporting {
  expect: Expectation;
  schemaName?: SchemaName;
  schema?: object;
  requestSchemaName?: SchemaName;
  requestSchema?: object;
  deliverableSchemaName?: SchemaName;
  deliverableSchema?: object;
}

/** A seed token request's checks (token-response.post-response.js). */
export interface TokenAnswerConfig {
  method: 'client_secret_post' | 'client_secret_basic';
  schemaName: SchemaName;
  schema: object;
}

/** A refusal's checks (oauth-error.post-response.js). */
export interface OAuthErrorConfig {
  error: string;
  schemaName: SchemaName;
  schema: object;
}

/** The scripts that only report (once-per-run.pre-request.js, correlation-id.pre-request.js). */
export type ReportingConfig = Reporting;
