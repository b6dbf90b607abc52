// Every stand-in the suite starts, in the test processes and in the CLIs they spawn, writes each
// record it dead-letters to the file that global-setup.ts names: a test file after which it is not
// empty fails, so no test can send what would page the platform team without meaning to (those
// that mean to give their stand-in a file of their own).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';

afterAll(() => {
  const file = process.env['GDX_STANDIN_DEAD_LETTER_FILE'];
  if (!file || !existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').trim();
  if (!lines) return;
  writeFileSync(file, '');
  throw new Error(`this file made a stand-in dead-letter a record it did not mean to (each would page the platform team):\n${lines}`);
});
