import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SCHEMA_DIR } from './paths.js';

export type JsonSchema = Record<string, unknown> & { $id: string };

export const SCHEMA_NAMES = [
  'token-response',
  'oauth-error',
  'event-list',
  'event',
  'api-error',
  'gateway-message',
  'death-notification',
  'standin-clients',
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

let cache: Map<SchemaName, JsonSchema> | undefined;

/** Every schema of src/schemas, keyed by its $id (which is also its file name). */
export function loadSchemas(): ReadonlyMap<SchemaName, JsonSchema> {
  if (cache) return cache;
  const loaded = new Map<SchemaName, JsonSchema>();
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as JsonSchema;
    const name = file.replace(/\.json$/, '');
    if (schema.$id !== name) throw new Error(`${file}: $id must be "${name}"`);
    if (!(SCHEMA_NAMES as readonly string[]).includes(name)) throw new Error(`${file}: not listed in SCHEMA_NAMES`);
    loaded.set(name as SchemaName, schema);
  }
  for (const name of SCHEMA_NAMES) if (!loaded.has(name)) throw new Error(`schema ${name}.json is missing from ${SCHEMA_DIR}`);
  cache = loaded;
  return loaded;
}

export function schema(name: SchemaName): JsonSchema {
  return loadSchemas().get(name)!;
}

let ajv: Ajv | undefined;

/** ajv 8 validators over the same files the collections embed (there ajv 6 runs them). */
export function validator(name: SchemaName): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats.default(ajv);
    for (const s of loadSchemas().values()) ajv.addSchema(s);
  }
  return ajv.getSchema(name)!;
}

export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
