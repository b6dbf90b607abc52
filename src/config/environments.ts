// The one table of environments. The generator, the stand-in and the runner all read it, so
// adding an environment is one entry here.

export type ApiFlavour = 'events-v1' | 'death-notification-v2';
export type Role = 'acquirer' | 'supplier';
export type EnvironmentName = 'dev' | 'demo' | 'integration' | 'local';

export interface EnvironmentSpec {
  readonly name: EnvironmentName;
  readonly title: string;
  readonly tokenUrl: string;
  readonly baseUrl: string;
  /** Which APIs live behind baseUrl: decides which folders the environment's collection has. */
  readonly apis: readonly ApiFlavour[];
  /** The scopes each role's client holds there. A role absent here has nothing to do there. */
  readonly roles: Readonly<Partial<Record<Role, readonly string[]>>>;
  /** A scope no tester's client holds, for the invalid_scope check. */
  readonly forbiddenScope: string;
  /** The value the environment file carries for clientId: a placeholder, never a credential. */
  readonly clientIdPlaceholder: string;
}

export const LOCAL_PORT = 4010;
export const LOCAL_BASE_URL = `http://127.0.0.1:${LOCAL_PORT}`;

export const LOCAL_CLIENTS = {
  acquirer: { clientId: 'local-acquirer', clientSecret: 'local-acquirer-secret' },
  supplier: { clientId: 'local-supplier', clientSecret: 'local-supplier-secret' },
  /** Holds events/publish and events/consume, as the platform's deploy-hook client does. */
  publisherConsumer: { clientId: 'local-publisher-consumer', clientSecret: 'local-publisher-consumer-secret' },
} as const;

export const SCOPES = {
  consume: 'events/consume',
  publish: 'events/publish',
  admin: 'events/admin',
  deathNotification: 'EventType/DeathNotification',
} as const;

export const ENVIRONMENTS: readonly EnvironmentSpec[] = [
  {
    name: 'dev',
    title: 'dev',
    tokenUrl: 'https://dev-gdx-data-share.auth.eu-west-2.amazoncognito.com/oauth2/token',
    baseUrl: 'https://dev.share-life-events.service.gov.uk',
    apis: ['events-v1'],
    roles: { acquirer: [SCOPES.consume], supplier: [SCOPES.publish] },
    forbiddenScope: SCOPES.admin,
    clientIdPlaceholder: '',
  },
  {
    name: 'demo',
    title: 'demo',
    tokenUrl: 'https://demo-gdx-data-share.auth.eu-west-2.amazoncognito.com/oauth2/token',
    baseUrl: 'https://demo.share-life-events.service.gov.uk',
    apis: ['events-v1'],
    roles: { acquirer: [SCOPES.consume], supplier: [SCOPES.publish] },
    forbiddenScope: SCOPES.admin,
    clientIdPlaceholder: '',
  },
  {
    name: 'integration',
    title: 'integration',
    tokenUrl: 'https://integration-life-events.auth.eu-west-2.amazoncognito.com/oauth2/token',
    baseUrl: 'https://life-events.integration.account.gov.uk',
    apis: ['death-notification-v2'],
    roles: { supplier: [SCOPES.deathNotification] },
    forbiddenScope: SCOPES.admin,
    clientIdPlaceholder: '',
  },
  {
    name: 'local',
    title: 'local stand-in',
    tokenUrl: `${LOCAL_BASE_URL}/oauth2/token`,
    baseUrl: LOCAL_BASE_URL,
    apis: ['events-v1', 'death-notification-v2'],
    roles: {
      acquirer: [SCOPES.consume],
      supplier: [SCOPES.publish, SCOPES.deathNotification],
    },
    forbiddenScope: SCOPES.admin,
    clientIdPlaceholder: LOCAL_CLIENTS.acquirer.clientId,
  },
];

export const ENVIRONMENT_NAMES = ENVIRONMENTS.map((e) => e.name);

export function findEnvironment(name: string): EnvironmentSpec | undefined {
  return ENVIRONMENTS.find((e) => e.name === name);
}
