import { foldersFor, type FolderSpec } from '../../src/catalogue.js';
import { findEnvironment, type EnvironmentName, type Role } from '../../src/config/environments.js';
import { runCollection } from '../../src/run/newman.js';
import type { ExecutionRecord, RunOutcome } from '../../src/run/records.js';
import type { RunSpec } from '../../src/run/run-spec.js';
import type { Standin } from '../../src/standin/server.js';
import { committedCollection, committedEnvironment } from './files.js';

export interface LocalRun {
  env?: EnvironmentName;
  standin: Pick<Standin, 'tokenUrl' | 'baseUrl'>;
  clientId: string;
  clientSecret: string;
  method?: 'client_secret_basic' | 'client_secret_post';
  folders?: (f: FolderSpec) => boolean;
  /** More variables over the environment file's, as Newman's --env-var gives them. */
  vars?: Record<string, string>;
  extra?: Partial<RunSpec>;
}

/** A run's outcome with every execution and console line it had, which the engine hands to its
 * listeners and does not keep. */
export interface RecordedRun extends RunOutcome {
  executions: ExecutionRecord[];
  console: string[];
}

/** A real Newman run of `spec`, with every execution and console line it had. */
export async function recordedRun(spec: RunSpec): Promise<RecordedRun> {
  const executions: ExecutionRecord[] = [];
  const lines: string[] = [];
  const outcome = await runCollection(spec, { onExecution: (e) => void executions.push(e), onConsole: (line) => void lines.push(line) });
  return { ...outcome, executions, console: lines };
}

/** A real Newman run of a committed collection and environment file, pointed at a stand-in. */
export function runAgainst(run: LocalRun): Promise<RecordedRun> {
  const env = run.env ?? 'local';
  const folders = foldersFor(findEnvironment(env)!)
    .filter(run.folders ?? (() => true))
    .map((f) => f.name);
  return recordedRun({
    collection: committedCollection(env),
    environment: committedEnvironment(env),
    variables: {
      tokenUrl: run.standin.tokenUrl,
      baseUrl: run.standin.baseUrl,
      clientId: run.clientId,
      clientSecret: run.clientSecret,
      clientAuthMethod: run.method ?? 'client_secret_basic',
      ...run.vars,
    },
    folders,
    timeoutRequestMs: 5_000,
    timeoutMs: 60_000,
    ...run.extra,
  });
}

/** A role's folders, as npm run smoke plans them by default: the opt-in folder (its record other
 * departments receive) is left out. */
export const forRole = (role: Role) => (f: FolderSpec) => !f.optIn && (f.kind !== 'api' || f.role === role);
export const apiOnly = (role: Role) => (f: FolderSpec) => f.kind === 'api' && f.role === role;

export function failures(outcome: RecordedRun): string[] {
  return outcome.executions
    .flatMap((e) => [
      ...e.assertions.filter((a) => a.error).map((a) => `${e.folder} / ${e.name}: ${a.name}: ${a.error}`),
      ...e.scriptErrors.map((s) => `${e.folder} / ${e.name}: script error ${s}`),
      ...(e.requestError ? [`${e.folder} / ${e.name}: ${e.requestError.message}`] : []),
    ])
    .concat(outcome.runError ? [outcome.runError] : []);
}

export function sent(outcome: RecordedRun): ExecutionRecord[] {
  return outcome.executions.filter((e) => !e.skipped);
}
