import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv, Options, ValidateFunction } from 'ajv';
import { PROJECT_ROOT, SCHEMA_DIR } from './config/paths.js';

export type JsonSchema = Record<string, unknown> & { $id: string };

export const SCHEMA_NAMES = [
  'token-response',
  'oauth-error',
  'event-list',
  'event',
  'api-error',
  'gateway-message',
  'death-notification',
  'death-notification-deliverable',
  'standin-clients',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** Where the build writes the validators compiled ahead of time (ajv's standalone code). */
export const COMPILED_VALIDATORS = join(PROJECT_ROOT, 'dist', 'validators.cjs');

// ajv and ajv-formats are CommonJS: required on first need, so that a run with compiled
// validators never loads (or compiles with) them.
const requireCjs = createRequire(import.meta.url);

let cache: { schemas: Map<SchemaName, JsonSchema>; hash: string } | undefined;

function load(): { schemas: Map<SchemaName, JsonSchema>; hash: string } {
  if (cache) return cache;
  const schemas = new Map<SchemaName, JsonSchema>();
  const hash = createHash('sha256');
  for (const file of readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const text = readFileSync(join(SCHEMA_DIR, file), 'utf8');
    hash.update(`${file}\0${text}\0`);
    const schema = JSON.parse(text) as JsonSchema;
    const name = file.replace(/\.json$/, '');
    if (schema.$id !== name) throw new Error(`${file}: $id must be "${name}"`);
    if (!(SCHEMA_NAMES as readonly string[]).includes(name)) throw new Error(`${file}: not listed in SCHEMA_NAMES`);
    schemas.set(name as SchemaName, schema);
  }
  for (const name of SCHEMA_NAMES) if (!schemas.has(name)) throw new Error(`schema ${name}.json is missing from ${SCHEMA_DIR}`);
  cache = { schemas, hash: hash.digest('hex') };
  return cache;
}

/** Every schema of src/schemas, keyed by its $id (which is also its file name). */
export function loadSchemas(): ReadonlyMap<SchemaName, JsonSchema> {
  return load().schemas;
}

/** A digest of the schema files: compiled validators are used only while it matches. */
export function schemasHash(): string {
  return load().hash;
}

export function schema(name: SchemaName): JsonSchema {
  return loadSchemas().get(name)!;
}

/** The one ajv 8 set-up, for validating here and for compiling ahead of time (`forCode`). */
export function createAjv(forCode = false): Ajv {
  const { Ajv: AjvClass, _ } = requireCjs('ajv') as typeof import('ajv');
  const addFormats = (requireCjs('ajv-formats') as typeof import('ajv-formats')).default;
  const options: Options = { allErrors: true, strict: true, allowUnionTypes: true };
  if (forCode) options.code = { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` };
  const ajv = new AjvClass(options);
  addFormats(ajv);
  for (const s of loadSchemas().values()) ajv.addSchema(s);
  return ajv;
}

let compiled: Record<string, ValidateFunction> | null | undefined;
let ajv: Ajv | undefined;

function precompiled(): Record<string, ValidateFunction> | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (existsSync(COMPILED_VALIDATORS)) {
    const module = requireCjs(COMPILED_VALIDATORS) as Record<string, ValidateFunction> & { schemasHash?: string };
    // Validators compiled from other schema files than these would check the wrong thing.
    if (module.schemasHash === schemasHash()) compiled = module;
  }
  return compiled;
}

/** ajv 8 validators over the same files the collections embed (there ajv 6 runs them): compiled
 * by the build when it is current, else compiled here. */
export function validator(name: SchemaName): ValidateFunction {
  const ready = precompiled()?.[name];
  if (ready) return ready;
  ajv ??= createAjv();
  return ajv.getSchema(name)!;
}

export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
