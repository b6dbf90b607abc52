// The github reporter, for departments on GitHub Actions: an ::error annotation for each failed
// request as it completes (the request, its first failed check, the run's CorrelationID), and a
// Markdown job summary appended to $GITHUB_STEP_SUMMARY when the run ends. Everything goes
// through Output, so it is redacted as every report is.
import type { RunListener } from './listener.js';
import { clientLabel, failed, problemsOf, totals, type ExecutionReport, type RunReport } from './model.js';
import type { Output } from './output.js';

/** A workflow command's message: GitHub reads %, CR and LF as escapes (its toolkit's own rules). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property (title=...): the message's escapes, and : and , too. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** What failed in a request, each problem once. */
function problems(e: ExecutionReport): string {
  const all = problemsOf(e);
  return all.length ? all.join('; ') : e.noToken ? 'not sent: no access token' : 'failed';
}

/** The annotation line for one failed request: the request, what failed, the CorrelationID. */
export function annotation(e: ExecutionReport, correlationId: string): string {
  const title = `GDX: ${e.folder} / ${e.name}`;
  return `::error title=${escapeProperty(title)}::${escapeData(`${e.folder} / ${e.name}: ${problems(e)} (CorrelationID ${correlationId})`)}`;
}

/** A Markdown table cell: no pipe or line break can end it early. */
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The job summary: one table row a client, then each failed request. */
export function jobSummary(reports: readonly RunReport[], exitCode: number): string {
  const failing = reports.flatMap((r) => r.failedExecutions.map((e) => ({ r, e })));
  const state = exitCode === 0 ? 'passed' : `failed (exit ${exitCode})`;
  const lines = [
    `## GDX Data Share connection test: ${state}`,
    '',
    '| environment (client) | requests | failed requests | schema errors | assertions | skipped folders | token requests |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...reports.map((r) => {
      const t = totals(r);
      return `| ${cell(clientLabel(r))} | ${t.requests} | ${t.failedRequests} | ${t.schemaFailures} | ${t.assertions} | ${r.skippedFolders.length} | ${r.tokenRequests} (${r.tokensIssued} issued) |`;
    }),
    '',
  ];
  if (failing.length) {
    lines.push('### Failed requests', '');
    for (const { r, e } of failing) lines.push(`- ${cell(clientLabel(r))}: **${cell(`${e.folder} / ${e.name}`)}**: ${cell(problems(e))}`);
    for (const r of reports)
      if (r.failedExecutionsLeftOut)
        lines.push(`- ${cell(clientLabel(r))}: ${r.failedExecutionsLeftOut} more failed requests, annotated above and in the report files`);
    lines.push('');
  }
  for (const r of reports) if (r.fatal) lines.push(`${cell(clientLabel(r))}: ${cell(r.fatal)}`, '');
  const ids = [...new Set(reports.map((r) => r.correlationId))];
  if (ids.length) lines.push(`CorrelationID (quote it to the GDX team): ${ids.map((id) => `\`${id}\``).join(', ')}`, '');
  return lines.join('\n');
}

export function githubListener(output: Output, stepSummary: string | undefined): RunListener {
  let correlationId = '';
  return {
    runStarted: (id) => void (correlationId = id),
    executionDone: (e) => {
      if (failed(e)) output.line(annotation(e, correlationId));
    },
    runDone: (end) => {
      if (stepSummary) output.append(stepSummary, jobSummary(end.reports, end.exitCode));
    },
  };
}
