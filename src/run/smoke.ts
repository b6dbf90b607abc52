// One smoke run: for each environment and client, plan the folders, check the hosts answer, run
// the committed collection through Newman, check answers and tokens, and report.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { ACKNOWLEDGE_FOLDER, ACKNOWLEDGE_REQUEST, foldersFor, PUBLISH_TEST_EVENT_REQUEST } from '../catalogue.js';
import { type EnvironmentSpec, type Role } from '../environments.js';
import { EXIT, UserError } from '../errors.js';
import { collectionPath, environmentPath } from '../generate/names.js';
import { checkFor, checkToken, roleScopes, schemaFailures, tokensIn, type TokenCheck } from './checks.js';
import { clientsFor, urlsFor, type Client } from './credentials.js';
import { NetworkError, send } from './http.js';
import { loadNewman, runCollection } from './newman.js';
import type { Output } from './output.js';
import { planFolders, type FolderPlan } from './plan.js';
import { executionReport, fatalCause, folderSkips, skipReasonFor, totals, type RunReport } from './report.js';
import { htmlReport } from './html-report.js';
import { RunWatch } from './watch.js';
import { jsonSummary, junitXml, oneLineResult, progressLine, summaryTable, type SkippedEnvironment } from './reporters.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';
export type ReporterName = 'cli' | 'junit' | 'json' | 'html';

export interface SmokeOptions {
  environments: readonly EnvironmentSpec[];
  /** --env all: environments without their own credentials are skipped, not an error. */
  all: boolean;
  vars: Record<string, string | undefined>;
  role?: Role;
  folders?: string[];
  iterations: number;
  timeoutMs: number;
  delayRequestMs?: number;
  bail: boolean;
  acknowledge: boolean;
  /** Send the opt-in folder's death notification (once per run), which other departments receive. */
  publishDeathNotification?: boolean;
  reporters: readonly ReporterName[];
  outDir: string;
  tokenUrl?: string;
  baseUrl?: string;
  insecure: boolean;
  method: ClientAuthMethod;
  /** Where collections/ and environments/ are read from. */
  filesDir: string;
  /** The CorrelationID of this run (default: a new UUID). */
  correlationId?: string;
  /** Aborted with the signal's name (SIGINT, SIGTERM) to stop the run and write partial reports. */
  interrupt?: AbortSignal;
}

/** The line the collections print for a platform-side data problem (api-response.test.js). */
const DATA_PROBLEM = /^GDX data problem: (.*?); report it to the GDX team/;

/** The report files a run writes: a new run removes all of them first, so none is left stale. */
export const REPORT_FILES = { junit: 'junit.xml', json: 'summary.json', html: 'report.html' } as const;

function readJsonFile(dir: string, relative: string): object {
  const path = join(dir, relative);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`${relative} is missing: run npm run generate`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    return parsed;
  } catch {
    throw new UserError(`${relative} is not valid JSON: run npm run generate (or git checkout ${relative})`);
  }
}

/** Fails fast, with the host and the cause, before a run would wait on every request in turn. */
async function preflight(tokenUrl: string, baseUrl: string, options: SmokeOptions): Promise<string | undefined> {
  // Both hosts at once, and while Newman loads; a GET costs no token: Cognito answers it 405.
  // Only a 5xx says the endpoint is broken. The token endpoint's trouble is named first.
  const [token, api] = await Promise.allSettled([
    send(tokenUrl, { timeoutMs: options.timeoutMs, insecure: options.insecure }),
    send(baseUrl, { timeoutMs: options.timeoutMs, insecure: options.insecure }),
    loadNewman(),
  ]);
  for (const answer of [token, api]) {
    if (answer.status === 'rejected') {
      if (answer.reason instanceof NetworkError) return answer.reason.message;
      throw answer.reason;
    }
  }
  if (token.status === 'fulfilled' && token.value.status >= 500) {
    const type = token.value.contentType.split(';')[0] || 'no content type';
    return `the token endpoint ${new URL(tokenUrl).host} answered ${token.value.status} with ${type}: the service may be down, or the token URL may be wrong; check --token-url`;
  }
  return undefined;
}

function planFor(env: EnvironmentSpec, role: Role | undefined, options: SmokeOptions): FolderPlan {
  return planFolders(env, {
    ...(role ? { role } : {}),
    ...(options.folders ? { folders: options.folders } : {}),
    acknowledge: options.acknowledge,
    publishDeathNotification: options.publishDeathNotification ?? false,
  });
}

interface Target {
  env: EnvironmentSpec;
  tokenUrl: string;
  baseUrl: string;
  tokenUrlFrom?: string;
  baseUrlFrom?: string;
  /** The environment's collection and environment files, read (and checked) once. */
  files: { collection: object; environment: object };
}

/** How the runner waits for a published test event to reach the acquirer's queue before it
 * acknowledges it: the fan-out is asynchronous and takes seconds on the real service. The
 * platform's own post-deploy hook waits 20 s, then lists up to 5 times, 5 s apart (hook.py): at most
 * 45 s. The runner tries at once, then every 5 s within the same 45 s. */
export const FAN_OUT_WAIT = { everyMs: 5_000, totalMs: 45_000 } as const;

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The run's state that outlives one client: whether it has published a test event here yet. */
export interface RunState {
  publishedTestEvents: Map<string, number>;
}

async function runClient(
  target: Target,
  client: Client,
  options: SmokeOptions & { correlationId: string },
  output: Output,
  state: RunState,
): Promise<RunReport> {
  const { env } = target;
  const role = client.role ?? options.role;
  output.redactor.addClient(client.clientId, client.clientSecret);
  const plan = planFor(env, role, options);
  const started = new Date();
  const report: RunReport = {
    environment: env.name,
    clientId: client.clientId,
    ...(role ? { role } : {}),
    tokenUrl: target.tokenUrl,
    baseUrl: target.baseUrl,
    ...(target.tokenUrlFrom ? { tokenUrlFrom: target.tokenUrlFrom } : {}),
    ...(target.baseUrlFrom ? { baseUrlFrom: target.baseUrlFrom } : {}),
    correlationId: options.correlationId,
    startedAt: started.toISOString(),
    durationMs: 0,
    executions: [],
    skippedFolders: [...plan.skipped],
    tokenChecks: [],
    tokenRequests: 0,
    tokensIssued: 0,
    dataProblems: [],
  };
  const from = (source?: string): string => (source ? ` (from ${source})` : '');
  output.line(`\n${env.name}: ${client.clientId}${role ? ` as ${role}` : ''} (credentials from ${client.source})`);
  output.line(`  token endpoint ${target.tokenUrl}${from(target.tokenUrlFrom)}, API ${target.baseUrl}${from(target.baseUrlFrom)}`);

  // Nothing planned, nothing sent: not even the preflight.
  if (plan.run.length === 0) {
    report.durationMs = Date.now() - started.getTime();
    return report;
  }

  const fatal = await preflight(target.tokenUrl, target.baseUrl, options);
  if (fatal) {
    report.fatal = fatal;
    report.durationMs = Date.now() - started.getTime();
    return report;
  }

  const tokenFolders = new Set(
    foldersFor(env)
      .filter((f) => f.kind === 'token')
      .map((f) => f.name),
  );
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  if (options.interrupt?.aborted) stop.abort();
  options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const watch = new RunWatch(options.timeoutMs);
  const jwksCache = new Map<string, Promise<JSONWebKeySet>>();
  const checks: Promise<TokenCheck>[] = [];
  const consoleLines: string[] = [];
  const pass = (folders: string[], collectionVariables?: Record<string, string>) =>
    runCollection(
      {
        // A copy for each run: one environment's files serve each of its clients in turn.
        collection: structuredClone(target.files.collection),
        environment: structuredClone(target.files.environment),
        variables: {
          tokenUrl: target.tokenUrl,
          baseUrl: target.baseUrl,
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          clientAuthMethod: options.method,
          correlationId: options.correlationId,
          // Whatever an environment file says: only the flag sends what other departments receive.
          publishDeathNotification: String(options.publishDeathNotification ?? false),
        },
        ...(collectionVariables ? { collectionVariables } : {}),
        folders,
        iterations: options.iterations,
        timeoutRequestMs: options.timeoutMs,
        ...(options.delayRequestMs ? { delayRequestMs: options.delayRequestMs } : {}),
        bail: options.bail,
        insecure: options.insecure,
        signal: stop.signal,
      },
      {
        onExecution: (e) => {
          // Learn the tokens first, so that nothing below can print one.
          const tokens = tokensIn(e);
          for (const t of tokens) {
            output.redactor.add(t.accessToken);
            checks.push(
              checkToken(t, {
                clientId: client.clientId,
                requiredScopes: roleScopes(env, role),
                timeoutMs: options.timeoutMs,
                insecure: options.insecure,
                jwksCache,
              }),
            );
          }
          const isTokenRequest = (url: string | undefined): boolean => url !== undefined && url.split('?')[0] === target.tokenUrl;
          report.tokenRequests += (isTokenRequest(e.url) ? 1 : 0) + e.scriptRequests.filter((r) => isTokenRequest(r.url)).length;
          report.tokensIssued += tokens.length;
          if (e.name === PUBLISH_TEST_EVENT_REQUEST && e.status === 201)
            state.publishedTestEvents.set(env.name, (state.publishedTestEvents.get(env.name) ?? 0) + 1);
          const rendered = executionReport(e, schemaFailures(env, e), skipReasonFor(e, consoleLines, tokenFolders.has(e.folder)));
          report.executions.push(rendered);
          const check = checkFor(env, e.folder, e.name);
          const reason = report.fatal ? undefined : watch.observe(e, check);
          if (options.reporters.includes('cli')) {
            // A refused seed request's failed assertions all say what the one cause line says.
            const refused = reason && check?.kind === 'token-response' && !e.skipped;
            const lines = refused ? [`  x  ${e.folder} / ${e.name}  ${e.status ?? '---'}  refused (the cause is below)`] : progressLine(rendered);
            for (const l of lines) output.line(l);
          }
          if (reason) {
            report.fatal = reason;
            stop.abort();
          }
        },
        onConsole: (line) => {
          consoleLines.push(line);
          const problem = DATA_PROBLEM.exec(line);
          if (problem) report.dataProblems.push(problem[1]!);
          if (options.reporters.includes('cli') && !/^GDX (skip|CorrelationID): /.test(line)) output.line(`     console: ${line}`);
        },
      },
    );
  let outcome = await pass(plan.run.map((f) => f.name));
  const executions = [...outcome.executions];
  // The fan-out is asynchronous: an acquirer that found no test event although this run published
  // one waits for it, bounded, and tries the acknowledge folder again with the same token.
  const waitedFor = (): boolean =>
    plan.run.some((f) => f.name === ACKNOWLEDGE_FOLDER) &&
    (state.publishedTestEvents.get(env.name) ?? 0) > 0 &&
    !outcome.executions.some((e) => e.name === ACKNOWLEDGE_REQUEST && !e.skipped) &&
    !report.fatal &&
    !stop.signal.aborted;
  for (let waited = 0; waitedFor() && waited < FAN_OUT_WAIT.totalMs; waited += FAN_OUT_WAIT.everyMs) {
    output.line(
      `  waiting ${FAN_OUT_WAIT.everyMs / 1000} s for the published test event to reach the queue (fan-out is asynchronous; ` +
        `${(waited + FAN_OUT_WAIT.everyMs) / 1000} of at most ${FAN_OUT_WAIT.totalMs / 1000} s, as the platform's own check waits)`,
    );
    await pause(FAN_OUT_WAIT.everyMs, stop.signal);
    if (stop.signal.aborted) break;
    outcome = await pass([ACKNOWLEDGE_FOLDER], outcome.collectionVariables);
    executions.push(...outcome.executions);
  }
  options.interrupt?.removeEventListener('abort', onInterrupt);
  report.tokenChecks = await Promise.all(checks);
  report.skippedFolders.push(
    ...folderSkips(
      plan.run.map((f) => f.name),
      report.executions,
    ),
  );
  const cause = report.fatal ?? fatalCause(executions) ?? outcome.runError;
  if (cause) report.fatal = cause;
  if (options.interrupt?.aborted) report.interrupted = String(options.interrupt.reason);
  report.durationMs = Date.now() - started.getTime();
  return report;
}

interface AfterAccepted {
  dropped: number;
  deadLettered: number;
  accepted: number;
}

function afterAcceptedCounts(standin: LocalStandin): AfterAccepted {
  const { dropped, deadLettered } = standin.store.tally;
  return { dropped: Object.values(dropped).reduce((a, b) => a + b, 0), deadLettered, accepted: standin.store.deathNotifications.length };
}

/** What the stand-in did after its 201s during one client's run: what a real run would have lost
 * or dead-lettered, out of the tester's sight. */
function afterAcceptedSince(standin: LocalStandin, before: AfterAccepted): NonNullable<RunReport['afterAccepted']> {
  const now = afterAcceptedCounts(standin);
  const details = standin.store.deathNotifications
    .slice(before.accepted)
    .flatMap((d) =>
      d.outcome === 'dead-lettered'
        ? [`a death notification (CorrelationID ${d.correlationId}) would be dead-lettered and page the platform team: ${d.reason}`]
        : [],
    );
  const dropped = now.dropped - before.dropped;
  if (dropped) details.push(`${dropped} published event(s) would be lost after the 201: the id was used before or is over 80 characters`);
  return { dropped, deadLettered: now.deadLettered - before.deadLettered, details };
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

type LocalStandin = Awaited<ReturnType<(typeof import('../standin/server.js'))['startStandin']>>;

async function targetFor({ env, urls, files }: Work): Promise<{ target: Target; stop?: () => Promise<void>; standin?: LocalStandin }> {
  if (env.name === 'local' && !urls.overridden) {
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

export async function smoke(options: SmokeOptions, output: Output): Promise<number> {
  if (options.insecure) {
    output.warn(
      'WARNING: --insecure is on: TLS certificates are NOT verified, so anyone on the path can read your credentials. Never use it against dev, demo or integration.',
    );
  }
  if (options.publishDeathNotification && !options.environments.some((e) => e.apis.includes('death-notification-v2'))) {
    throw new UserError(
      `--publish-death-notification: ${options.environments.map((e) => e.name).join(', ')} has no death-notification API; it applies to integration (and local)`,
    );
  }
  // Check every environment's credentials, files and folders before running any, so that a typo
  // fails in a second. With --env all, an environment without credentials, or without the role
  // asked for, is skipped with the reason; a damaged file is an error wherever it is.
  const work: Work[] = [];
  const skippedEnvs: SkippedEnvironment[] = [];
  const planned: { env: string; plan: FolderPlan }[] = [];
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
      planned.push(...lookup.clients.map((c) => ({ env: env.name, plan: planFor(env, c.role ?? options.role, options) })));
    } catch (e) {
      if (!(e instanceof UserError) || !options.all) throw e;
      skippedEnvs.push({ environment: env.name, reason: e.message });
    }
  }

  // Filters that leave nothing to run are a mistake to say, not a run to make.
  if (planned.length && planned.every((p) => p.plan.run.length === 0)) {
    const reasons = [...new Set(planned.flatMap((p) => p.plan.skipped.map((s) => `"${s.folder}": ${s.reason}`)))];
    throw new UserError(`nothing to run: every folder is left out (${reasons.join('; ')}); change --folder, --role or --no-acknowledge`);
  }
  // A report left from an earlier run must never pass for this one's.
  for (const name of Object.values(REPORT_FILES)) rmSync(join(options.outDir, name), { force: true });

  const reports: RunReport[] = [];
  const run = { ...options, correlationId: options.correlationId ?? randomUUID() };
  const state: RunState = { publishedTestEvents: new Map() };
  if (options.reporters.includes('cli')) output.line(`CorrelationID of this run: ${run.correlationId}`);
  for (const item of work) {
    const { target, stop, standin } = await targetFor(item);
    try {
      // Suppliers first: the test event a supplier publishes is the one an acquirer then reads and
      // acknowledges.
      const ordered = [...item.clients].sort((a, b) => Number(a.role === 'acquirer') - Number(b.role === 'acquirer'));
      for (const client of ordered) {
        if (options.interrupt?.aborted) break;
        const before = standin ? afterAcceptedCounts(standin) : undefined;
        const report = await runClient(target, client, run, output, state);
        if (standin && before) report.afterAccepted = afterAcceptedSince(standin, before);
        reports.push(report);
        if (!options.reporters.includes('cli')) output.line(oneLineResult(report));
      }
    } finally {
      await stop?.();
    }
    if (options.interrupt?.aborted) break;
  }
  const exitCode = exitCodeOf(reports);
  if (options.reporters.includes('cli')) {
    output.line('');
    output.line(summaryTable(reports, skippedEnvs));
  } else {
    for (const r of reports) if (r.fatal) output.warn(`${r.environment}: ${r.fatal}`);
  }
  if (options.reporters.includes('junit')) output.file(options.outDir, REPORT_FILES.junit, junitXml(reports));
  if (options.reporters.includes('json')) output.file(options.outDir, REPORT_FILES.json, jsonSummary(reports, skippedEnvs, exitCode));
  if (options.reporters.includes('html')) output.file(options.outDir, REPORT_FILES.html, htmlReport(reports, skippedEnvs, exitCode, new Date()));
  if (output.written.length) output.line(`reports: ${output.written.join(', ')}`);
  if (options.interrupt?.aborted) output.warn(`interrupted by ${String(options.interrupt.reason)}: the reports are partial and say so`);
  if (reports.length === 0) throw new UserError(`no environment had credentials: ${skippedEnvs.map((s) => s.reason).join('; ')}`);
  return exitCode;
}
