// The sandbox library's functions as the collections carry them, loaded into a context of their own
// (as the generator carries them into each script), so that a test calls the text that ships.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { libraryFor, parseLibrary } from '../../src/generate/library.js';
import { SANDBOX_DIR } from '../../src/config/paths.js';

/** The named functions and what they call; `globals` stand in for the sandbox's objects. */
export function loadLibrary(names: readonly string[], globals: Record<string, unknown> = {}): Record<string, unknown> {
  const library = parseLibrary(readFileSync(join(SANDBOX_DIR, 'library.js'), 'utf8'));
  const text = libraryFor(names.join(' '), library);
  const context: Record<string, unknown> = { ...globals };
  runInNewContext(`${text}\n${names.map((n) => `this.${n} = ${n};`).join('\n')}`, context, { timeout: 1_000 });
  return context;
}
