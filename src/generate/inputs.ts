import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_LIBRARY, SANDBOX_SCRIPTS, type SandboxScript } from './sandbox-scripts.js';
import { ENVIRONMENTS } from '../config/environments.js';
import { SANDBOX_DIR } from '../config/paths.js';
import { VERSION } from '../config/version.js';
import { loadSchemas } from '../schema-registry.js';
import type { GeneratorInputs } from './build.js';

/** Reads the generator's inputs from src/ (the only I/O the generation itself needs). */
export function readInputs(): GeneratorInputs {
  const scripts = Object.fromEntries(SANDBOX_SCRIPTS.map((name) => [name, readFileSync(join(SANDBOX_DIR, `${name}.js`), 'utf8')])) as Record<
    SandboxScript,
    string
  >;
  const library = readFileSync(join(SANDBOX_DIR, `${SANDBOX_LIBRARY}.js`), 'utf8');
  return { environments: ENVIRONMENTS, schemas: loadSchemas(), scripts, library, version: VERSION };
}
