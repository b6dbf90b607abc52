// The console reporter: progress lines as the run goes, one line per client, and the summary
// table. Each returns text; Output redacts and prints it. Two listeners print them: the cli
// reporter's, and the brief one a run without it still gets.
import type { ClientStart, RunListener } from './listener.js';
import { clientLabel as label, failed, totals, type ExecutionReport, type RunReport, type SkippedEnvironment } from './model.js';
import type { Output } from './output.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One progress line a request, as the run goes. */
export function progressLine(e: ExecutionReport): string[] {
  const name = `${e.folder} / ${e.name}${e.iteration > 0 ? ` [iteration ${e.iteration + 1}]` : ''}`;
  if (e.skipped && !failed(e)) return [`  -  ${name}  skipped: ${e.skipReason ?? 'by its pre-request script'}`];
  // The cause of a token failure is the run's fatal line, printed once at the end.
  if (e.skipped && e.noToken && !e.schemaFailures.length && !e.errors.length) {
    return [`  x  ${name}  not sent: no access token (the cause is below)`];
  }
  const passed = e.assertions.filter((a) => !a.error).length;
  const head = `  ${failed(e) ? 'x ' : 'ok'} ${name}  ${e.status ?? '---'}  ${e.responseTimeMs ?? 0} ms  ${passed}/${e.assertions.length} assertions`;
  const details = [
    ...e.assertions.filter((a) => a.error).map((a) => (a.error === a.name ? `       ${a.name}` : `       ${a.name}: ${a.error}`)),
    ...e.schemaFailures.map((f) => `       schema: ${f.pointer} ${f.message}`),
    ...e.errors.map((m) => `       ${m}`),
  ];
  return [head, ...details];
}

/** What a run without the cli reporter prints per client: enough to see it is alive and how it went. */
export function oneLineResult(r: RunReport): string {
  const t = totals(r);
  const state = r.interrupted ? `interrupted by ${r.interrupted}` : r.fatal ? 'stopped' : t.failures ? 'failed' : 'passed';
  return `${label(r)}: ${state}, ${t.requests} requests, ${t.assertions} assertions, ${t.failedRequests} failed requests (${t.schemaFailures} schema errors)${r.fatal ? `: ${r.fatal}` : ''}`;
}

function hosts(r: RunReport): string {
  const from = (source?: string): string => (source ? ` (from ${source})` : '');
  return `tested in ${label(r)}: token endpoint ${r.tokenUrl}${from(r.tokenUrlFrom)}, API ${r.baseUrl}${from(r.baseUrlFrom)}`;
}

export function summaryTable(reports: readonly RunReport[], skippedEnvs: readonly SkippedEnvironment[]): string {
  const header = ['environment', 'requests', 'assertions', 'failed requests', 'schema errors', 'skipped folders', 'token requests', 'duration'];
  const rows = reports.map((r) => {
    const t = totals(r);
    return [
      label(r),
      String(t.requests),
      String(t.assertions),
      String(t.failedRequests),
      String(t.schemaFailures),
      String(r.skippedFolders.length),
      `${r.tokenRequests} (${r.tokensIssued} issued)`,
      seconds(r.durationMs),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const lines = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
  for (const r of reports) {
    lines.push(hosts(r));
    for (const s of r.skippedFolders) lines.push(`skipped in ${label(r)}: "${s.folder}": ${s.reason}`);
    for (const c of r.tokenChecks) for (const p of c.problems) lines.push(`token check failed in ${label(r)} (${c.request}): ${p}`);
    for (const p of r.dataProblems) lines.push(`platform data problem in ${label(r)} (not your connection; tell the GDX team): ${p}`);
    for (const d of r.afterAccepted?.details ?? []) lines.push(`after the 201 in ${label(r)}: ${d}`);
    if (r.fatal) lines.push(`${label(r)}: ${r.fatal}`);
    if (r.interrupted) lines.push(`${label(r)}: interrupted by ${r.interrupted}; this report covers what ran until then`);
  }
  for (const s of skippedEnvs) lines.push(`skipped environment ${s.environment}: ${s.reason}`);
  const ids = [...new Set(reports.map((r) => r.correlationId))];
  if (ids.length) lines.push(`CorrelationID (quote it to the GDX team to trace this run): ${ids.join(', ')}`);
  return lines.join('\n');
}

/** Who a client run is and where it goes, before its first request. */
function announce(c: ClientStart): string[] {
  const from = (source?: string): string => (source ? ` (from ${source})` : '');
  return [
    `\n${c.environment}: ${c.clientId}${c.role ? ` as ${c.role}` : ''} (credentials from ${c.source})`,
    `  token endpoint ${c.tokenUrl}${from(c.tokenUrlFrom)}, API ${c.baseUrl}${from(c.baseUrlFrom)}`,
  ];
}

/** The cli reporter: the run's CorrelationID, a line a request as it completes, what the scripts
 * said, and the summary table. */
export function cliListener(output: Output): RunListener {
  return {
    runStarted: (id) => output.line(`CorrelationID of this run: ${id}`),
    clientStarted: (c) => announce(c).forEach((l) => output.line(l)),
    executionDone: (e, refused) => {
      const lines = refused ? [`  x  ${e.folder} / ${e.name}  ${e.status ?? '---'}  refused (the cause is below)`] : progressLine(e);
      for (const l of lines) output.line(l);
    },
    console: (line) => output.line(`     console: ${line}`),
    note: (line) => output.line(line),
    runDone: (end) => output.line(`\n${summaryTable(end.reports, end.skipped)}`),
  };
}

/** Without the cli reporter: enough to see the run is alive and how each client went. */
export function briefListener(output: Output): RunListener {
  return {
    clientStarted: (c) => announce(c).forEach((l) => output.line(l)),
    note: (line) => output.line(line),
    clientDone: (r) => output.line(oneLineResult(r)),
    runDone: (end) => {
      for (const r of end.reports) if (r.fatal) output.warn(`${r.environment}: ${r.fatal}`);
    },
  };
}
