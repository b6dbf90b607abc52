// The options and checks that several commands share: defined once, so that --ca-file means the
// same in smoke, token and doctor.
import { ENVIRONMENT_NAMES, findEnvironment, type EnvironmentSpec } from '../config/environments.js';
import type { ClientAuthMethod } from '../config/credentials.js';
import { UserError } from '../errors.js';
import { trustFrom, type Trust } from '../transport/trust.js';

export const METHODS = ['client_secret_basic', 'client_secret_post'] as const;
// Typed, so that yargs infers the option as the union and not as string.
export const DEFAULT_METHOD: ClientAuthMethod = 'client_secret_basic';
export const INSECURE = { type: 'boolean', default: false, describe: 'Do not verify TLS certificates (private test deployments only)' } as const;
export const CA_FILE = {
  type: 'string',
  describe: "Trust this CA certificate (PEM) beside the system's: your department proxy's root CA (default: GDX_CA_FILE)",
  variable: 'GDX_CA_FILE',
} as const;
export const TOKEN_URL = { type: 'string', describe: "Use this token URL instead of the environment's", variable: 'GDX_<ENV>_TOKEN_URL' } as const;
export const BASE_URL = { type: 'string', describe: "Use this API base URL instead of the environment's", variable: 'GDX_<ENV>_BASE_URL' } as const;

export function environment(name: string): EnvironmentSpec {
  const env = findEnvironment(name);
  if (!env) throw new UserError(`unknown environment "${name}": use one of ${ENVIRONMENT_NAMES.join(', ')}, or all`);
  return env;
}

export function positiveInt(option: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new UserError(`${option} must be a whole number from 1 to ${max}`);
  return value;
}

export const list = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

/** --ca-file (else GDX_CA_FILE) and --insecure, as every command trusts TLS. */
export function trustOf(argv: { caFile?: string | undefined; insecure: boolean }, vars: Record<string, string | undefined>): Trust {
  return trustFrom({ ...(argv.caFile ? { caFile: argv.caFile } : {}), insecure: argv.insecure }, vars);
}
