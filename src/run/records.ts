// The run model's records: what one engine run is asked to do (RunSpec) and what it did
// (ExecutionRecord, RunOutcome), with no engine in them. newman.ts fills them from Newman's
// events; the observer, the watch, the checks and the report model read them.
import type { Outcome } from '../contract.js';
import type { Trust } from '../transport/trust.js';

export interface RunSpec {
  /** Parsed collection and environment files, exactly as a tester imports them. */
  collection: object;
  environment: object;
  /** Values that override the environment file for this run only (credentials, URLs). */
  variables: Record<string, string>;
  folders?: string[];
  iterations?: number;
  /** Per request, in milliseconds. */
  timeoutRequestMs?: number;
  /** The whole run, in milliseconds. */
  timeoutMs?: number;
  delayRequestMs?: number;
  bail?: boolean;
  /** TLS verification off, or a CA file to trust beside the system's. */
  trust?: Trust;
  /** Collection variables to start from (a later run of the same client carries its token cache
   * on, so that it asks Cognito for nothing new). */
  collectionVariables?: Record<string, string>;
  /** Aborting stops the run at the next request; if Newman is still busy (a request in flight)
   * after ABORT_GRACE_MS, the outcome is returned without waiting for it. */
  signal?: AbortSignal;
}

export interface AssertionRecord {
  name: string;
  error?: string;
}

export interface ExecutionRecord {
  iteration: number;
  folder: string;
  name: string;
  /** Skipped by a pre-request script (empty queue, once-per-run checks, no token). */
  skipped: boolean;
  method?: string;
  url?: string;
  status?: number;
  contentType?: string;
  responseTimeMs?: number;
  responseBody?: string;
  /** A transport failure: refused, timed out, DNS, TLS. */
  requestError?: { code?: string; message: string };
  assertions: AssertionRecord[];
  /** Script errors (syntax, thrown outside a test). */
  scriptErrors: string[];
  /** Requests a script sent with pm.sendRequest (the token script's token requests). */
  scriptRequests: ScriptRequestRecord[];
  /** What the scripts reported, as data (src/contract.ts). */
  outcomes: Outcome[];
}

export interface ScriptRequestRecord {
  method: string;
  url: string;
  status?: number;
  contentType?: string;
  responseBody?: string;
  requestError?: { code?: string; message: string };
}

export interface RunOutcome {
  executions: ExecutionRecord[];
  console: string[];
  durationMs: number;
  /** An error that stopped Newman itself (a collection it cannot read, say). */
  runError?: string;
  /** The run was stopped through RunSpec.signal. */
  aborted?: boolean;
  /** The collection variables as the run left them (the token cache among them). */
  collectionVariables: Record<string, string>;
  /** The environment variables the scripts saw last, as they left them. */
  environment: Record<string, string>;
}

export interface RunListeners {
  /** Called once a request (with its scripts) is done: progress and checks hang off it. The
   * record's response bodies are there during the call only. */
  onExecution?: (record: ExecutionRecord) => void;
  onConsole?: (line: string) => void;
}
