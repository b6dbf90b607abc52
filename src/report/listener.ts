// The seam between the engine and every reporter: the run's events, as the engine emits them.
// The engine calls the listeners it is handed and knows nothing of what they print or write; a
// new reporter is a listener and one line in the registry.
import type { ExecutionReport, RunReport, SkippedEnvironment } from './model.js';

/** Who a client run is, and where it goes: what a reporter says before its first request. */
export interface ClientStart {
  environment: string;
  clientId: string;
  role?: string;
  /** Where the credentials came from (an environment variable's name, .env, built in). */
  source: string;
  tokenUrl: string;
  baseUrl: string;
  tokenUrlFrom?: string;
  baseUrlFrom?: string;
}

/** The run as it ended: every client's report, the environments left out, the exit code. */
export interface RunEnd {
  reports: readonly RunReport[];
  skipped: readonly SkippedEnvironment[];
  exitCode: number;
  generatedAt: Date;
}

export interface RunListener {
  runStarted?(correlationId: string): void;
  clientStarted?(client: ClientStart): void;
  /** Each request as it completes, checked and redacted; `refused`: a seed request the token
   * endpoint refused, whose failed assertions all say what the run's one cause line says. */
  executionDone?(execution: ExecutionReport, refused: boolean): void;
  /** A console line a script printed for people. */
  console?(line: string): void;
  /** Something the run says beside its events: a wait, a notice. */
  note?(line: string): void;
  clientDone?(report: RunReport): void;
  runDone?(end: RunEnd): void;
}

type Events = Required<RunListener>;

/** One listener that hands every event to each of `listeners`, in order. */
export function allOf(listeners: readonly RunListener[]): Events {
  const each =
    <K extends keyof Events>(event: K) =>
    (...args: Parameters<Events[K]>): void => {
      for (const l of listeners) (l[event] as ((...a: Parameters<Events[K]>) => void) | undefined)?.(...args);
    };
  return {
    runStarted: each('runStarted'),
    clientStarted: each('clientStarted'),
    executionDone: each('executionDone'),
    console: each('console'),
    note: each('note'),
    clientDone: each('clientDone'),
    runDone: each('runDone'),
  };
}
