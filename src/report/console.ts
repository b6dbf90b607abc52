// The console reporter: progress lines as the run goes, one line per client, and the summary
// table. Each returns text; Output redacts and prints it.
import { clientLabel as label, failed, totals, type RunReport, type SkippedEnvironment } from './model.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One progress line a request, as the run goes. */
export function progressLine(e: RunReport['executions'][number]): string[] {
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
  return `${label(r)}: ${state}, ${t.requests} requests, ${t.assertions} assertions, ${t.failures} failures${r.fatal ? `: ${r.fatal}` : ''}`;
}

function hosts(r: RunReport): string {
  const from = (source?: string): string => (source ? ` (from ${source})` : '');
  return `tested in ${label(r)}: token endpoint ${r.tokenUrl}${from(r.tokenUrlFrom)}, API ${r.baseUrl}${from(r.baseUrlFrom)}`;
}

export function summaryTable(reports: readonly RunReport[], skippedEnvs: readonly SkippedEnvironment[]): string {
  const header = ['environment', 'requests', 'assertions', 'failures', 'skipped folders', 'token requests', 'duration'];
  const rows = reports.map((r) => {
    const t = totals(r);
    return [
      label(r),
      String(t.requests),
      String(t.assertions),
      String(t.failures),
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
