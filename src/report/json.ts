// The JSON reporter: the whole report model, every request of each run, its totals and the exit code.
import { PACKAGE_NAME, VERSION } from '../config/version.js';
import { totals, type ExecutionReport, type RunReport, type SkippedEnvironment } from './model.js';

/** One client's run as summary.json gives it: every request in `executions`, and the totals (the
 * counts and the failed requests the model keeps for the other reporters are in those). */
function environmentOf(r: RunReport, executions: readonly ExecutionReport[]): object {
  const { counts: _counts, failedExecutions: _failed, failedExecutionsLeftOut: _leftOut, ...rest } = r;
  return { ...rest, executions, totals: totals(r) };
}

export function jsonSummary(
  reports: readonly RunReport[],
  executionsOf: (r: RunReport) => readonly ExecutionReport[],
  skippedEnvs: readonly SkippedEnvironment[],
  exitCode: number,
): string {
  return `${JSON.stringify(
    {
      tool: `${PACKAGE_NAME} smoke`,
      version: VERSION,
      exitCode,
      environments: reports.map((r) => environmentOf(r, executionsOf(r))),
      skippedEnvironments: skippedEnvs,
    },
    null,
    2,
  )}\n`;
}
