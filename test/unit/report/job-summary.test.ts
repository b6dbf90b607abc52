// The github job summary lists the failed requests the report kept whole, and says how many more
// failed beyond them (a report keeps FAILED_KEPT at most).
import { describe, expect, it } from 'vitest';
import { jobSummary } from '../../../src/report/github.js';
import { FAILED_KEPT, withExecution } from '../../../src/report/model.js';
import { emptyReport } from '../../helpers/reports.js';

describe('the github job summary', () => {
  it('lists each failed request kept, then how many more failed', () => {
    const r = emptyReport({ clientId: 'c1', correlationId: 'corr-1', tokenRequests: 1, tokensIssued: 1 });
    for (let i = 0; i < FAILED_KEPT + 3; i++)
      withExecution(r, {
        iteration: i,
        folder: 'F',
        name: `R${i}`,
        skipped: false,
        assertions: [{ name: 'status is 200', error: 'got 500' }],
        schemaFailures: [],
        errors: [],
      });
    const summary = jobSummary([r], 1);
    expect(summary).toContain('## GDX Data Share connection test: failed (exit 1)');
    expect(summary).toContain('| dev (c1) | 103 | 103 | 0 | 103 | 0 | 1 (1 issued) |');
    expect(summary).toContain('- dev (c1): **F / R0**: status is 200: got 500');
    expect(summary).toContain('- dev (c1): **F / R99**: status is 200: got 500');
    expect(summary).not.toContain('**F / R100**');
    expect(summary).toContain('- dev (c1): 3 more failed requests, annotated above and in the report files');
  });
});
