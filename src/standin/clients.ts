import { readFileSync } from 'node:fs';
import { LOCAL_CLIENTS, SCOPES } from '../environments.js';
import { describeErrors, validator } from '../schemas.js';

export const ALL_ENRICHMENT_FIELDS = [
  'registrationDate', 'firstNames', 'lastName', 'maidenName', 'sex', 'dateOfDeath', 'dateOfBirth',
  'birthPlace', 'deathPlace', 'occupation', 'retired', 'address',
] as const;

export interface ClientConfig {
  clientId: string;
  /** Up to two, as during a Cognito secret rotation: either one authenticates. */
  secrets: string[];
  scopes: string[];
  tokenValiditySeconds?: number;
  allowedOAuthFlows?: string[];
  oauthFlowsEnabled?: boolean;
  /** Fields of eventData this acquirer's data-sharing agreement allows. */
  enrichmentFields?: string[];
}

export function defaultClients(): ClientConfig[] {
  return [
    { clientId: LOCAL_CLIENTS.acquirer.clientId, secrets: [LOCAL_CLIENTS.acquirer.clientSecret], scopes: [SCOPES.consume] },
    {
      clientId: LOCAL_CLIENTS.supplier.clientId,
      secrets: [LOCAL_CLIENTS.supplier.clientSecret],
      scopes: [SCOPES.publish, SCOPES.deathNotification],
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
