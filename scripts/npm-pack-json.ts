// What `npm pack --json` reports, from npm 11 and npm 12 alike: npm 11 prints an array of one
// report, npm 12 an object keyed by the package's name. Anything npm prints before the JSON (a
// prepack script's output) is skipped.
export interface PackReport {
  filename: string;
  size: number;
  files: { path: string; size: number }[];
}

export function packReport(stdout: string): PackReport {
  const start = stdout.search(/^[[{]/m);
  if (start < 0) throw new Error(`npm pack --json printed no JSON:\n${stdout}`);
  const parsed = JSON.parse(stdout.slice(start)) as PackReport[] | Record<string, PackReport>;
  const report = Array.isArray(parsed) ? parsed[0] : Object.values(parsed)[0];
  if (!report?.filename) throw new Error(`npm pack --json printed no report:\n${stdout}`);
  return report;
}
