import { NO_EXECUTIONS, type RunReport } from '../../src/report/model.js';

/** A client's report with nothing in it yet, for the tests of what reporters make of one. */
export function emptyReport(partial: Partial<RunReport> = {}): RunReport {
  return {
    environment: 'dev',
    clientId: 'c',
    tokenUrl: 't',
    baseUrl: 'b',
    correlationId: 'x',
    startedAt: 'now',
    durationMs: 0,
    counts: { ...NO_EXECUTIONS },
    failedExecutions: [],
    failedExecutionsLeftOut: 0,
    skippedFolders: [],
    tokenChecks: [],
    tokenRequests: 0,
    tokensIssued: 0,
    dataProblems: [],
    ...partial,
  };
}
