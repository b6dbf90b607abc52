// The run's per-execution work, in one named place: learn the tokens (so nothing after can print
// one) and verify them, count token requests, check answers against the schemas, render progress,
// and decide whether the run must stop.
import type { JWTVerifyGetKey } from 'jose';
import { foldersFor, PUBLISH_TEST_EVENT_REQUEST } from '../catalogue.js';
import type { EnvironmentSpec, Role } from '../config/environments.js';
import { checkFor, checkToken, roleScopes, schemaFailures, tokensIn } from './answer-checks.js';
import { withExecution, type TokenCheck } from '../report/model.js';
import type { ExecutionRecord } from './records.js';
import { issuerRule } from '../config/issuer.js';
import type { Output } from '../report/output.js';
import type { Trust } from '../transport/trust.js';
import type { RunReport } from '../report/model.js';
import { executionReport, fatalCause, skipReasonFor, type FolderRun } from './reading.js';
import type { RunListener } from '../report/listener.js';
import { RunWatch } from './watch.js';

export interface ObserverContext {
  env: EnvironmentSpec;
  role: Role | undefined;
  clientId: string;
  tokenUrl: string;
  timeoutMs: number;
  trust: Trust;
  /** This machine's clock minus the token endpoint's, when the preflight read it. */
  clockSkewMs?: number;
  /** Told of each request as it completes, and of what the scripts said. */
  on: Required<RunListener>;
  /** Its redactor learns every token as soon as it is seen. */
  output: Output;
  report: RunReport;
  /** Aborted when the run must stop (a token failure, a host gone). */
  stop: AbortController;
  /** Told of every test event this client published (201). */
  onTestEventPublished: () => void;
}

export class ExecutionObserver {
  readonly checks: Promise<TokenCheck>[] = [];
  /** The first exit-3 cause in what Newman recorded (no token, a host gone), if any. */
  cause: string | undefined;
  /** A "Find a test event" of the latest pass found none (beginPass starts a pass). */
  missedTestEvent = false;
  /** Each folder that ran: whether it sent anything, and the first reason one of its requests was skipped. */
  readonly folders = new Map<string, FolderRun>();
  private readonly watch: RunWatch;
  private readonly jwksCache = new Map<string, Promise<JWTVerifyGetKey>>();
  private readonly tokenFolders: Set<string>;

  constructor(private readonly ctx: ObserverContext) {
    this.watch = new RunWatch(ctx.timeoutMs);
    this.tokenFolders = new Set(
      foldersFor(ctx.env)
        .filter((f) => f.kind === 'token')
        .map((f) => f.name),
    );
  }

  /** A new Newman run of this client begins (the wait for a fan-out runs one folder again). */
  beginPass(): void {
    this.missedTestEvent = false;
  }

  onExecution(e: ExecutionRecord): void {
    this.learnTokens(e);
    this.cause ??= fatalCause([e]);
    if (e.outcomes.some((o) => o.kind === 'test-event' && !o.found)) this.missedTestEvent = true;
    if (e.name === PUBLISH_TEST_EVENT_REQUEST && e.status === 201) this.ctx.onTestEventPublished();
    for (const o of e.outcomes) if (o.kind === 'data-problem') this.ctx.report.dataProblems.push(o.message);
    const redact = (t: string): string => this.ctx.output.redactor.redact(t);
    const rendered = executionReport(e, schemaFailures(this.ctx.env, e, redact), skipReasonFor(e, this.tokenFolders.has(e.folder)), redact);
    withExecution(this.ctx.report, rendered);
    const folder = this.folders.get(e.folder);
    this.folders.set(e.folder, { sent: (folder?.sent ?? false) || !e.skipped, skipReason: folder?.skipReason ?? rendered.skipReason });
    const check = checkFor(this.ctx.env, e.folder, e.name);
    const reason = this.ctx.report.fatal ? undefined : this.watch.observe(e, check);
    // A refused seed request's failed assertions all say what the one cause line says.
    this.ctx.on.executionDone(rendered, !!reason && check?.kind === 'token-response' && !e.skipped);
    if (reason) {
      this.ctx.report.fatal = reason;
      this.ctx.stop.abort();
    }
  }

  /** A console line for people; what an outcome said beside its data is shown as the outcome. */
  onConsole(line: string, said: boolean): void {
    if (!said) this.ctx.on.console(line);
  }

  /** Learn the tokens first, so that nothing after can print one; verify each for real. */
  private learnTokens(e: ExecutionRecord): void {
    const { ctx } = this;
    const tokens = tokensIn(e);
    for (const t of tokens) {
      ctx.output.redactor.add(t.accessToken);
      const expected = {
        clientId: ctx.clientId,
        requiredScopes: roleScopes(ctx.env, ctx.role),
        timeoutMs: ctx.timeoutMs,
        trust: ctx.trust,
        issuer: issuerRule(ctx.env, ctx.tokenUrl),
      };
      const skew = ctx.clockSkewMs !== undefined ? { clockSkewMs: ctx.clockSkewMs } : {};
      this.checks.push(checkToken(t, { ...expected, ...skew, jwksCache: this.jwksCache }));
    }
    const isTokenRequest = (url: string | undefined): boolean => url?.split('?')[0] === ctx.tokenUrl;
    ctx.report.tokenRequests += (isTokenRequest(e.url) ? 1 : 0) + e.scriptRequests.filter((r) => isTokenRequest(r.url)).length;
    ctx.report.tokensIssued += tokens.length;
  }
}
