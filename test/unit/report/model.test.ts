// The report model: how a run's records read as totals, skipped folders and the exit-3 cause.
// Expectations written out.
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../src/run/records.js';
import { totals, type RunReport } from '../../../src/report/model.js';
import { executionReport, fatalCause, folderSkips } from '../../../src/run/reading.js';

function record(partial: Partial<ExecutionRecord>): ExecutionRecord {
  return { iteration: 0, folder: 'F', name: 'R', skipped: false, assertions: [], scriptErrors: [], scriptRequests: [], outcomes: [], ...partial };
}

function report(executions: ExecutionRecord[]): RunReport {
  return {
    environment: 'dev',
    clientId: 'c',
    tokenUrl: 't',
    baseUrl: 'b',
    correlationId: 'x',
    startedAt: 'now',
    durationMs: 0,
    executions: executions.map((e) => executionReport(e, [])),
    skippedFolders: [],
    tokenChecks: [],
    tokenRequests: 0,
    tokensIssued: 0,
    dataProblems: [],
  };
}

describe('the report model', () => {
  it('counts requests sent, failed requests, assertions and failures; what the stand-in dead-lettered counts as failures too', () => {
    const r = report([
      record({ assertions: [{ name: 'a' }, { name: 'b', error: 'no' }] }),
      record({ skipped: true }),
      record({ requestError: { code: 'ECONNREFUSED', message: 'refused' } }),
    ]);
    expect(totals(r)).toEqual({
      requests: 2,
      failedRequests: 2,
      assertions: 2,
      failedAssertions: 1,
      schemaFailures: 0,
      tokenProblems: 0,
      errors: 1,
      failures: 2,
    });
    r.afterAccepted = { dropped: 1, deadLettered: 2, details: [] };
    expect(totals(r).failures).toBe(5);
  });

  it('a folder whose every request was skipped is reported skipped with the first reason', () => {
    const executions = [
      executionReport(record({ folder: 'A', skipped: true }), [], 'nothing to work on'),
      executionReport(record({ folder: 'B', skipped: true }), [], 'needs the scope x'),
      executionReport(record({ folder: 'B', skipped: false }), []),
    ];
    expect(folderSkips(['A', 'B', 'C'], executions)).toEqual([{ folder: 'A', reason: 'nothing to work on' }]);
  });

  it('the exit-3 cause: the token failure first, then a transport error', () => {
    // The outcome decides, not the words of the failed test beside it.
    const noToken = record({
      assertions: [{ name: 'any words at all', error: 'x' }],
      outcomes: [{ kind: 'token-failure', cause: 'refused', message: 'GDX token: refused' }],
    });
    expect(fatalCause([noToken])).toBe('GDX token: refused');
    expect(fatalCause([record({ assertions: [{ name: 'GDX token: looks like one, but no outcome says so', error: 'x' }] })])).toBeUndefined();
    expect(fatalCause([record({ folder: 'F', name: 'R', requestError: { message: 'connect ECONNREFUSED' } })])).toBe('F / R: connect ECONNREFUSED');
    expect(fatalCause([record({})])).toBeUndefined();
  });
});
