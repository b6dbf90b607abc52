// Renderers of the report model. Each returns text; Output redacts and writes it.
import { failed, totals, type RunReport } from './report.js';

export interface SkippedEnvironment {
  environment: string;
  reason: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function label(r: RunReport): string {
  return `${r.environment} (${r.clientId}${r.role ? `, ${r.role}` : ''})`;
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

function xml(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 allows no control characters but tab, line feed and carriage return.
      // eslint-disable-next-line no-control-regex
      .replace(/[^\x09\x0a\x0d\x20-\uffff]/g, '')
  );
}

export function junitXml(reports: readonly RunReport[]): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const r of reports) {
    const folders = [...new Set(r.executions.map((e) => e.folder))];
    for (const folder of folders) {
      const cases = r.executions.filter((e) => e.folder === folder);
      const caseXml = cases.map((e) => {
        const time = ((e.responseTimeMs ?? 0) / 1000).toFixed(3);
        const name = `${e.name}${e.iteration > 0 ? ` [iteration ${e.iteration + 1}]` : ''}`;
        const messages = [
          ...e.assertions.filter((a) => a.error).map((a) => (a.error === a.name ? a.name : `${a.name}: ${a.error}`)),
          ...e.schemaFailures.map((f) => `schema ${f.pointer} ${f.message}`),
          ...e.errors,
        ];
        const body = messages.length
          ? `<failure message="${xml(messages[0]!)}" type="AssertionFailure">${xml(messages.join('\n'))}</failure>`
          : e.skipped
            ? `<skipped message="${xml(e.skipReason ?? 'skipped')}"/>`
            : '';
        return `    <testcase classname="${xml(`${r.environment}.${folder}`)}" name="${xml(name)}" time="${time}">${body}</testcase>`;
      });
      const nFail = cases.filter(failed).length;
      const nSkip = cases.filter((e) => e.skipped && !failed(e)).length;
      tests += cases.length;
      failures += nFail;
      skipped += nSkip;
      const time = (cases.reduce((n, e) => n + (e.responseTimeMs ?? 0), 0) / 1000).toFixed(3);
      const properties = `    <properties><property name="CorrelationID" value="${xml(r.correlationId)}"/></properties>\n`;
      suites.push(
        `  <testsuite name="${xml(`${label(r)} / ${folder}`)}" tests="${cases.length}" failures="${nFail}" errors="0" skipped="${nSkip}" time="${time}" timestamp="${r.startedAt}">\n${properties}${caseXml.join('\n')}\n  </testsuite>`,
      );
    }
    const tokenProblems = r.tokenChecks.filter((c) => c.problems.length);
    const harm = r.afterAccepted?.details ?? [];
    if (tokenProblems.length || r.fatal || r.interrupted || harm.length) {
      const cases = [
        ...harm.map(
          (d) =>
            `    <testcase classname="${xml(`${r.environment}.pipeline`)}" name="after the 201"><failure message="${xml(d)}">${xml(d)}</failure></testcase>`,
        ),
        ...(r.interrupted
          ? [
              `    <testcase classname="${xml(`${r.environment}.run`)}" name="interrupted"><failure message="${xml(`interrupted by ${r.interrupted}`)}">${xml(`interrupted by ${r.interrupted}: the run is partial`)}</failure></testcase>`,
            ]
          : []),
        ...tokenProblems.map(
          (c) =>
            `    <testcase classname="${xml(`${r.environment}.token`)}" name="${xml(`token check: ${c.request}`)}"><failure message="${xml(c.problems[0]!)}">${xml(c.problems.join('\n'))}</failure></testcase>`,
        ),
        ...(r.fatal
          ? [`    <testcase classname="${xml(`${r.environment}.run`)}" name="run"><failure message="${xml(r.fatal)}">${xml(r.fatal)}</failure></testcase>`]
          : []),
      ];
      tests += cases.length;
      failures += cases.length;
      suites.push(
        `  <testsuite name="${xml(`${label(r)} / checks`)}" tests="${cases.length}" failures="${cases.length}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="GDX smoke" tests="${tests}" failures="${failures}" skipped="${skipped}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function jsonSummary(reports: readonly RunReport[], skippedEnvs: readonly SkippedEnvironment[], exitCode: number): string {
  return `${JSON.stringify(
    {
      tool: 'gdx-data-share-postman smoke',
      exitCode,
      environments: reports.map((r) => ({ ...r, totals: totals(r) })),
      skippedEnvironments: skippedEnvs,
    },
    null,
    2,
  )}\n`;
}
