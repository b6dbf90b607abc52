// Where the generated files live and what they are called. Apart from build.ts so that the
// runner and export can find the files without loading the Postman SDK (Newman brings its own copy).
import type { EnvironmentSpec } from '../config/environments.js';

export function collectionName(env: EnvironmentSpec): string {
  return `GDX Data Share (${env.name})`;
}

export function collectionPath(env: EnvironmentSpec): string {
  return `collections/gdx-data-share.${env.name}.postman_collection.json`;
}

export function environmentPath(env: EnvironmentSpec): string {
  return `environments/gdx-data-share.${env.name}.postman_environment.json`;
}

/** Where Postman 12 looks for collections and environments in a repository. */
export const V3_ROOT = 'postman';

/** A file or folder name Postman accepts: none of / \\ : * ? " < > | (the v3 naming rules). */
export function v3FileName(name: string): string {
  return name.replace(/[/\\:*?"<>|]/g, '-');
}

/** The v3 collection's folder (one YAML file per request under it). */
export function v3CollectionDir(env: EnvironmentSpec): string {
  return `${V3_ROOT}/collections/${v3FileName(collectionName(env))}`;
}

export function v3EnvironmentPath(env: EnvironmentSpec): string {
  return `${V3_ROOT}/environments/${env.name}.yaml`;
}
