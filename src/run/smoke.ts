// One smoke run: for each environment and client, plan the folders, check the hosts answer, run
// the committed collection through Newman, check answers and tokens, and report.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { foldersFor } from '../catalogue.js';
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
  return planFolders(env, { ...(role ? { role } : {}), ...(options.folders ? { folders: options.folders } : {}), acknowledge: options.acknowledge });
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

async function runClient(target: Target, client: Client, options: SmokeOptions & { correlationId: string }, output: Output): Promise<RunReport> {
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

  const tokenFolders = new Set(foldersFor(env).filter((f) => f.kind === 'token').map((f) => f.name));
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  if (options.interrupt?.aborted) stop.abort();
  options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  const watch = new RunWatch(options.timeoutMs);
  const jwksCache = new Map<string, Promise<JSONWebKeySet>>();
  const checks: Promise<TokenCheck>[] = [];
  const consoleLines: string[] = [];
  const outcome = await runCollection(
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
      },
      folders: plan.run.map((f) => f.name),
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
            checkToken(t, { clientId: client.clientId, requiredScopes: roleScopes(env, role), timeoutMs: options.timeoutMs, insecure: options.insecure, jwksCache }),
          );
        }
        const isTokenRequest = (url: string | undefined): boolean => url !== undefined && url.split('?')[0] === target.tokenUrl;
        report.tokenRequests += (isTokenRequest(e.url) ? 1 : 0) + e.scriptRequests.filter((r) => isTokenRequest(r.url)).length;
        report.tokensIssued += tokens.length;
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
        if (options.reporters.includes('cli') && !/^GDX (skip|CorrelationID): /.test(line)) output.line(`     console: ${line}`);
      },
    },
  );
  options.interrupt?.removeEventListener('abort', onInterrupt);
  report.tokenChecks = await Promise.all(checks);
  report.skippedFolders.push(...folderSkips(plan.run.map((f) => f.name), report.executions));
  const cause = report.fatal ?? fatalCause(outcome.executions) ?? outcome.runError;
  if (cause) report.fatal = cause;
  if (options.interrupt?.aborted) report.interrupted = String(options.interrupt.reason);
  report.durationMs = Date.now() - started.getTime();
  return report;
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

async function targetFor({ env, urls, files }: Work): Promise<{ target: Target; stop?: () => Promise<void> }> {
  if (env.name === 'local' && !urls.overridden) {
    // Loaded only for a local run: a run against a real host never needs the stand-in's code.
    const { startStandin } = await import('../standin/server.js');
    const standin = await startStandin();
    return { target: { env, tokenUrl: standin.tokenUrl, baseUrl: standin.baseUrl, files }, stop: () => standin.stop() };
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
    output.warn('WARNING: --insecure is on: TLS certificates are NOT verified, so anyone on the path can read your credentials. Never use it against dev, demo or integration.');
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
      const lookup = clientsFor(env, options.vars, { ...(options.role ? { role: options.role } : {}), allowGeneric: !options.all && options.environments.length === 1 });
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
  if (options.reporters.includes('cli')) output.line(`CorrelationID of this run: ${run.correlationId}`);
  for (const item of work) {
    const { target, stop } = await targetFor(item);
    try {
      // Suppliers first: the test event a supplier publishes is the one an acquirer then reads and
      // acknowledges.
      const ordered = [...item.clients].sort((a, b) => Number(a.role === 'acquirer') - Number(b.role === 'acquirer'));
      for (const client of ordered) {
        if (options.interrupt?.aborted) break;
        const report = await runClient(target, client, run, output);
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
