// Decides, request by request, when a run must stop early: a token failure (every later request
// would fail the same way, and each would be a billed token request), or an API host that stopped
// answering (a run of thousands of requests would otherwise grind on, one timeout each).
import type { Check } from '../catalogue.js';
import { refusalMessage } from '../token-policy.js';
import { describeNetworkError } from '../transport/http.js';
import type { ExecutionRecord } from './records.js';
import { tokenFailureOf } from './reading.js';

/** Transport errors in a row to one host that end a run. */
export const TRANSPORT_ERRORS_IN_A_ROW = 3;

export class RunWatch {
  private readonly inARow = new Map<string, number>();

  constructor(private readonly timeoutMs: number) {}

  /** The reason to stop after this request (`check`: what the request was meant to get), or
   * undefined to go on. */
  observe(e: ExecutionRecord, check?: Check): string | undefined {
    const tokenFailure = tokenFailureOf(e);
    if (tokenFailure) return tokenFailure.message;
    const refusal = check?.kind === 'token-response' ? seedRefusal(e) : undefined;
    if (refusal) return refusal;
    if (!e.url || e.skipped) return undefined;
    let host: string;
    try {
      host = new URL(e.url).host;
    } catch {
      return undefined;
    }
    if (!e.requestError) {
      this.inARow.delete(host);
      return undefined;
    }
    const count = (this.inARow.get(host) ?? 0) + 1;
    this.inARow.set(host, count);
    if (count < TRANSPORT_ERRORS_IN_A_ROW) return undefined;
    return `${host} stopped answering: ${describeNetworkError(e.requestError.code, this.timeoutMs)} (${count} requests in a row failed, so the run stopped)`;
  }
}

/** A seed token request (one that should get a token) refused with an OAuth error: the same
 * credentials would be refused for every request after it. */
function seedRefusal(e: ExecutionRecord): string | undefined {
  if (e.status === undefined || e.status < 400 || e.status >= 500 || !e.url) return undefined;
  let error: unknown;
  try {
    error = (JSON.parse(e.responseBody ?? '') as { error?: unknown }).error;
  } catch {
    return undefined;
  }
  if (typeof error !== 'string' || !/^[a-z_]{1,40}$/.test(error)) return undefined;
  return refusalMessage(new URL(e.url).host, e.status, error);
}
