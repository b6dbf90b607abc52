// Edits a tester makes to a collection in Postman, made to the committed v2.1 JSON the way the
// app saves them: a duplicate is named "… Copy" and sits after its original with a new id, a
// request added to the collection sits at the top level with no script of its own.
import { randomUUID } from 'node:crypto';
import pc from 'postman-collection';
import { SCOPES } from '../../src/config/environments.js';
import type { ClientConfig } from '../../src/standin/clients.js';
import type { PostmanCollection, PostmanItem } from './files.js';

/** A supplier the stand-in lets publish DEATH_NOTIFICATION too: what stops one is then the guard,
 * not the service's 403. */
export const SUPPLIER_OF_DEATH_NOTIFICATIONS: ClientConfig = {
  clientId: 'supplier-of-death-notifications',
  secrets: ['supplier-of-death-notifications-secret'],
  scopes: [SCOPES.publish, SCOPES.deathNotification],
  publishes: ['TEST_EVENT', 'DEATH_NOTIFICATION'],
};

/** The folder whose name starts so. */
export function folderOf(collection: PostmanCollection, start: string): string {
  const folder = collection.item.find((f) => f.name.startsWith(start));
  if (!folder) throw new Error(`no folder "${start}…" in ${collection.info.name}`);
  return folder.name;
}

export function requestIn(collection: PostmanCollection, folder: string, name: string): PostmanItem {
  const item = collection.item.find((f) => f.name === folder)?.item.find((i) => i.name === name);
  if (!item) throw new Error(`no request "${folder} / ${name}" in ${collection.info.name}`);
  return item;
}

/** Postman's Duplicate: a copy named "… Copy", right after the original. */
export function duplicate(collection: PostmanCollection, original: PostmanItem): PostmanItem {
  const folder = collection.item.find((f) => f.item.includes(original as never))!;
  const copy = { ...structuredClone(original), id: randomUUID(), name: `${original.name} Copy` };
  folder.item.splice(folder.item.indexOf(original as never) + 1, 0, copy as never);
  return copy;
}

/** The body tab, raw JSON, rewritten. */
export function editBody(item: PostmanItem, value: unknown): void {
  const body = item.request?.body;
  if (body?.mode !== 'raw') throw new Error(`${item.name} has no raw body`);
  body.raw = JSON.stringify(value, null, 2);
}

/** A URL as the app saves what is typed into the URL bar: the text and its parts. */
function urlAsSaved(raw: string): NonNullable<PostmanItem['request']>['url'] {
  return { raw, ...(new pc.Url(raw).toJSON() as object) };
}

/** The URL bar, typed over (pasted in full, say). */
export function setUrl(item: PostmanItem, raw: string): void {
  item.request!.url = urlAsSaved(raw);
}

/** The URL bar, with the id of another event in place of {{testEventId}}. */
export function acknowledgeUrl(item: PostmanItem, id: string): void {
  item.request!.url = urlAsSaved(`{{baseUrl}}/events/${id}`);
}

interface OwnRequest {
  name: string;
  method: string;
  url: string;
  body?: unknown;
}

/** A request as the tester builds it in the app: a name, a method, a URL, a raw JSON body, no script. */
function ownRequest(spec: OwnRequest): PostmanItem {
  return {
    id: randomUUID(),
    name: spec.name,
    event: [],
    request: {
      method: spec.method,
      header: [{ key: 'Content-Type', value: 'application/json', type: 'text' }],
      ...(spec.body === undefined ? {} : { body: { mode: 'raw', raw: JSON.stringify(spec.body, null, 2), options: { raw: { language: 'json' } } } }),
      url: urlAsSaved(spec.url),
    },
  } as never;
}

/** A request the tester adds to the collection itself: no folder, no script, the collection's
 * cached token as its Bearer token (the way a tester reuses what the folders fetched). */
export function addTopLevel(collection: PostmanCollection, spec: OwnRequest): void {
  const item = ownRequest(spec);
  item.request!.auth = { type: 'bearer', bearer: [{ key: 'token', value: '{{gdxAccessToken}}', type: 'string' }] } as never;
  collection.item.push(item as never);
}

/** An update the whole pipeline carries (RecordUpdateReason 1..5): what a tester copies from the
 * platform's documentation into the probe. */
export function deliverableUpdate(): Record<string, unknown> {
  return {
    RegistrationID: 2,
    RecordUpdateDateTime: '2023-08-02T09:30:00',
    RecordUpdateReason: 1,
    DeceasedName: { PersonGivenName: ['Ada'], PersonFamilyName: 'Byron' },
    DeceasedGender: 2,
  };
}

/** A script of the tester's own on a request (the request's Scripts tab): it runs after the
 * collection's and the folder's, so after the guard has judged the request. */
export function addOwnScript(item: PostmanItem, listen: 'prerequest' | 'test', lines: string[]): void {
  (item.event ??= []).push({ listen, script: { type: 'text/javascript', exec: lines } } as never);
}

/** A request the tester adds to a folder (no script of its own), at `index` (default: the end). */
export function addToFolder(collection: PostmanCollection, folder: string, spec: OwnRequest, index?: number): PostmanItem {
  const target = collection.item.find((f) => f.name === folder);
  if (!target) throw new Error(`no folder "${folder}" in ${collection.info.name}`);
  const item = ownRequest(spec);
  target.item.splice(index ?? target.item.length, 0, item as never);
  return item;
}
