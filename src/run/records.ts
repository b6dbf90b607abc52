// What Newman recorded of one run (ExecutionRecord, RunOutcome): newman.ts fills them from
// Newman's events; the observer, the watch, the checks and the engine's reading (reading.ts)
// read them. The report model is built from them here, in run/, and never sees them.
import type { Outcome } from '../contract.js';

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

/** How a run ended. Its executions went to the listeners one by one (RunListeners), and are not
 * kept: what a long run holds is what its listeners keep. */
export interface RunOutcome {
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
