// The network guard for the clients that are not plain Node processes (the Postman CLI is one
// binary): the tests' forward proxy on loopback, which their HTTP(S)_PROXY names, guarded. It
// carries what goes to loopback, as the direct route would, and refuses anything else with 403,
// writing it to the same log as the in-process guard.
import { appendFileSync } from 'node:fs';
import { forwardProxy, type Running } from '../helpers/servers.js';
import { mayTry } from './network-guard.mjs';

/** A client's own traffic that no switch turns off: refused like the rest, but counted rather
 * than logged, since no test asked for it and none can stop it. The Postman CLI 1.62.0 opens a
 * tunnel to events.getpostman.com on every collection run, --no-report-events or not (measured
 * through a proxy; 1.34.0 sends nothing there); either binary asks dl-cli.pstmn.io for a newer
 * version of itself once its cooldown has passed (1.62.0 not with POSTMAN_CLI_SKIP_UPDATE_CHECK,
 * which helpers/clients.ts sets). */
export const CLIENT_TELEMETRY: readonly string[] = ['events.getpostman.com', 'dl-cli.pstmn.io'];

export interface GuardProxy extends Running {
  /** How many tunnels to CLIENT_TELEMETRY it refused. */
  telemetryRefused(): number;
}

export async function startGuardProxy(log: string): Promise<GuardProxy> {
  let telemetry = 0;
  const proxy = await forwardProxy(
    undefined,
    {},
    {
      allow: mayTry,
      refused: (authority) => {
        if (CLIENT_TELEMETRY.includes(authority.slice(0, authority.lastIndexOf(':')).toLowerCase())) telemetry++;
        else appendFileSync(log, `${authority} (through the guard proxy)\n`);
      },
    },
  );
  return Object.assign(proxy, { telemetryRefused: () => telemetry });
}
