// The reporters a run can use, by name: what each writes, and where. The cli reporter prints as
// the run goes (progress lines and the summary table) and writes no file.
import { htmlReport } from './html.js';
import type { RunReport, SkippedEnvironment } from './model.js';
import { jsonSummary } from './json.js';
import { junitXml } from './junit.js';

export type ReporterName = 'cli' | 'junit' | 'json' | 'html';

type Render = (reports: readonly RunReport[], skipped: readonly SkippedEnvironment[], exitCode: number, generatedAt: Date) => string;

export interface Reporter {
  /** The report file, in --out; none for the console. */
  file?: string;
  render?: Render;
}

export const REPORTER_REGISTRY: Readonly<Record<ReporterName, Reporter>> = {
  cli: {},
  junit: { file: 'junit.xml', render: (reports) => junitXml(reports) },
  json: { file: 'summary.json', render: (reports, skipped, exitCode) => jsonSummary(reports, skipped, exitCode) },
  html: { file: 'report.html', render: (reports, skipped, exitCode, at) => htmlReport(reports, skipped, exitCode, at) },
};

export const REPORTER_NAMES = Object.keys(REPORTER_REGISTRY) as ReporterName[];

/** Every file any reporter writes: a new run removes all of them first, so none is left stale. */
export const REPORT_FILES: readonly string[] = Object.values(REPORTER_REGISTRY).flatMap((r) => r.file ?? []);
