// The package's name and version, where the GDX team will look when a tester reports a run:
// --version, every report file, every generated collection. Read once from package.json, so that
// a release bumps one line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export const PACKAGE_NAME: string = manifest.name;
export const VERSION: string = manifest.version;
