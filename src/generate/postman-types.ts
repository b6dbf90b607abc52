// The Postman collection v2.1 shapes this project writes (and its tests read back): one set, used
// by the v2.1 builder, the v3 writer that is fed from it, and the tests. Only what the generator
// emits is here; the official schema (test/fixtures) is the whole format.

export interface PostmanPair {
  key: string;
  value: string;
  type?: string;
  description?: string;
}

export interface PostmanScript {
  id: string;
  type: 'text/javascript';
  exec: string[];
}

export interface PostmanEvent {
  listen: 'prerequest' | 'test';
  script: PostmanScript;
}

export type PostmanAuth = { type: 'noauth' } | { type: 'basic'; basic: PostmanPair[] } | { type: 'bearer'; bearer: PostmanPair[] };

export type PostmanBody = { mode: 'urlencoded'; urlencoded: PostmanPair[] } | { mode: 'raw'; raw: string; options: { raw: { language: 'json' } } };

export interface PostmanUrl {
  raw: string;
  host?: string[];
  path?: string[];
  query?: { key: string | null; value: string | null }[];
}

export interface PostmanRequest {
  method: string;
  header: PostmanPair[];
  body?: PostmanBody;
  url: PostmanUrl;
  auth?: PostmanAuth;
  description: string;
}

export interface PostmanRequestItem {
  id: string;
  name: string;
  event: PostmanEvent[];
  /** followRedirects false on token requests: a redirect would carry the client secret away. */
  protocolProfileBehavior?: { followRedirects: boolean };
  request: PostmanRequest;
}

export interface PostmanFolder {
  id: string;
  name: string;
  description: string;
  item: PostmanRequestItem[];
  auth: PostmanAuth;
  event: PostmanEvent[];
}

export interface PostmanCollection {
  info: { _postman_id: string; name: string; description: string; version: string; schema: string };
  item: PostmanFolder[];
  auth: PostmanAuth;
  event: PostmanEvent[];
  variable: (PostmanPair & { description: string })[];
}

export interface PostmanEnvironment {
  id: string;
  name: string;
  values: { key: string; value: string; type: 'default' | 'secret'; enabled: boolean }[];
  _postman_variable_scope: 'environment';
}
