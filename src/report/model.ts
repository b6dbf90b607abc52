// The run's own report model: what every reporter (console, JUnit, JSON, HTML, github) renders.
// The engine builds it from what Newman recorded (run/reading.ts); nothing here prints or writes,
// and nothing here knows the engine.

/** An answer that does not match its schema (the runner's ajv check). */
export interface SchemaFailure {
  request: string;
  status?: number;
  pointer: string;
  /** What is wrong there, with what was received and what the schema expects, in words. */
  message: string;
  /** What the schema expects there (the allowed values, the type, the property). */
  expected?: string;
  /** What the answer had there: a short excerpt, redacted on output. */
  received?: string;
}

/** What the runner found checking one access token. */
export interface TokenCheck {
  request: string;
  problems: string[];
  scopes: string[];
}

/** A folder the plan left out, and why. */
export interface SkippedFolder {
  folder: string;
  reason: string;
}

/** An environment of --env all that was not run, and why. */
export interface SkippedEnvironment {
  environment: string;
  reason: string;
}

/** How a report names one client's run: environment (client id, role). */
export function clientLabel(r: RunReport): string {
  return `${r.environment} (${r.clientId}${r.role ? `, ${r.role}` : ''})`;
}

export interface ExecutionReport {
  iteration: number;
  folder: string;
  name: string;
  skipped: boolean;
  skipReason?: string;
  /** Not sent for want of a token (the run's fatal line says why). */
  noToken?: boolean;
  method?: string;
  url?: string;
  status?: number;
  responseTimeMs?: number;
  assertions: { name: string; error?: string }[];
  schemaFailures: SchemaFailure[];
  errors: string[];
  /** A bounded excerpt of a failed request's answer, for diagnosis (redacted on output). */
  responseExcerpt?: string;
}

export interface RunReport {
  environment: string;
  clientId: string;
  role?: string;
  tokenUrl: string;
  baseUrl: string;
  /** The flag or variable a URL came from, when it is not the environment table's. */
  tokenUrlFrom?: string;
  baseUrlFrom?: string;
  /** Sent as the CorrelationID header to the death-notification API: one a run, to quote to GDX. */
  correlationId: string;
  startedAt: string;
  durationMs: number;
  /** What the run counted of its requests as each completed: a long run keeps these, and no list
   * of its requests (the reporters that render every one keep their own, from executionDone). */
  counts: ExecutionCounts;
  /** The first FAILED_KEPT failed requests, whole (their excerpts bounded and redacted), for the
   * reporters that list failures once the run is done; how many more failed, beside them. */
  failedExecutions: ExecutionReport[];
  failedExecutionsLeftOut: number;
  skippedFolders: SkippedFolder[];
  tokenChecks: TokenCheck[];
  tokenRequests: number;
  tokensIssued: number;
  /** Problems with the platform's own data (an event whose record is gone), with the event: not a
   * failure of the tester's connection, but worth telling the GDX team. */
  dataProblems: string[];
  /** The local stand-in only: what it did after answering 201, which on a real environment a
   * tester cannot see: v1 events lost, v2 records dead-lettered (each would page the platform team). */
  afterAccepted?: { dropped: number; deadLettered: number; details: string[] };
  /** This machine's clock minus the token endpoint's, in ms (from its Date header). */
  clockSkewMs?: number;
  /** Why the run could not do its job: no token, or a host that cannot be reached. */
  fatal?: string;
  /** The signal that interrupted the run (SIGINT, SIGTERM): the report is partial. */
  interrupted?: string;
}

/** What a run counts of each request as it completes (countExecution). */
export interface ExecutionCounts {
  requests: number;
  /** Requests with anything failed: what a headline counts. */
  failedRequests: number;
  assertions: number;
  failedAssertions: number;
  schemaFailures: number;
  errors: number;
}

export const NO_EXECUTIONS: Readonly<ExecutionCounts> = {
  requests: 0,
  failedRequests: 0,
  assertions: 0,
  failedAssertions: 0,
  schemaFailures: 0,
  errors: 0,
};

/** How many failed requests a report keeps whole: enough to read every cause of a bad run, few
 * enough that a run of thousands that all fail holds no more than a few hundred kB of them. */
export const FAILED_KEPT = 100;

/** `counts` with one more request. */
export function countExecution(counts: ExecutionCounts, e: ExecutionReport): ExecutionCounts {
  return {
    requests: counts.requests + (e.skipped ? 0 : 1),
    failedRequests: counts.failedRequests + (failed(e) ? 1 : 0),
    assertions: counts.assertions + e.assertions.length,
    failedAssertions: counts.failedAssertions + e.assertions.filter((a) => a.error).length,
    schemaFailures: counts.schemaFailures + e.schemaFailures.length,
    errors: counts.errors + e.errors.length,
  };
}

/** The report with one more request: counted, and kept whole if it failed and there is room. */
export function withExecution(r: RunReport, e: ExecutionReport): void {
  r.counts = countExecution(r.counts, e);
  if (!failed(e)) return;
  if (r.failedExecutions.length < FAILED_KEPT) r.failedExecutions.push(e);
  else r.failedExecutionsLeftOut++;
}

/** A run's totals: its requests' counts, and the token problems and the failures of all kinds. */
export interface Totals extends ExecutionCounts {
  tokenProblems: number;
  failures: number;
}

export function failed(e: ExecutionReport): boolean {
  return e.assertions.some((a) => a.error) || e.schemaFailures.length > 0 || e.errors.length > 0;
}

export function totals(r: RunReport): Totals {
  const { requests, failedRequests, assertions, failedAssertions, schemaFailures } = r.counts;
  const tokenProblems = r.tokenChecks.reduce((n, c) => n + c.problems.length, 0);
  // What the stand-in lost or dead-lettered after its 201 would do harm on a real environment.
  const errors = r.counts.errors + (r.afterAccepted ? r.afterAccepted.dropped + r.afterAccepted.deadLettered : 0);
  return {
    requests,
    failedRequests,
    assertions,
    failedAssertions,
    schemaFailures,
    tokenProblems,
    errors,
    failures: failedAssertions + schemaFailures + tokenProblems + errors,
  };
}

/** What a schema check's assertion says once the runner's own schema errors stand below it. */
export const SEE_SCHEMA_ERRORS = 'see the schema errors below';

/** What failed in a request, one line each, most telling first: its failed assertions (but the
 * one that only points at the schema errors), its schema errors, its errors. */
export function problemsOf(e: ExecutionReport): string[] {
  return [
    ...e.assertions.filter((a) => a.error && a.error !== SEE_SCHEMA_ERRORS).map((a) => (a.error === a.name ? a.name : `${a.name}: ${a.error}`)),
    ...e.schemaFailures.map((f) => `schema ${f.pointer} ${f.message}`),
    ...e.errors,
  ];
}
