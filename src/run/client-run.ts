// One client's run in one environment: the preflight, the Newman run of its planned folders, the
// wait for a published test event's fan-out, and the report of it all.
import { ACKNOWLEDGE_FOLDER } from '../catalogue.js';
import type { EnvironmentSpec, Role } from '../config/environments.js';
import type { Client } from '../config/credentials.js';
import { waitForFanOut } from './fan-out.js';
import { clockSkewMs as clockSkewOf, beyondTolerance, describeSkew } from '../transport/clock.js';
import { NetworkError, redirectRefusal, send } from '../transport/http.js';
import { ProxyRefused } from '../transport/proxy.js';
import { loadNewman, runCollection } from './newman.js';
import type { RunOutcome } from './records.js';
import { ExecutionObserver } from './observer.js';
import type { ClientStart, RunListener } from '../report/listener.js';
import type { Output } from '../report/output.js';
import type { FolderPlan } from './plan.js';
import { NO_EXECUTIONS, type RunReport } from '../report/model.js';
import { folderSkips } from './reading.js';
import type { SmokeOptions } from './options.js';

export interface Target {
  env: EnvironmentSpec;
  tokenUrl: string;
  baseUrl: string;
  tokenUrlFrom?: string;
  baseUrlFrom?: string;
  /** The environment's collection and environment files, read (and checked) once. */
  files: { collection: object; environment: object };
}

/** The run's state that outlives one client: whether it has published a test event here yet. */
export interface RunState {
  publishedTestEvents: Map<string, number>;
}

type ClientOptions = SmokeOptions & { correlationId: string; role: Role | undefined; plan: FolderPlan };

interface Preflight {
  fatal?: string;
  /** This machine's clock minus the token endpoint's (its Date header). */
  clockSkewMs?: number;
}

/** Fails fast, with the host and the cause, before a run would wait on every request in turn. */
async function preflight(tokenUrl: string, baseUrl: string, options: SmokeOptions): Promise<Preflight> {
  // Both hosts at once, and while Newman loads; a GET costs no token: Cognito answers it 405.
  // Only a 5xx says the endpoint is broken. The token endpoint's trouble is named first.
  const [token, api] = await Promise.allSettled([
    send(tokenUrl, { timeoutMs: options.timeoutMs, trust: options.trust }),
    send(baseUrl, { timeoutMs: options.timeoutMs, trust: options.trust }),
    loadNewman(),
  ]);
  for (const answer of [token, api]) {
    if (answer.status === 'rejected') {
      if (answer.reason instanceof NetworkError || answer.reason instanceof ProxyRefused) return { fatal: answer.reason.message };
      throw answer.reason;
    }
  }
  if (token.status !== 'fulfilled') return {};
  const skew = clockSkewOf(token.value.date, token.value.sentAt, token.value.receivedAt);
  const clock = skew !== undefined ? { clockSkewMs: skew } : {};
  if (token.value.status >= 500) {
    const type = token.value.contentType.split(';')[0] || 'no content type';
    return {
      fatal: `the token endpoint ${new URL(tokenUrl).host} answered ${token.value.status} with ${type}: the service may be down, or the token URL may be wrong; check --token-url`,
    };
  }
  if (token.value.status >= 300 && token.value.status < 400) {
    return { fatal: redirectRefusal(tokenUrl, token.value.status, token.value.location), ...clock };
  }
  return clock;
}

function newReport(target: Target, client: Client, options: ClientOptions): RunReport {
  return {
    environment: target.env.name,
    clientId: client.clientId,
    ...(options.role ? { role: options.role } : {}),
    tokenUrl: target.tokenUrl,
    baseUrl: target.baseUrl,
    ...(target.tokenUrlFrom ? { tokenUrlFrom: target.tokenUrlFrom } : {}),
    ...(target.baseUrlFrom ? { baseUrlFrom: target.baseUrlFrom } : {}),
    correlationId: options.correlationId,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    counts: { ...NO_EXECUTIONS },
    failedExecutions: [],
    failedExecutionsLeftOut: 0,
    skippedFolders: [...options.plan.skipped],
    tokenChecks: [],
    tokenRequests: 0,
    tokensIssued: 0,
    dataProblems: [],
  };
}

/** Who this client run is, and where it goes, for the listeners. */
function startOf(target: Target, client: Client, role: Role | undefined): ClientStart {
  return {
    environment: target.env.name,
    clientId: client.clientId,
    ...(role ? { role } : {}),
    source: client.source,
    tokenUrl: target.tokenUrl,
    baseUrl: target.baseUrl,
    ...(target.tokenUrlFrom ? { tokenUrlFrom: target.tokenUrlFrom } : {}),
    ...(target.baseUrlFrom ? { baseUrlFrom: target.baseUrlFrom } : {}),
  };
}

/** One Newman run of `folders` for this client, through the observer. */
function pass(target: Target, client: Client, options: ClientOptions, observer: ExecutionObserver, stop: AbortSignal) {
  return (folders: string[], collectionVariables?: Record<string, string>): Promise<RunOutcome> => {
    observer.beginPass();
    return runCollection(
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
        trust: options.trust,
        signal: stop,
      },
      { onExecution: (e) => observer.onExecution(e), onConsole: (line, said) => observer.onConsole(line, said) },
    );
  };
}

export async function runClient(
  target: Target,
  client: Client,
  options: ClientOptions,
  output: Output,
  state: RunState,
  on: Required<RunListener>,
): Promise<RunReport> {
  const { env } = target;
  const started = Date.now();
  output.redactor.addClient(client.clientId, client.clientSecret);
  const report = newReport(target, client, options);
  on.clientStarted(startOf(target, client, options.role));
  const finished = (): RunReport => Object.assign(report, { durationMs: Date.now() - started });
  // Nothing planned, nothing sent: not even the preflight.
  if (options.plan.run.length === 0) return finished();
  const checked = await preflight(target.tokenUrl, target.baseUrl, options);
  if (checked.clockSkewMs !== undefined) report.clockSkewMs = checked.clockSkewMs;
  if (beyondTolerance(checked.clockSkewMs)) {
    output.warn(`clock: ${describeSkew(checked.clockSkewMs)} (its Date header); the token checks will say so if it makes a token look expired`);
  }
  if (checked.fatal) return Object.assign(finished(), { fatal: checked.fatal });

  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  if (options.interrupt?.aborted) stop.abort();
  options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const onTestEventPublished = (): void => void state.publishedTestEvents.set(env.name, (state.publishedTestEvents.get(env.name) ?? 0) + 1);
  const observer = new ExecutionObserver({
    ...{ env, role: options.role, clientId: client.clientId, tokenUrl: target.tokenUrl, timeoutMs: options.timeoutMs, trust: options.trust },
    ...(checked.clockSkewMs !== undefined ? { clockSkewMs: checked.clockSkewMs } : {}),
    ...{ on, output, report, stop, onTestEventPublished },
  });
  const run = pass(target, client, options, observer, stop.signal);
  let outcome = await run(options.plan.run.map((f) => f.name));
  // The last "Find a test event" found none, although this run published one here.
  const pending = (): boolean => (state.publishedTestEvents.get(env.name) ?? 0) > 0 && !report.fatal && observer.missedTestEvent;
  await waitForFanOut(
    pending,
    async () => {
      outcome = await run([ACKNOWLEDGE_FOLDER], outcome.collectionVariables);
    },
    (line) => on.note(line),
    stop.signal,
  );
  options.interrupt?.removeEventListener('abort', onInterrupt);
  report.tokenChecks = await Promise.all(observer.checks);
  report.skippedFolders.push(
    ...folderSkips(
      options.plan.run.map((f) => f.name),
      observer.folders,
    ),
  );
  const cause = report.fatal ?? observer.cause ?? outcome.runError;
  if (cause) report.fatal = cause;
  if (options.interrupt?.aborted) report.interrupted = String(options.interrupt.reason);
  return finished();
}
