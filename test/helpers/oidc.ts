// panva's oidc-provider, a certified OAuth 2.0 server, as an outside token endpoint: it enforces
// RFC 6749 2.3.1 (Basic credentials form-urlencoded before Base64), which the stand-in does not
// insist on. Listens on 127.0.0.1 only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

export interface OidcServer {
  tokenUrl: string;
  close: () => Promise<void>;
}

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

export async function startOidcProvider(clients: readonly OidcClient[]): Promise<OidcServer> {
  const { default: Provider } = await import('oidc-provider');
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: c.method,
      scope: 'events/consume',
    })),
    scopes: ['events/consume'],
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    routes: { token: '/oauth2/token' },
    cookies: { keys: ['gdx-test-cookie-key'] },
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'test', use: 'sig', alg: 'RS256' }] },
  });
  server.on('request', provider.callback());
  return {
    tokenUrl: `${issuer}/oauth2/token`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
