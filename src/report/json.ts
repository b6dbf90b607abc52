// The JSON reporter: the whole report model, with each run's totals and the exit code.
import { PACKAGE_NAME, VERSION } from '../config/version.js';
import { totals, type RunReport, type SkippedEnvironment } from './model.js';

export function jsonSummary(reports: readonly RunReport[], skippedEnvs: readonly SkippedEnvironment[], exitCode: number): string {
  return `${JSON.stringify(
    {
      tool: `${PACKAGE_NAME} smoke`,
      version: VERSION,
      exitCode,
      environments: reports.map((r) => ({ ...r, totals: totals(r) })),
      skippedEnvironments: skippedEnvs,
    },
    null,
    2,
  )}\n`;
}
