// A self-contained HTML report: inline styles, no script, no fonts or images from anywhere, so it
// opens offline and as an e-mail attachment. Failures come first, in red.
import { failed, totals, type ExecutionReport, type RunReport, type SkippedEnvironment, type Totals } from './model.js';
import { PACKAGE_NAME, VERSION } from '../config/version.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0;color:#0b0c0c;background:#f3f2f1}
header{background:#0b0c0c;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}
main{padding:16px 24px;max-width:1200px}
.verdict{font-size:18px;font-weight:700;padding:10px 14px;margin:12px 0;border-left:8px solid}
.pass{border-color:#00703c;background:#e6f4ea}.fail{border-color:#d4351c;background:#fbe9e7}.fatal{border-color:#6f0000;background:#f8d7d3}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0 16px}th,td{border:1px solid #b1b4b6;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#dee0e2}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.failed td{background:#fbe9e7}tr.skipped td{color:#505a5f;background:#f8f8f8}
.badge{display:inline-block;padding:1px 6px;border-radius:3px;font-weight:700;font-size:12px;color:#fff}
.b-fail{background:#d4351c}.b-pass{background:#00703c}.b-skip{background:#505a5f}
ul.checks{margin:4px 0;padding-left:18px}li.bad{color:#942514;font-weight:600}li.good{color:#00703c}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
h2{margin-top:28px}h3{margin:18px 0 6px}`;

function checksList(e: ExecutionReport): string {
  const items = [
    ...e.assertions.map((a) =>
      a.error ? `<li class="bad">✗ ${esc(a.name)}${a.error !== a.name ? `: ${esc(a.error)}` : ''}</li>` : `<li class="good">✓ ${esc(a.name)}</li>`,
    ),
    ...e.schemaFailures.map((f) => `<li class="bad">✗ schema <code>${esc(f.pointer)}</code> ${esc(f.message)}</li>`),
    ...e.errors.map((m) => `<li class="bad">✗ ${esc(m)}</li>`),
  ];
  return items.length ? `<ul class="checks">${items.join('')}</ul>` : '';
}

function row(e: ExecutionReport): string {
  const bad = failed(e);
  const state = bad
    ? '<span class="badge b-fail">FAIL</span>'
    : e.skipped
      ? '<span class="badge b-skip">SKIPPED</span>'
      : '<span class="badge b-pass">PASS</span>';
  const name = `${esc(e.name)}${e.iteration > 0 ? ` <small>(iteration ${e.iteration + 1})</small>` : ''}`;
  const detail = e.skipped && !bad ? esc(e.skipReason ?? 'skipped by its pre-request script') : checksList(e);
  return `<tr class="${bad ? 'failed' : e.skipped ? 'skipped' : 'passed'}"><td>${state}</td><td>${esc(e.folder)}</td><td>${name}</td><td class="num">${e.status ?? ''}</td><td class="num">${e.responseTimeMs !== undefined ? `${e.responseTimeMs} ms` : ''}</td><td>${detail}</td></tr>`;
}

function section(r: RunReport, executions: readonly ExecutionReport[]): string {
  const t = totals(r);
  // Failures first, then the rest in run order: the first screen shows what went wrong.
  const ordered = [...executions.filter(failed), ...executions.filter((e) => !failed(e))];
  const verdict = r.fatal
    ? `<div class="verdict fatal" role="alert">No token or host unreachable: ${esc(r.fatal)}</div>`
    : t.failures
      ? `<div class="verdict fail" role="alert">${headline(t)}</div>`
      : '<div class="verdict pass">All checks passed</div>';
  const tokenProblems = r.tokenChecks.flatMap((c) => c.problems.map((p) => `<li class="bad">✗ ${esc(c.request)}: ${esc(p)}</li>`));
  const tokenGood = r.tokenChecks.filter((c) => c.problems.length === 0).map((c) => `<li class="good">✓ ${esc(c.request)}: signature and claims verified</li>`);
  const harm = (r.afterAccepted?.details ?? []).map((d) => `<li class="bad">✗ ${esc(d)}</li>`);
  const dataProblems = r.dataProblems.map((p) => `<li>${esc(p)}</li>`);
  return `
<h2>${esc(r.environment)}: ${esc(r.clientId)}${r.role ? ` (${esc(r.role)})` : ''}</h2>
${verdict}
<table class="totals"><tr><th>requests</th><th>failed requests</th><th>assertions</th><th>failed assertions</th><th>schema errors</th><th>token problems</th><th>token requests</th><th>tokens issued</th><th>duration</th></tr>
<tr><td class="num">${t.requests}</td><td class="num">${t.failedRequests}</td><td class="num">${t.assertions}</td><td class="num">${t.failedAssertions}</td><td class="num">${t.schemaFailures}</td><td class="num">${t.tokenProblems}</td><td class="num">${r.tokenRequests}</td><td class="num">${r.tokensIssued}</td><td class="num">${(r.durationMs / 1000).toFixed(1)} s</td></tr></table>
<p>Token URL <code>${esc(r.tokenUrl)}</code>, API <code>${esc(r.baseUrl)}</code>, started ${esc(r.startedAt)}, CorrelationID <code>${esc(r.correlationId)}</code>.</p>
<h3>Requests</h3>
<table class="requests"><tr><th></th><th>folder</th><th>request</th><th>status</th><th>time</th><th>checks</th></tr>
${ordered.map(row).join('\n')}
</table>
${harm.length ? `<h3>After the 201 (what the real platform would do, out of sight)</h3><ul class="checks">${harm.join('')}</ul>` : ''}
${dataProblems.length ? `<h3>Platform data problems (not your connection: tell the GDX team)</h3><ul class="checks">${dataProblems.join('')}</ul>` : ''}
${tokenProblems.length || tokenGood.length ? `<h3>Access tokens</h3><ul class="checks">${[...tokenProblems, ...tokenGood].join('')}</ul>` : ''}
${r.skippedFolders.length ? `<h3>Skipped folders</h3><table><tr><th>folder</th><th>reason</th></tr>${r.skippedFolders.map((s) => `<tr><td>${esc(s.folder)}</td><td>${esc(s.reason)}</td></tr>`).join('')}</table>` : ''}`;
}

/** The failed requests, with the schema errors beside them (counted apart, never added in). */
function headline(t: Totals): string {
  const requests = `${t.failedRequests} failed request${t.failedRequests === 1 ? '' : 's'}`;
  const schema = t.schemaFailures ? ` (${t.schemaFailures} schema error${t.schemaFailures === 1 ? '' : 's'})` : '';
  const other = t.failedRequests === 0 ? `${t.failures} failed check${t.failures === 1 ? '' : 's'}` : '';
  return other || `${requests}${schema}`;
}

export function htmlReport(
  reports: readonly RunReport[],
  executionsOf: (r: RunReport) => readonly ExecutionReport[],
  skippedEnvs: readonly SkippedEnvironment[],
  exitCode: number,
  generatedAt: Date,
): string {
  const all = reports.map(totals);
  const sum = (k: keyof Totals): number => all.reduce((n, t) => n + t[k], 0);
  const whole: Totals = {
    requests: sum('requests'),
    failedRequests: sum('failedRequests'),
    assertions: sum('assertions'),
    failedAssertions: sum('failedAssertions'),
    schemaFailures: sum('schemaFailures'),
    tokenProblems: sum('tokenProblems'),
    errors: sum('errors'),
    failures: sum('failures'),
  };
  const interrupted = reports.find((r) => r.interrupted)?.interrupted;
  const overall = interrupted
    ? `interrupted by ${interrupted}: partial report`
    : exitCode === 0
      ? 'passed'
      : exitCode === 3
        ? 'could not run: no token or a host unreachable'
        : `failed (${headline(whole)})`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>GDX smoke run: ${esc(overall)}</title><style>${STYLE}</style></head>
<body><header><h1>GDX Data Share smoke run: ${esc(overall)}</h1><div>${esc(generatedAt.toISOString())} · ${esc(`${PACKAGE_NAME} ${VERSION}`)} · environments: ${esc(
    reports
      .map((r) => r.environment)
      .filter((v, i, a) => a.indexOf(v) === i)
      .join(', ') || 'none',
  )}</div></header>
<main>
${reports.map((r) => section(r, executionsOf(r))).join('\n')}
${skippedEnvs.length ? `<h2>Skipped environments</h2><ul>${skippedEnvs.map((s) => `<li>${esc(s.environment)}: ${esc(s.reason)}</li>`).join('')}</ul>` : ''}
</main></body></html>
`;
}
