// The one module that knows Newman. Everything else works with RunSpec and RunOutcome, so the
// runner can move to another engine (Newman is no longer actively developed) by changing this file.
import type { NewmanRunOptions } from 'newman';

type Newman = typeof import('newman');
let loading: Promise<Newman> | undefined;

/** Newman takes most of a second to load: a caller can start that early, beside network work. */
export function loadNewman(): Promise<Newman> {
  loading ??= import('newman').then((m) => (m as { default?: Newman }).default ?? m);
  return loading;
}

export interface RunSpec {
  /** Parsed collection and environment files, exactly as a tester imports them. */
  collection: object;
  environment: object;
  /** Values that override the environment file for this run only (credentials, URLs). */
  variables: Record<string, string>;
  folders?: string[];
  iterations?: number;
  /** Per request, in milliseconds. */
  timeoutRequestMs?: number;
  /** The whole run, in milliseconds. */
  timeoutMs?: number;
  delayRequestMs?: number;
  bail?: boolean;
  insecure?: boolean;
  /** Collection variables to start from (a later run of the same client carries its token cache
   * on, so that it asks Cognito for nothing new). */
  collectionVariables?: Record<string, string>;
  /** Aborting stops the run at the next request; if Newman is still busy (a request in flight)
   * after ABORT_GRACE_MS, the outcome is returned without waiting for it. */
  signal?: AbortSignal;
}

export const ABORT_GRACE_MS = 1_000;

export interface AssertionRecord {
  name: string;
  error?: string;
}

export interface ExecutionRecord {
  iteration: number;
  folder: string;
  name: string;
  /** Skipped by a pre-request script (empty queue, once-per-run checks, no token). */
  skipped: boolean;
  method?: string;
  url?: string;
  status?: number;
  contentType?: string;
  responseTimeMs?: number;
  responseBody?: string;
  /** A transport failure: refused, timed out, DNS, TLS. */
  requestError?: { code?: string; message: string };
  assertions: AssertionRecord[];
  /** Script errors (syntax, thrown outside a test). */
  scriptErrors: string[];
  /** Requests a script sent with pm.sendRequest (the token script's token requests). */
  scriptRequests: ScriptRequestRecord[];
}

export interface ScriptRequestRecord {
  method: string;
  url: string;
  status?: number;
  contentType?: string;
  responseBody?: string;
  requestError?: { code?: string; message: string };
}

export interface RunOutcome {
  executions: ExecutionRecord[];
  console: string[];
  durationMs: number;
  /** An error that stopped Newman itself (a collection it cannot read, say). */
  runError?: string;
  /** The run was stopped through RunSpec.signal. */
  aborted?: boolean;
  /** The collection variables as the run left them (the token cache among them). */
  collectionVariables: Record<string, string>;
}

export interface RunListeners {
  /** Called once a request (with its scripts) is done: progress and checks hang off it. The
   * record's response bodies are there during the call only. */
  onExecution?: (record: ExecutionRecord) => void;
  onConsole?: (line: string) => void;
}

type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function folderOf(item: Args): string {
  const parent = typeof item['parent'] === 'function' ? item['parent']() : undefined;
  return parent && parent.name && typeof parent['parent'] === 'function' && parent['parent']() ? String(parent.name) : '';
}

function bodyText(response: Args): string {
  return response['stream'] ? Buffer.from(response['stream']).toString('utf8') : '';
}

/** The collection with its variables' values replaced by `values` (a copy; the input is untouched). */
function withVariables(collection: object, values: Record<string, string> | undefined): object {
  if (!values) return collection;
  const copy = structuredClone(collection) as { variable?: { key: string; value?: unknown }[] };
  for (const v of copy.variable ?? []) if (v.key in values) v.value = values[v.key];
  return copy;
}

/** The collection variables a script left (the summary's collection does not carry what scripts set). */
function variablesOf(scope: Args | undefined): Record<string, string> {
  const values = typeof scope?.['toObject'] === 'function' ? (scope['toObject']() as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === undefined || v === null ? '' : String(v)]));
}

export async function runCollection(spec: RunSpec, listeners: RunListeners = {}): Promise<RunOutcome> {
  const options: NewmanRunOptions = {
    collection: withVariables(spec.collection, spec.collectionVariables),
    environment: spec.environment,
    envVar: Object.entries(spec.variables).map(([key, value]) => ({ key, value })),
    iterationCount: spec.iterations ?? 1,
    timeoutRequest: spec.timeoutRequestMs ?? 30_000,
    timeout: spec.timeoutMs ?? 0,
    delayRequest: spec.delayRequestMs ?? 0,
    bail: spec.bail ?? false,
    insecure: spec.insecure ?? false,
    // Newman's own reporters print and write headers, bodies and the resolved environment: the
    // runner writes its reports itself, through the redactor.
    reporters: [],
    ...(spec.folders ? { folder: spec.folders } : {}),
  };
  const started = Date.now();
  const executions: ExecutionRecord[] = [];
  const consoleLines: string[] = [];
  let current: ExecutionRecord | undefined;
  // Bodies are for the listener only: dropping them after it ran keeps a long run's memory flat.
  const finish = (record: ExecutionRecord): void => {
    listeners.onExecution?.(record);
    delete record.responseBody;
    for (const r of record.scriptRequests) delete r.responseBody;
  };

  // An empty folder list means "nothing": given to Newman, it would mean "everything".
  if (spec.folders && spec.folders.length === 0)
    return { executions, console: consoleLines, durationMs: 0, collectionVariables: { ...spec.collectionVariables } };

  const newman = await loadNewman();
  return new Promise((resolve) => {
    let settled = false;
    let variables: Record<string, string> = { ...spec.collectionVariables };
    const settle = (err?: Error | null): void => {
      if (settled) return;
      settled = true;
      if (current) finish(current);
      current = undefined;
      const aborted = spec.signal?.aborted ?? false;
      resolve({
        executions,
        console: consoleLines,
        durationMs: Date.now() - started,
        collectionVariables: variables,
        ...(err ? { runError: err.message } : {}),
        ...(aborted ? { aborted } : {}),
      });
    };
    let abortRun: (() => void) | undefined;
    const onAbort = (): void => {
      abortRun?.();
      setTimeout(() => settle(), ABORT_GRACE_MS).unref();
    };
    const emitter = newman.run(options, (err) => {
      spec.signal?.removeEventListener('abort', onAbort);
      settle(err);
    });
    emitter.on('script', (_err: unknown, args: Args) => {
      const scope = args['execution']?.['collectionVariables'];
      if (scope) variables = { ...variables, ...variablesOf(scope) };
    });
    emitter.on('start', (_err: unknown, args: Args) => {
      abortRun = () => args['run']?.abort();
      if (spec.signal?.aborted) abortRun();
    });
    if (spec.signal?.aborted) onAbort();
    else spec.signal?.addEventListener('abort', onAbort, { once: true });
    emitter.on('beforeItem', (_err: unknown, args: Args) => {
      if (settled) return;
      if (current) finish(current);
      current = {
        iteration: args['cursor'].iteration,
        folder: folderOf(args['item']),
        name: String(args['item'].name),
        skipped: true,
        assertions: [],
        scriptErrors: [],
        scriptRequests: [],
      };
      executions.push(current);
    });
    emitter.on('request', (err: (Error & { code?: string }) | null, args: Args) => {
      if (!current) return;
      if (args['cursor']?.scriptId) {
        // pm.sendRequest shares the item's slot in Newman's events; the script id tells them apart.
        const response = args['response'];
        current.scriptRequests.push({
          method: String(args['request']?.method ?? ''),
          url: String(args['request']?.url?.toString() ?? ''),
          ...(response ? { status: response.code, contentType: response.headers?.get('Content-Type') ?? undefined, responseBody: bodyText(response) } : {}),
          ...(err ? { requestError: { ...(err.code ? { code: err.code } : {}), message: err.message } } : {}),
        });
        return;
      }
      current.skipped = false;
      current.method = String(args['request']?.method ?? '');
      current.url = args['request']?.url?.toString();
      if (err) {
        current.requestError = { ...(err.code ? { code: err.code } : {}), message: err.message };
        return;
      }
      const response = args['response'];
      if (response) {
        current.status = response.code;
        current.contentType = response.headers?.get('Content-Type') ?? undefined;
        current.responseTimeMs = response.responseTime;
        current.responseBody = bodyText(response);
      }
    });
    emitter.on('assertion', (err: Error | null, args: Args) => {
      current?.assertions.push({ name: String(args['assertion']), ...(err ? { error: err.message } : {}) });
    });
    emitter.on('exception', (_err: unknown, args: Args) => {
      current?.scriptErrors.push(String(args['error']?.message ?? 'script error'));
    });
    emitter.on('console', (_err: unknown, args: Args) => {
      const line = (args['messages'] as unknown[]).map(String).join(' ');
      consoleLines.push(line);
      listeners.onConsole?.(line);
    });
  });
}
