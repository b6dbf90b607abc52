import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The same module runs from src/ (tsx, vitest) and from dist/ (compiled): find the project root
// by its package.json instead of counting ../ so both layouts read the same data files.
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const SCHEMA_DIR = join(PROJECT_ROOT, 'src', 'schemas');
export const SANDBOX_DIR = join(PROJECT_ROOT, 'src', 'sandbox');
