// One smoke run: for each environment and client, plan the folders, check the hosts answer, run
// the committed collection through Newman, check answers and tokens, and report.
import { randomUUID } from 'node:crypto';
import { type EnvironmentSpec, type Role } from '../config/environments.js';
import { EXIT, UserError } from '../errors.js';
import { collectionPath, environmentPath } from '../generate/names.js';
import { runClient, type RunState, type Target } from './client-run.js';
import { clientsFor, startsStandin, urlsFor, type Client } from '../config/credentials.js';
import type { Output } from '../report/output.js';
import { planFolders, type FolderPlan } from './plan.js';
import { totals, type RunReport } from '../report/model.js';
import { allOf, type RunListener } from '../report/listener.js';
import type { SkippedEnvironment } from '../report/model.js';
import { readJsonFile } from '../config/committed-files.js';
import type { SmokeOptions } from './options.js';
import { afterAcceptedCounts, afterAcceptedSince, type LocalStandin } from './standin-harm.js';

function planFor(env: EnvironmentSpec, role: Role | undefined, options: SmokeOptions): FolderPlan {
  return planFolders(env, {
    ...(role ? { role } : {}),
    ...(options.folders ? { folders: options.folders } : {}),
    acknowledge: options.acknowledge,
    publishDeathNotification: options.publishDeathNotification ?? false,
  });
}

export function exitCodeOf(reports: readonly RunReport[]): number {
  const interrupted = reports.find((r) => r.interrupted)?.interrupted;
  if (interrupted) return interrupted === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
  if (reports.some((r) => r.fatal)) return EXIT.unreachable;
  if (reports.some((r) => totals(r).failures > 0)) return EXIT.failed;
  return EXIT.ok;
}

interface Work {
  env: EnvironmentSpec;
  clients: Client[];
  urls: ReturnType<typeof urlsFor>;
  files: Target['files'];
}

async function targetFor({ env, urls, files }: Work): Promise<{ target: Target; stop?: () => Promise<void>; standin?: LocalStandin }> {
  if (startsStandin(env, urls)) {
    // Loaded only for a local run: a run against a real host never needs the stand-in's code.
    const { startStandin } = await import('../standin/server.js');
    const standin = await startStandin();
    return { target: { env, tokenUrl: standin.tokenUrl, baseUrl: standin.baseUrl, files }, stop: () => standin.stop(), standin };
  }
  return {
    target: {
      env,
      tokenUrl: urls.tokenUrl,
      baseUrl: urls.baseUrl,
      files,
      ...(urls.tokenUrlFrom ? { tokenUrlFrom: urls.tokenUrlFrom } : {}),
      ...(urls.baseUrlFrom ? { baseUrlFrom: urls.baseUrlFrom } : {}),
    },
  };
}

interface Planned {
  work: Work[];
  skippedEnvs: SkippedEnvironment[];
}

/** Every environment's credentials, files and folders, checked before any is run, so that a typo
 * fails in a second. With --env all, an environment without credentials, or without the role
 * asked for, is skipped with the reason; a damaged file is an error wherever it is. */
function planWork(options: SmokeOptions): Planned {
  if (options.publishDeathNotification && !options.environments.some((e) => e.apis.includes('death-notification-v2'))) {
    throw new UserError(
      `--publish-death-notification: ${options.environments.map((e) => e.name).join(', ')} has no death-notification API; it applies to integration (and local)`,
    );
  }
  const work: Work[] = [];
  const skippedEnvs: SkippedEnvironment[] = [];
  const plans: FolderPlan[] = [];
  for (const env of options.environments) {
    const files = { collection: readJsonFile(options.filesDir, collectionPath(env)), environment: readJsonFile(options.filesDir, environmentPath(env)) };
    const urls = urlsFor(env, options.vars, options);
    try {
      const lookup = clientsFor(env, options.vars, {
        ...(options.role ? { role: options.role } : {}),
        allowGeneric: !options.all && options.environments.length === 1,
      });
      if (!lookup.ok) throw new UserError(lookup.reason);
      planFor(env, options.role, options);
      work.push({ env, clients: lookup.clients, urls, files });
      plans.push(...lookup.clients.map((c) => planFor(env, c.role ?? options.role, options)));
    } catch (e) {
      if (!(e instanceof UserError) || !options.all) throw e;
      skippedEnvs.push({ environment: env.name, reason: e.message });
    }
  }
  // Filters that leave nothing to run are a mistake to say, not a run to make.
  if (plans.length && plans.every((p) => p.run.length === 0)) {
    const reasons = [...new Set(plans.flatMap((p) => p.skipped.map((s) => `"${s.folder}": ${s.reason}`)))];
    throw new UserError(`nothing to run: every folder is left out (${reasons.join('; ')}); change --folder, --role or --no-acknowledge`);
  }
  return { work, skippedEnvs };
}

/** Runs each environment's clients, suppliers first: the test event a supplier publishes is the
 * one an acquirer then reads and acknowledges. */
async function runWork(
  work: readonly Work[],
  options: SmokeOptions & { correlationId: string },
  output: Output,
  on: Required<RunListener>,
): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  const state: RunState = { publishedTestEvents: new Map() };
  for (const item of work) {
    const { target, stop, standin } = await targetFor(item);
    try {
      const ordered = [...item.clients].sort((a, b) => Number(a.role === 'acquirer') - Number(b.role === 'acquirer'));
      for (const client of ordered) {
        if (options.interrupt?.aborted) break;
        const before = standin ? afterAcceptedCounts(standin) : undefined;
        const report = await runClient(
          target,
          client,
          { ...options, role: client.role ?? options.role, plan: planFor(item.env, client.role ?? options.role, options) },
          output,
          state,
          on,
        );
        if (standin && before) report.afterAccepted = afterAcceptedSince(standin, before);
        reports.push(report);
        on.clientDone(report);
      }
    } finally {
      await stop?.();
    }
    if (options.interrupt?.aborted) break;
  }
  return reports;
}

/** Runs, and tells `listeners` what happens as it goes (the reporters: what they print and write
 * is theirs). Returns the exit code. */
export async function smoke(options: SmokeOptions, output: Output, listeners: readonly RunListener[]): Promise<number> {
  if (options.trust.insecure) {
    output.warn(
      'WARNING: --insecure is on: TLS certificates are NOT verified, so anyone on the path can read your credentials. Never use it against dev, demo or integration.',
    );
  }
  const { work, skippedEnvs } = planWork(options);
  const on = allOf(listeners);
  const run = { ...options, correlationId: options.correlationId ?? randomUUID() };
  on.runStarted(run.correlationId);
  const reports = await runWork(work, run, output, on);
  const exitCode = exitCodeOf(reports);
  on.runDone({ reports, skipped: skippedEnvs, exitCode, generatedAt: new Date() });
  if (output.written.length) output.line(`reports: ${output.written.join(', ')}`);
  if (options.interrupt?.aborted) output.warn(`interrupted by ${String(options.interrupt.reason)}: the reports are partial and say so`);
  if (reports.length === 0) throw new UserError(`no environment had credentials: ${skippedEnvs.map((s) => s.reason).join('; ')}`);
  return exitCode;
}
