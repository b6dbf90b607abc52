// The one module that knows Newman. Everything else works with RunSpec and RunOutcome, so the
// runner can move to another engine (Newman is no longer actively developed) by changing this file.
import type { NewmanRunOptions } from 'newman';
import { parseOutcome } from '../contract.js';
import { UserError } from '../errors.js';
import { newmanNoProxy, proxyFor } from '../transport/proxy.js';
import type { ExecutionRecord, RunOutcome } from './records.js';
import type { RunListeners, RunSpec } from './run-spec.js';

type Newman = typeof import('newman');
let loading: Promise<Newman> | undefined;

/** Newman takes most of a second to load: a caller can start that early, beside network work. */
export function loadNewman(): Promise<Newman> {
  loading ??= import('newman').then((m) => (m as { default?: Newman }).default ?? m);
  return loading;
}

export const ABORT_GRACE_MS = 1_000;

// The parts of Newman's run events this module reads: typed here, the one place that knows them.
interface SdkItem {
  name: string;
  parent?: () => SdkItem | undefined;
}
interface SdkResponse {
  code: number;
  responseTime: number;
  stream?: Buffer;
  headers?: { get(name: string): string | undefined };
}
interface RequestArgs {
  cursor?: { scriptId?: string };
  request?: { method: string; url: { toString(): string } };
  response?: SdkResponse;
}
interface ItemArgs {
  cursor: { iteration: number };
  item: SdkItem;
}
interface ScriptArgs {
  execution?: { collectionVariables?: { toObject(): Record<string, unknown> }; environment?: { toObject(): Record<string, unknown> } };
}
type RequestError = (Error & { code?: string }) | null;
/** The part of Newman's run summary the runner lets go of (forgetFinished). */
interface RunEmitter {
  summary?: { run?: { executions?: { request?: unknown; response?: unknown }[] } };
}

/** The folder of an item: its parent, unless that parent is the collection itself. */
function folderOf(item: SdkItem): string {
  const parent = item.parent?.();
  return parent?.parent?.() ? parent.name : '';
}

function bodyText(response: SdkResponse): string {
  return response.stream ? Buffer.from(response.stream).toString('utf8') : '';
}

function errorOf(err: RequestError): { requestError: { code?: string; message: string } } | Record<string, never> {
  return err ? { requestError: { ...(err.code ? { code: err.code } : {}), message: err.message } } : {};
}

/** The collection with its variables' values replaced by `values` (a copy; the input is untouched). */
function withVariables(collection: object, values: Record<string, string> | undefined): object {
  if (!values) return collection;
  const copy = structuredClone(collection) as { variable?: { key: string; value?: unknown }[] };
  for (const v of copy.variable ?? []) if (v.key in values) v.value = values[v.key];
  return copy;
}

/** The collection variables a script left (the summary's collection does not carry what scripts set). */
function variablesOf(scope: { toObject(): Record<string, unknown> }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(scope.toObject()).map(([k, v]) => [k, typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v)]),
  );
}

function newmanOptions(spec: RunSpec): NewmanRunOptions {
  return {
    collection: withVariables(spec.collection, spec.collectionVariables),
    environment: spec.environment,
    envVar: Object.entries(spec.variables).map(([key, value]) => ({ key, value })),
    iterationCount: spec.iterations ?? spec.iterationData?.length ?? 1,
    ...(spec.iterationData ? { iterationData: spec.iterationData } : {}),
    timeoutRequest: spec.timeoutRequestMs ?? 30_000,
    timeout: spec.timeoutMs ?? 0,
    delayRequest: spec.delayRequestMs ?? 0,
    bail: spec.bail ?? false,
    insecure: spec.trust?.insecure ?? false,
    ...(spec.trust?.ca ? { sslExtraCaCerts: spec.trust.ca.path } : {}),
    // Never a redirect: a token request's secret (Basic header or form body) would go with it,
    // and nothing GDX answers is a redirect. pm.sendRequest follows the run's setting.
    ignoreRedirects: true,
    // Newman's own reporters print and write headers, bodies and the resolved environment: the
    // runner writes its reports itself, through the redactor.
    reporters: [],
    ...(spec.folders ? { folder: spec.folders } : {}),
  };
}

/** Turns Newman's events into ExecutionRecords, one per item run, and hands each to the listener
 * once the next begins (or the run ends). It keeps none of them: a long run holds what its
 * listeners keep, and no more. */
class Recorder {
  variables: Record<string, string>;
  /** The environment as the scripts left it (the guard disarms the opt-in there). */
  environment: Record<string, string> = {};
  private current: ExecutionRecord | undefined;
  private readonly said = new Set<string>();

  constructor(
    private readonly listeners: RunListeners,
    initialVariables: Record<string, string> | undefined,
  ) {
    this.variables = { ...initialVariables };
  }

  /** Bodies are for the listener only: dropping them after it ran keeps a long run's memory flat. */
  finish(): void {
    const record = this.current;
    this.current = undefined;
    if (!record) return;
    this.listeners.onExecution?.(record);
    delete record.responseBody;
    for (const r of record.scriptRequests) delete r.responseBody;
  }

  beforeItem(args: ItemArgs): void {
    this.finish();
    this.current = {
      iteration: args.cursor.iteration,
      folder: folderOf(args.item),
      name: args.item.name,
      skipped: true,
      assertions: [],
      scriptErrors: [],
      scriptRequests: [],
      outcomes: [],
    };
  }

  request(err: RequestError, args: RequestArgs): void {
    const current = this.current;
    if (!current) return;
    const response = args.response;
    if (args.cursor?.scriptId) {
      // pm.sendRequest shares the item's slot in Newman's events; the script id tells them apart.
      current.scriptRequests.push({
        method: args.request?.method ?? '',
        url: args.request?.url.toString() ?? '',
        ...(response ? { status: response.code, contentType: response.headers?.get('Content-Type'), responseBody: bodyText(response) } : {}),
        ...errorOf(err),
      });
      return;
    }
    current.skipped = false;
    current.method = args.request?.method ?? '';
    current.url = args.request?.url.toString();
    Object.assign(current, errorOf(err));
    if (err || !response) return;
    current.status = response.code;
    current.contentType = response.headers?.get('Content-Type');
    current.responseTimeMs = response.responseTime;
    current.responseBody = bodyText(response);
  }

  assertion(err: Error | null, name: string): void {
    this.current?.assertions.push({ name, ...(err ? { error: err.message } : {}) });
  }

  exception(message: string | undefined): void {
    this.current?.scriptErrors.push(message ?? 'script error');
  }

  /** An outcome line goes to the execution, as data; the line said beside it is passed on marked
   * as said (the runner shows the outcome its own way). */
  line(messages: unknown[]): void {
    const line = messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
    const outcome = parseOutcome(line);
    if (outcome) {
      this.current?.outcomes.push(outcome);
      if ('said' in outcome && outcome.said) this.said.add(outcome.said);
      return;
    }
    this.listeners.onConsole?.(line, this.said.delete(line));
  }

  script(args: ScriptArgs): void {
    const scope = args.execution?.collectionVariables;
    if (scope) this.variables = { ...this.variables, ...variablesOf(scope) };
    const environment = args.execution?.environment;
    if (environment) this.environment = { ...this.environment, ...variablesOf(environment) };
  }
}

function listen(emitter: import('node:events').EventEmitter, recorder: Recorder, isSettled: () => boolean): void {
  emitter.on('beforeItem', (_err: unknown, args: ItemArgs) => {
    if (!isSettled()) recorder.beforeItem(args);
  });
  emitter.on('request', (err: RequestError, args: RequestArgs) => recorder.request(err, args));
  emitter.on('assertion', (err: Error | null, args: { assertion: string }) => recorder.assertion(err, args.assertion));
  emitter.on('exception', (_err: unknown, args: { error?: { message?: string } }) => recorder.exception(args.error?.message));
  emitter.on('console', (_err: unknown, args: { messages: unknown[] }) => recorder.line(args.messages));
  emitter.on('script', (_err: unknown, args: ScriptArgs) => recorder.script(args));
  emitter.on('item', () => forgetFinished(emitter as RunEmitter));
}

/** Newman's run summary keeps every request and response it made, for its own reporters; the
 * runner gives it none, and has read what it needs of an item by the time the item ends. Left
 * there, a long run would hold every answer it had. The summary's records are shared with a
 * cache of its own, so it is their request and response that are let go, not only the list. */
function forgetFinished(emitter: RunEmitter): void {
  const executions = emitter.summary?.run?.executions;
  if (!executions) return;
  for (const e of executions) {
    delete e.request;
    delete e.response;
  }
  executions.length = 0;
}

/** Newman takes its proxy from the process's variables at each request, and reads NO_PROXY its own
 * way: it is told the hosts this run reaches directly, so that it goes where the runner's own
 * requests go (this machine never through a proxy). It only ever adds hosts reached directly
 * anyway, so runs side by side cannot disagree. */
function routeNewmanAsTheRunner(spec: RunSpec): void {
  const targets = [spec.variables['tokenUrl'], spec.variables['baseUrl']].filter((t): t is string => !!t && /^https?:\/\//i.test(t));
  // Newman does not verify an https:// proxy's own certificate when TLS checks are off.
  if (spec.trust?.insecure && targets.some((t) => proxyFor(t)?.url.protocol === 'https:')) {
    throw new UserError(
      "--insecure with an https:// proxy: Newman would not verify the proxy's own certificate either, so its credentials could go to whoever is in the path; drop --insecure, or trust the host's CA with --ca-file",
    );
  }
  Object.assign(process.env, newmanNoProxy(targets));
}

export async function runCollection(spec: RunSpec, listeners: RunListeners = {}): Promise<RunOutcome> {
  routeNewmanAsTheRunner(spec);
  const started = Date.now();
  const recorder = new Recorder(listeners, spec.collectionVariables);
  // An empty folder list means "nothing": given to Newman, it would mean "everything".
  if (spec.folders?.length === 0) return { durationMs: 0, collectionVariables: recorder.variables, environment: {} };
  const newman = await loadNewman();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (err?: Error | null): void => {
      if (settled) return;
      settled = true;
      recorder.finish();
      const aborted = spec.signal?.aborted ?? false;
      resolve({
        durationMs: Date.now() - started,
        collectionVariables: recorder.variables,
        environment: recorder.environment,
        ...(err ? { runError: err.message } : {}),
        ...(aborted ? { aborted } : {}),
      });
    };
    let abortRun: (() => void) | undefined;
    const onAbort = (): void => {
      abortRun?.();
      setTimeout(() => settle(), ABORT_GRACE_MS).unref();
    };
    const emitter = newman.run(newmanOptions(spec), (err) => {
      spec.signal?.removeEventListener('abort', onAbort);
      settle(err);
    });
    emitter.on('start', (_err: unknown, args: { run?: { abort(): void } }) => {
      abortRun = () => args.run?.abort();
      if (spec.signal?.aborted) abortRun();
    });
    if (spec.signal?.aborted) onAbort();
    else spec.signal?.addEventListener('abort', onAbort, { once: true });
    listen(emitter, recorder, () => settled);
  });
}
