// The network guard for the clients that are not plain Node processes (the Postman CLI is one
// binary): the tests' forward proxy on loopback, which their HTTP(S)_PROXY names, guarded. It
// carries what goes to loopback, as the direct route would, and refuses anything else with 403,
// writing it to the same log as the in-process guard.
import { appendFileSync } from 'node:fs';
import { forwardProxy, type Running } from '../helpers/servers.js';
import { mayTry } from './network-guard.mjs';

export function startGuardProxy(log: string): Promise<Running> {
  return forwardProxy(undefined, {}, { allow: mayTry, refused: (authority) => appendFileSync(log, `${authority} (through the guard proxy)\n`) });
}
