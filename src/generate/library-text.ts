// The sandbox library's text (src/sandbox/library.js), which the runner and `token` load their
// pure functions from. The bundle inlines it (scripts/build/bundle.mjs replaces this module with
// the text itself), so the installed command reads no source file; run from src/, it reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_DIR } from '../config/paths.js';

export function sandboxLibraryText(): string {
  return readFileSync(join(SANDBOX_DIR, 'library.js'), 'utf8');
}
