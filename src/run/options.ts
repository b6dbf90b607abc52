// What a run of many is asked to do: the commands build it, smoke.ts and client-run.ts read it.
import type { ClientAuthMethod } from '../config/credentials.js';
import type { EnvironmentSpec, Role } from '../config/environments.js';
import type { Trust } from '../transport/trust.js';

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
  tokenUrl?: string;
  baseUrl?: string;
  /** --insecure, and the CA file to trust (--ca-file, GDX_CA_FILE). */
  trust: Trust;
  method: ClientAuthMethod;
  /** Where collections/ and environments/ are read from. */
  filesDir: string;
  /** The CorrelationID of this run (default: a new UUID). */
  correlationId?: string;
  /** Aborted with the signal's name (SIGINT, SIGTERM) to stop the run and write partial reports. */
  interrupt?: AbortSignal;
}
