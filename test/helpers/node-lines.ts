// The maintained Node.js lines the installed package is tested on, and npm 12: the registry's
// binary packages, installed into .ci/node by .ci/run (`npm install --prefix .ci/node`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths.js';

export const NODE_DIR = join(PROJECT_ROOT, '.ci', 'node');
const pinned = JSON.parse(readFileSync(join(NODE_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

export interface NodeLine {
  major: number;
  /** The version .ci/node/package.json pins. */
  version: string;
  /** The folder that holds its `node`, to put first on PATH. */
  bin: string;
}

export const NODE_LINES: readonly NodeLine[] = Object.entries(pinned.dependencies)
  .filter(([alias]) => alias.startsWith('node-'))
  .map(([alias, spec]) => ({
    major: Number(alias.slice('node-'.length)),
    version: spec.slice(spec.lastIndexOf('@') + 1),
    bin: join(NODE_DIR, 'node_modules', alias, 'bin'),
  }));

/** npm 12's command-line entry, run with a Node that it supports. */
export const NPM_12 = join(NODE_DIR, 'node_modules', 'npm-12', 'bin', 'npm-cli.js');

/** Why the lines cannot be run here, or '' when they can. */
export function nodeLinesAbsent(): string {
  const missing = [...NODE_LINES.map((l) => join(l.bin, 'node')), NPM_12].filter((p) => !existsSync(p));
  return missing.length ? `not installed: ${missing.join(', ')} (run npm install --prefix .ci/node, as .ci/run does)` : '';
}
