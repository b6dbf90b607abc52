// What one engine run is asked to do (RunSpec) and who hears of it as it goes (RunListeners),
// with no engine in them: run/newman.ts is the one module that turns them into a Newman run.
import type { ExecutionRecord } from './records.js';
import type { Trust } from '../transport/trust.js';

export interface RunSpec {
  /** Parsed collection and environment files, exactly as a tester imports them. */
  collection: object;
  environment: object;
  /** Values that override the environment file for this run only (credentials, URLs). */
  variables: Record<string, string>;
  folders?: string[];
  iterations?: number;
  /** One row of variables per iteration, as a data file gives them (Newman's iterationData). */
  iterationData?: Record<string, string>[];
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

export interface RunListeners {
  /** Called once a request (with its scripts) is done: progress and checks hang off it. The
   * record's response bodies are there during the call only. */
  onExecution?: (record: ExecutionRecord) => void;
  /** A console line of a script's that is no outcome; `said`: the words an outcome line (its data)
   * carried beside it, which the runner shows its own way. */
  onConsole?: (line: string, said: boolean) => void;
}
