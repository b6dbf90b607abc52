// docs/benchmarks.md as `npm run bench -- --write` writes it: dated, the machine named, each figure
// beside its target, and a missed target marked in bold, once at the top and in its row.
import { describe, expect, it } from 'vitest';
import { benchmarksPage, earlierRuns } from '../../../scripts/benchmarks-page.js';

const machine = { date: new Date('2026-12-03T10:00:00Z'), cores: 2, cpu: 'Example CPU @ 2.0GHz ', node: 'v20.20.2' };

describe('the benchmarks page', () => {
  it('names the date, the cores and Node.js, and marks a missed target where it is and at the top', () => {
    const page = benchmarksPage(
      [
        { section: 'stand-in', what: 'baseline', figure: '65,594 req/s', target: '', met: null },
        { section: 'stand-in', what: 'token endpoint', figure: '1,694 req/s, p99 56 ms', target: 'p99 < 50 ms', met: false },
        { section: 'runner', what: 'whole run', figure: 'ratio 0.74', target: '<= 1.20', met: true },
      ],
      machine,
    );
    expect(page).toContain('on 2026-12-03, on a machine with 2 cores (Example CPU @ 2.0GHz) and Node.js v20.20.2.');
    expect(page).toContain('**1 target was not met in this run**: token endpoint.');
    expect(page).toContain('| token endpoint | 1,694 req/s, p99 56 ms | p99 < 50 ms | **not met** |');
    expect(page).toContain('| whole run | ratio 0.74 | <= 1.20 | yes |');
    expect(page).toContain('| baseline | 65,594 req/s |  |  |');
    expect(page.match(/^## /gm)).toHaveLength(2);
  });

  it("keeps the record of earlier runs as it was, after this run's figures", () => {
    const before =
      '# Benchmarks\n\nWritten on 2026-12-01.\n\n## Runner\n\n| old | row |\n\n## Earlier runs, and what was tried\n\nOn 2026-11-28: ratio 0.75.\n\n### Tried\n\nSigning with node:crypto: about 5 %.\n';
    const kept = earlierRuns(before);
    expect(kept).toBe('## Earlier runs, and what was tried\n\nOn 2026-11-28: ratio 0.75.\n\n### Tried\n\nSigning with node:crypto: about 5 %.\n');
    const page = benchmarksPage([{ section: 'runner', what: 'whole run', figure: 'ratio 0.70', target: '<= 1.20', met: true }], machine, kept);
    expect(page).not.toContain('| old | row |');
    expect(page.endsWith('\n\n## Earlier runs, and what was tried\n\nOn 2026-11-28: ratio 0.75.\n\n### Tried\n\nSigning with node:crypto: about 5 %.\n')).toBe(
      true,
    );
    expect(page.indexOf('| whole run |')).toBeLessThan(page.indexOf('## Earlier runs'));
    expect(earlierRuns('# Benchmarks\n\nno record\n')).toBe('');
  });

  it('says every target was met when none was missed', () => {
    expect(benchmarksPage([{ section: 's', what: 'w', figure: 'f', target: 't', met: true }], machine)).toContain('Every target was met in this run.');
  });
});
