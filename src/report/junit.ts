// The JUnit XML reporter, for CI: a test suite per folder, a test case per request.
import { PACKAGE_NAME, VERSION } from '../config/version.js';
import { clientLabel as label, failed, problemsOf, type ExecutionReport, type RunReport } from './model.js';

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

/** Each suite's properties: the run's CorrelationID, and the version a tester ran, where a CI
 * system's test view shows them. */
function propertiesOf(r: RunReport): string {
  return `    <properties><property name="CorrelationID" value="${xml(r.correlationId)}"/><property name="${xml(PACKAGE_NAME)}.version" value="${xml(VERSION)}"/></properties>\n`;
}

export function junitXml(reports: readonly RunReport[], executionsOf: (r: RunReport) => readonly ExecutionReport[]): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const r of reports) {
    const executions = executionsOf(r);
    const folders = [...new Set(executions.map((e) => e.folder))];
    for (const folder of folders) {
      const cases = executions.filter((e) => e.folder === folder);
      const caseXml = cases.map((e) => {
        const time = ((e.responseTimeMs ?? 0) / 1000).toFixed(3);
        const name = `${e.name}${e.iteration > 0 ? ` [iteration ${e.iteration + 1}]` : ''}`;
        const messages = problemsOf(e);
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
      const properties = propertiesOf(r);
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
        `  <testsuite name="${xml(`${label(r)} / checks`)}" tests="${cases.length}" failures="${cases.length}" errors="0" skipped="0">\n${propertiesOf(r)}${cases.join('\n')}\n  </testsuite>`,
      );
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="GDX smoke" tests="${tests}" failures="${failures}" skipped="${skipped}">\n${suites.join('\n')}\n</testsuites>\n`;
}
