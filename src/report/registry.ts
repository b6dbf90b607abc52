// The reporters a run can use, by name: each is a listener on the run's events (listener.ts).
// The cli reporter prints as the run goes; the file reporters keep every request as it completes
// and write their file when the run ends; the github reporter annotates failed requests and writes
// the job summary.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { clientExecutions, type ClientExecutions } from './client-executions.js';
import { briefListener, cliListener } from './console.js';
import { githubListener } from './github.js';
import { htmlReport } from './html.js';
import { jsonSummary } from './json.js';
import { junitXml } from './junit.js';
import type { RunEnd, RunListener } from './listener.js';
import type { Output } from './output.js';

export type ReporterName = 'cli' | 'junit' | 'json' | 'html' | 'github';

/** What a reporter is given to report with. */
export interface ReporterContext {
  output: Output;
  /** --out: where report files go. */
  outDir: string;
  /** GitHub Actions' job summary file ($GITHUB_STEP_SUMMARY), when the run is in a job. */
  stepSummary?: string;
}

export interface Reporter {
  /** The report file, in --out; none for the console and github. */
  file?: string;
  listener: (ctx: ReporterContext) => RunListener;
}

/** A reporter that writes one file, in --out, once the run is done, from every request of the run. */
function fileReporter(file: string, render: (end: RunEnd, executionsOf: ClientExecutions['of']) => string): Reporter {
  return {
    file,
    listener: (ctx) => {
      const seen = clientExecutions();
      return { ...seen.listener, runDone: (end) => void ctx.output.file(ctx.outDir, file, render(end, seen.of)) };
    },
  };
}

export const REPORTER_REGISTRY: Readonly<Record<ReporterName, Reporter>> = {
  cli: { listener: (ctx) => cliListener(ctx.output) },
  junit: fileReporter('junit.xml', (end, executionsOf) => junitXml(end.reports, executionsOf)),
  json: fileReporter('summary.json', (end, executionsOf) => jsonSummary(end.reports, executionsOf, end.skipped, end.exitCode)),
  html: fileReporter('report.html', (end, executionsOf) => htmlReport(end.reports, executionsOf, end.skipped, end.exitCode, end.generatedAt)),
  github: { listener: (ctx) => githubListener(ctx.output, ctx.stepSummary) },
};

export const REPORTER_NAMES = Object.keys(REPORTER_REGISTRY) as ReporterName[];

/** Every file any reporter writes: a new run removes all of them first, so none is left stale. */
export const REPORT_FILES: readonly string[] = Object.values(REPORTER_REGISTRY).flatMap((r) => r.file ?? []);

/** The listeners for the reporters named: first, one that removes every report a run can leave
 * (a report from an earlier run must never pass for this one's); the brief console lines when
 * the cli reporter is not among them. */
export function listenersFor(names: readonly ReporterName[], ctx: ReporterContext): RunListener[] {
  const stale: RunListener = { runStarted: () => REPORT_FILES.forEach((name) => rmSync(join(ctx.outDir, name), { force: true })) };
  return [stale, ...(names.includes('cli') ? [] : [briefListener(ctx.output)]), ...names.map((n) => REPORTER_REGISTRY[n].listener(ctx))];
}
