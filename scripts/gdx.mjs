#!/usr/bin/env node
// What the npm scripts run: the bundled CLI, rebuilt first only when a source, the build or the lock
// is newer than the last build. The build costs about a second; this check costs milliseconds.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

let built;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  built = 0;
}
const inputs = [
  newest(join(root, 'src')),
  newest(join(root, 'scripts', 'build')),
  ...['scripts/build.mjs', 'package-lock.json'].map((f) => statSync(join(root, f)).mtimeMs),
];
if (built === 0 || inputs.some((t) => t > built)) {
  // Build output goes to stderr: `npm run -s token` must keep stdout for the token alone.
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: ['ignore', 2, 2] });
}
await import(pathToFileURL(join(root, 'dist', 'cli.js')).href);
