import { readFileSync } from 'node:fs';
import { LOCAL_CLIENTS, SCOPES } from '../config/environments.js';
import { describeErrors, validator } from '../schema-registry.js';
import { ENRICHMENT_FIELDS, EVENT_TYPES, type EventType } from './store.js';

/** Every field any event type can carry (sourceId included). */
export const ALL_ENRICHMENT_FIELDS: readonly string[] = [...new Set(Object.values(ENRICHMENT_FIELDS).flat())];

export interface ClientConfig {
  clientId: string;
  /** Up to two, as during a Cognito secret rotation: either one authenticates. */
  secrets: string[];
  scopes: string[];
  tokenValiditySeconds?: number;
  allowedOAuthFlows?: string[];
  oauthFlowsEnabled?: boolean;
  /** Fields this acquirer's subscriptions allow (sourceId and eventData fields); default: all. */
  enrichmentFields?: string[];
  /** Acquirer subscriptions (event types received); default: every type but LIFE_EVENT. */
  subscriptions?: EventType[];
  /** Supplier subscriptions (event types it may publish); default: TEST_EVENT only. */
  publishes?: EventType[];
  /** enrichmentFieldsIncludedInPoll: GET /events carries each event's data inline. */
  dataInPoll?: boolean;
}

const DEFAULT_SUBSCRIPTIONS: readonly EventType[] = EVENT_TYPES.filter((t) => t !== 'LIFE_EVENT');

export function subscriptionsOf(client: ClientConfig | undefined): readonly EventType[] {
  return client?.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
}

export function publishesOf(client: ClientConfig | undefined): readonly EventType[] {
  return client?.publishes ?? ['TEST_EVENT'];
}

/** The fields an acquirer gets for one event type: its agreement within what the type carries. */
export function fieldsFor(client: ClientConfig | undefined, eventType: EventType): string[] {
  const agreed = client?.enrichmentFields ?? ALL_ENRICHMENT_FIELDS;
  return ENRICHMENT_FIELDS[eventType].filter((f) => agreed.includes(f));
}

export function defaultClients(): ClientConfig[] {
  return [
    { clientId: LOCAL_CLIENTS.acquirer.clientId, secrets: [LOCAL_CLIENTS.acquirer.clientSecret], scopes: [SCOPES.consume] },
    {
      clientId: LOCAL_CLIENTS.supplier.clientId,
      secrets: [LOCAL_CLIENTS.supplier.clientSecret],
      scopes: [SCOPES.publish, SCOPES.deathNotification],
    },
    // Like the platform's own deploy-hook client: publish and consume (terraform deploy_hook).
    {
      clientId: LOCAL_CLIENTS.publisherConsumer.clientId,
      secrets: [LOCAL_CLIENTS.publisherConsumer.clientSecret],
      scopes: [SCOPES.publish, SCOPES.consume],
    },
  ];
}

export class ClientsFileError extends Error {}

/** Reads extra clients from a JSON file; the message never quotes the file's content (secrets). */
export function readClientsFile(path: string): ClientConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ClientsFileError(`cannot read clients file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}; give the path of a JSON file`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ClientsFileError(`clients file ${path} is not valid JSON; it must be an array of {clientId, secrets, scopes}`);
  }
  const validate = validator('standin-clients');
  if (!validate(parsed)) {
    throw new ClientsFileError(`clients file ${path} is malformed: ${describeErrors(validate)}; see src/schemas/standin-clients.json`);
  }
  return parsed as ClientConfig[];
}

/** Later entries replace earlier ones with the same clientId. */
export function mergeClients(...lists: ClientConfig[][]): Map<string, ClientConfig> {
  const byId = new Map<string, ClientConfig>();
  for (const list of lists) for (const c of list) byId.set(c.clientId, c);
  return byId;
}
