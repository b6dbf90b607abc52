// Postman 12's git-native form (collection format 3.0.0): a folder of YAML files per collection,
// one file per request, so that a change to one request reads as a small diff. Written from the
// same built collection as the v2.1 file, so the two cannot drift. Pure: generate/write-files.ts writes.
import { Document, Scalar, visit } from 'yaml';
import type { EnvironmentSpec } from '../config/environments.js';
import type { GeneratedFile } from './generated-file.js';
import { v3CollectionDir, v3EnvironmentPath, v3FileName } from './names.js';
import type { PostmanAuth, PostmanCollection, PostmanEnvironment, PostmanEvent, PostmanRequest, PostmanRequestItem } from './postman-types.js';

function code(events: PostmanEvent[], listen: PostmanEvent['listen']): string {
  return events
    .filter((e) => e.listen === listen)
    .map((e) => e.script.exec.join('\n'))
    .join('\n\n');
}

function scripts(events: PostmanEvent[], before: string, after: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const pre = code(events, 'prerequest');
  const test = code(events, 'test');
  if (pre) out.push({ type: before, code: pre, language: 'text/javascript' });
  if (test) out.push({ type: after, code: test, language: 'text/javascript' });
  return out;
}

const BEARER = { type: 'bearer', credentials: [{ key: 'token', value: '{{gdxAccessToken}}' }] };
const BASIC = {
  type: 'basic',
  credentials: [
    { key: 'username', value: '{{clientId}}' },
    { key: 'password', value: '{{clientSecret}}' },
  ],
};

function auth(type: PostmanAuth['type'] | undefined): Record<string, unknown> | undefined {
  switch (type) {
    case 'basic':
      return BASIC;
    case 'bearer':
      return BEARER;
    case 'noauth':
      return { type: 'noauth' };
    default:
      return undefined;
  }
}

function body(request: PostmanRequest): Record<string, unknown> | undefined {
  const b = request.body;
  if (!b) return undefined;
  if (b.mode === 'raw') return { type: 'json', content: b.raw };
  // An empty form body is what "Missing grant_type" sends; v3 has no empty urlencoded body.
  if (b.urlencoded.length === 0) return undefined;
  return { type: 'urlencoded', content: b.urlencoded.map(({ key, value }) => ({ key, value })) };
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

/** YAML text: multi-line strings (scripts, JSON bodies, descriptions) as literal blocks (|-). */
export function yamlText(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (typeof node.value === 'string' && node.value.includes('\n')) node.type = Scalar.BLOCK_LITERAL;
    },
  });
  return doc.toString({ lineWidth: 0, indent: 2 });
}

/** One request's v3 file, as an object for yamlText. */
export function requestFile(item: PostmanRequestItem, order: number): Record<string, unknown> {
  const r = item.request;
  const fileName = v3FileName(item.name);
  return withoutUndefined({
    $kind: 'http-request',
    name: fileName === item.name ? undefined : item.name,
    id: item.id,
    description: r.description,
    url: r.url.raw,
    method: r.method,
    headers: r.header.map(({ key, value }) => ({ key, value })),
    body: body(r),
    auth: auth(r.auth?.type),
    scripts: scripts(item.event, 'beforeRequest', 'afterResponse'),
    settings: item.protocolProfileBehavior ? { followRedirects: item.protocolProfileBehavior.followRedirects } : undefined,
    order,
  });
}

/** The v3 files of one environment: the collection folder and the environment file. */
export function v3Files(env: EnvironmentSpec, collection: PostmanCollection, environment: PostmanEnvironment): GeneratedFile[] {
  const root = v3CollectionDir(env);
  const files: GeneratedFile[] = [
    {
      path: `${root}/.resources/definition.yaml`,
      content: yamlText({
        $kind: 'collection',
        id: collection.info._postman_id,
        name: collection.info.name,
        description: collection.info.description,
        // The guard every request passes, a tester's own included.
        scripts: scripts(collection.event, 'http:beforeRequest', 'http:afterResponse'),
        variables: collection.variable.map(({ key, value, description }) => ({ key, value, description })),
      }),
    },
  ];
  collection.item.forEach((folder, f) => {
    const dir = `${root}/${v3FileName(folder.name)}`;
    files.push({
      path: `${dir}/.resources/definition.yaml`,
      content: yamlText(
        withoutUndefined({
          $kind: 'collection',
          id: folder.id,
          name: folder.name,
          description: folder.description,
          auth: auth(folder.auth.type),
          scripts: scripts(folder.event, 'http:beforeRequest', 'http:afterResponse'),
          order: (f + 1) * 1000,
        }),
      ),
    });
    folder.item.forEach((item, i) => {
      files.push({ path: `${dir}/${v3FileName(item.name)}.request.yaml`, content: yamlText(requestFile(item, (i + 1) * 1000)) });
    });
  });
  files.push({
    path: v3EnvironmentPath(env),
    content: yamlText({ name: environment.name, values: environment.values.map(({ key, value, enabled, type }) => ({ key, value, enabled, type })) }),
  });
  return files;
}
