// The engine's reading of what Newman recorded (records.ts): a request's report, why it was not
// sent, what stopped the run. Pure; the report model (report/model.ts) is what it builds.
import type { Outcome } from '../contract.js';
import { failed, SEE_SCHEMA_ERRORS, type ExecutionReport, type SchemaFailure } from '../report/model.js';
import type { ExecutionRecord } from './records.js';

/** The token failure a request's scripts reported, if any. */
export function tokenFailureOf(e: ExecutionRecord): Extract<Outcome, { kind: 'token-failure' }> | undefined {
  return e.outcomes.find((o): o is Extract<Outcome, { kind: 'token-failure' }> => o.kind === 'token-failure');
}

/** The exit-3 cause in a run's records, if any: no token, or an unreachable host. */
export function fatalCause(executions: readonly ExecutionRecord[]): string | undefined {
  for (const e of executions) {
    const tokenFailure = tokenFailureOf(e);
    if (tokenFailure) return tokenFailure.message;
    if (e.requestError) return `${e.folder} / ${e.name}: ${e.requestError.message}`;
    const scriptError = e.scriptRequests.find((s) => s.requestError);
    // The token script's requests are POSTs; the guard's one request, its question before a DELETE, a GET.
    if (scriptError) return `${e.folder} / ${e.name} (${scriptError.method === 'GET' ? 'guard' : 'token script'}): ${scriptError.requestError!.message}`;
  }
  return undefined;
}

const EXCERPT = 2_000;

/** `redact` is the run's redactor: an excerpt is redacted whole before it is cut, so that a cut can
 * never keep the first part of a secret that straddles it. */
export function executionReport(
  e: ExecutionRecord,
  schema: SchemaFailure[],
  skipReason?: string,
  redact: (text: string) => string = (t) => t,
): ExecutionReport {
  const errors = [...e.scriptErrors.map((s) => `script error: ${s}`), ...(e.requestError ? [e.requestError.message] : [])];
  const report: ExecutionReport = {
    iteration: e.iteration,
    folder: e.folder,
    name: e.name,
    skipped: e.skipped,
    ...(e.skipped && skipReason ? { skipReason } : {}),
    ...(tokenFailureOf(e) ? { noToken: true } : {}),
    ...(e.method ? { method: e.method } : {}),
    ...(e.url ? { url: e.url } : {}),
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.responseTimeMs !== undefined ? { responseTimeMs: e.responseTimeMs } : {}),
    assertions: schema.length ? e.assertions.map(withoutPostmansCopy) : e.assertions,
    schemaFailures: schema,
    errors,
  };
  if (failed(report) && e.responseBody) report.responseExcerpt = cutWhole(redact(e.responseBody), EXCERPT);
  return report;
}

/** Postman's own wording of a schema check that failed ("expected data to satisfy schema but found
 * following errors: ..."): the runner's schema errors say the same, with what was received and
 * what was expected, so the assertion only points at them. */
function withoutPostmansCopy(a: { name: string; error?: string }): { name: string; error?: string } {
  return a.error && /^body matches the [\w-]+ schema$/.test(a.name) ? { name: a.name, error: SEE_SCHEMA_ERRORS } : a;
}

/** The first `max` characters, without a redaction marker cut in two (a cut "[REDAC" would read
 * as part of the answer). */
function cutWhole(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const open = cut.lastIndexOf('[REDACTED');
  return open >= 0 && cut.indexOf(']', open) < 0 ? cut.slice(0, open) : cut;
}

/** A folder that ran: whether it sent anything, and the first reason one of its requests was
 * skipped (the observer keeps it as the requests complete). */
export interface FolderRun {
  sent: boolean;
  skipReason: string | undefined;
}

/** Folders a run planned but sent nothing from, with the reason their first request was skipped. */
export function folderSkips(planned: readonly string[], folders: ReadonlyMap<string, FolderRun>): { folder: string; reason: string }[] {
  return planned.flatMap((folder) => {
    const ran = folders.get(folder);
    if (!ran || ran.sent) return [];
    return [{ folder, reason: ran.skipReason ?? 'nothing to work on' }];
  });
}

/** Why one request was not sent; `tokenFolder` says it belongs to the once-per-run token checks. */
export function skipReasonFor(e: ExecutionRecord, tokenFolder: boolean): string | undefined {
  if (!e.skipped) return undefined;
  if (tokenFailureOf(e)) return 'no access token (see the failure above)';
  if (e.iteration > 0 && tokenFolder) return 'token checks run in the first iteration only';
  const skip = e.outcomes.find((o) => o.kind === 'skip');
  return skip ? skip.reason : 'nothing to work on';
}
