// Where the generated files live and what they are called. Apart from build.ts so that the
// runner can find the files without loading the Postman SDK (Newman brings its own copy).
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
