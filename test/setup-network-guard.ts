// Every test process runs under the network guard (guard/network-guard.mjs), and so does every
// process it starts (NODE_OPTIONS, from global-setup.ts). A test file after which the guard's log
// is not empty fails, naming each host it tried: no test reaches past loopback, not even by
// mistake. The test of the guard itself empties the log of what it tried on purpose.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import './guard/network-guard.mjs';

afterAll(() => {
  const file = process.env['GDX_TEST_NETWORK_LOG'];
  if (!file || !existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').trim();
  if (!lines) return;
  writeFileSync(file, '');
  throw new Error(`this file tried to reach past loopback, and the network guard refused:\n${lines}`);
});
