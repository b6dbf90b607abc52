import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectionPath, environmentPath } from '../../src/generate/build.js';
import { findEnvironment, type EnvironmentName } from '../../src/environments.js';
import { PROJECT_ROOT } from '../../src/paths.js';

export interface PostmanItem {
  id?: string;
  name: string;
  item?: PostmanItem[];
  request?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  event?: { listen: string; script: { exec: string[] } }[];
  auth?: { type: string };
}

export interface PostmanCollection {
  info: { name: string; schema: string; _postman_id: string };
  item: PostmanItem[];
  variable: { key: string; value: string }[];
}

export interface PostmanEnvironment {
  name: string;
  values: { key: string; value: string; type: string; enabled: boolean }[];
}

/** The committed files, as a tester would import them. */
export function committedCollection(name: EnvironmentName): PostmanCollection {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, collectionPath(findEnvironment(name)!)), 'utf8')) as PostmanCollection;
}

export function committedEnvironment(name: EnvironmentName): PostmanEnvironment {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, environmentPath(findEnvironment(name)!)), 'utf8')) as PostmanEnvironment;
}

export function allItems(items: PostmanItem[]): PostmanItem[] {
  return items.flatMap((i) => (i.item ? [i, ...allItems(i.item)] : [i]));
}

/** The configuration the generator prepends to a script (`var GDX = {...};`), if it has one. */
export function scriptConfig(script: string): Record<string, any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  // Up to the first "};" that ends the statement: the next line starts at the left margin.
  const m = /var GDX = (\{[\s\S]*?\});\n(?!\s)/.exec(script);
  return m ? (JSON.parse(m[1]!) as Record<string, unknown>) : undefined;
}
