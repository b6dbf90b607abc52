import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectionPath, environmentPath } from '../../src/generate/build.js';
import type { PostmanAuth, PostmanCollection, PostmanEnvironment, PostmanEvent, PostmanRequest } from '../../src/generate/postman-types.js';
import { ENVIRONMENTS, findEnvironment, type EnvironmentName } from '../../src/config/environments.js';
import { foldersFor } from '../../src/catalogue.js';
import { PROJECT_ROOT } from '../../src/config/paths.js';

/** A folder or a request of a committed collection, as the tests walk them. */
export interface PostmanItem {
  id?: string;
  name: string;
  item?: PostmanItem[];
  request?: PostmanRequest;
  event?: PostmanEvent[];
  auth?: PostmanAuth;
}

export type { PostmanCollection, PostmanEnvironment };

/** A request's raw (JSON) body, for a test to read or change. */
export function rawBody(item: PostmanItem): { raw: string } {
  const body = item.request?.body;
  if (body?.mode !== 'raw') throw new Error(`${item.name} has no raw body`);
  return body;
}

/** A request's form fields. */
export function formFields(item: PostmanItem): { key: string; value: string }[] {
  const body = item.request?.body;
  if (body?.mode !== 'urlencoded') throw new Error(`${item.name} has no form body`);
  return body.urlencoded;
}

/** The committed files, as a tester would import them. */
export function committedCollection(name: EnvironmentName): PostmanCollection {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, collectionPath(findEnvironment(name)!)), 'utf8')) as PostmanCollection;
}

export function committedEnvironment(name: EnvironmentName): PostmanEnvironment {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, environmentPath(findEnvironment(name)!)), 'utf8')) as PostmanEnvironment;
}

export function allItems(items: readonly PostmanItem[]): PostmanItem[] {
  return items.flatMap((i) => (i.item ? [i, ...allItems(i.item)] : [i]));
}

/** What a generated script's GDX configuration holds, as far as the tests read it. */
export interface ScriptConfig {
  [key: string]: unknown;
  expect?: { saveTestEventId?: boolean };
  needs?: Record<string, { variable: string; why: string }>;
  optIn?: { variable: string; why: string } | null;
  schemaName?: string;
  schema?: unknown;
  requestSchemaName?: string;
  requestSchema?: unknown;
}

/** The configuration the generator gives a script (`function gdxSettings() { return {...}; }`,
 * the script's last declaration), if it has one. */
export function scriptConfig(script: string): ScriptConfig | undefined {
  const m = /^function gdxSettings\(\) \{\n {2}return ([\s\S]*);\n\}\s*$/m.exec(script);
  return m ? (JSON.parse(m[1]!) as ScriptConfig) : undefined;
}

/** Every file the generator writes and the package ships, as the catalogue's folders and requests
 * say there must be, with the names written out here (not the writers' own naming): each
 * environment's v2.1 collection and environment file, and its v3 tree (the environment, the
 * collection's definition, a definition a folder and a file a request, named as Postman 12 allows:
 * no / \\ : * ? " < > |). Paths under the project root, sorted. */
export function expectedGeneratedFiles(): string[] {
  const v3Name = (name: string): string => name.replace(/[/\\:*?"<>|]/g, '-');
  return ENVIRONMENTS.flatMap((env) => {
    const dir = `postman/collections/GDX Data Share (${env.name})`;
    return [
      `collections/gdx-data-share.${env.name}.postman_collection.json`,
      `environments/gdx-data-share.${env.name}.postman_environment.json`,
      `postman/environments/${env.name}.yaml`,
      `${dir}/.resources/definition.yaml`,
      ...foldersFor(env).flatMap((f) => [
        `${dir}/${v3Name(f.name)}/.resources/definition.yaml`,
        ...f.requests.map((r) => `${dir}/${v3Name(f.name)}/${v3Name(r.name)}.request.yaml`),
      ]),
    ];
  }).sort();
}
