// The report model: how a run's records read as totals, skipped folders and the exit-3 cause.
// Expectations written out.
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../../src/run/records.js';
import { countExecution, totals, withExecution, type RunReport } from '../../../src/report/model.js';
import { emptyReport } from '../../helpers/reports.js';
import { executionReport, fatalCause, folderSkips } from '../../../src/run/reading.js';

function record(partial: Partial<ExecutionRecord>): ExecutionRecord {
  return { iteration: 0, folder: 'F', name: 'R', skipped: false, assertions: [], scriptErrors: [], scriptRequests: [], outcomes: [], ...partial };
}

function report(executions: ExecutionRecord[]): RunReport {
  const r = emptyReport();
  for (const e of executions) r.counts = countExecution(r.counts, executionReport(e, []));
  return r;
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
    const folders = new Map([
      ['A', { sent: false, skipReason: 'nothing to work on' }],
      ['B', { sent: true, skipReason: 'needs the scope x' }],
      ['D', { sent: false, skipReason: undefined }],
    ]);
    expect(folderSkips(['A', 'B', 'C', 'D'], folders)).toEqual([
      { folder: 'A', reason: 'nothing to work on' },
      { folder: 'D', reason: 'nothing to work on' },
    ]);
  });

  it('keeps the first 100 failed requests whole and counts the rest, and keeps no passed one', () => {
    const r = report([]);
    const failing = (i: number) => executionReport(record({ name: `R${i}`, assertions: [{ name: 'a', error: 'no' }] }), []);
    withExecution(r, executionReport(record({ name: 'passed', assertions: [{ name: 'a' }] }), []));
    for (let i = 0; i < 103; i++) withExecution(r, failing(i));
    expect(r.failedExecutions).toHaveLength(100);
    expect(r.failedExecutions[0]!.name).toBe('R0');
    expect(r.failedExecutions[99]!.name).toBe('R99');
    expect(r.failedExecutionsLeftOut).toBe(3);
    expect(totals(r)).toMatchObject({ requests: 104, failedRequests: 103, assertions: 104, failedAssertions: 103 });
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
