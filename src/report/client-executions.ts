// Every request of each client run, as the run completes them: for the reporters that render each
// one (JUnit, JSON, HTML). The engine keeps no such list; a reporter that is not asked for keeps
// nothing, and those that are keep the reports the engine already made, not copies.
import type { RunListener } from './listener.js';
import type { ExecutionReport, RunReport } from './model.js';

export interface ClientExecutions {
  /** Listens for the executions (add it to the reporter's listener). */
  listener: Pick<Required<RunListener>, 'clientStarted' | 'executionDone' | 'clientDone'>;
  /** The requests of one client's run, in the order they completed. */
  of: (report: RunReport) => readonly ExecutionReport[];
}

export function clientExecutions(): ClientExecutions {
  let current: ExecutionReport[] = [];
  const done = new Map<RunReport, ExecutionReport[]>();
  return {
    listener: {
      clientStarted: () => void (current = []),
      executionDone: (e) => void current.push(e),
      clientDone: (r) => void done.set(r, current),
    },
    of: (r) => done.get(r) ?? [],
  };
}
