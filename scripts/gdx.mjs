#!/usr/bin/env node
// What the npm scripts run: the compiled CLI, rebuilt first only when a source file is newer than
// the last build. A no-op `tsc` costs seconds; this check costs milliseconds.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.tsbuildinfo');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  built = 0;
}
if (built === 0 || newest(join(root, 'src')) > built || statSync(join(root, 'tsconfig.json')).mtimeMs > built) {
  // Build output goes to stderr: `npm run -s token` must keep stdout for the token alone.
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: ['ignore', 2, 2] });
  // tsc leaves its build info alone when the output did not change; mark the check as done.
  const now = new Date();
  utimesSync(stamp, now, now);
}
await import(pathToFileURL(join(root, 'dist', 'cli.js')).href);
