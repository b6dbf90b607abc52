// Whose signing keys a token is checked against. Never a host the token itself names unchecked:
// a token made by anyone names its own keys in its iss claim. The issuer must be one this run
// expects: on dev, demo and integration a Cognito user pool in their region; with a token URL of
// your own, a Cognito pool in that URL's region or an issuer on the token URL's own host (a
// stand-in, also behind a TLS terminator that keeps the host); on local, the stand-in's.
import type { EnvironmentSpec } from './environments.js';
import { isLoopback } from '../transport/proxy.js';

export interface IssuerRule {
  /** A Cognito user pool in this region is trusted (https://cognito-idp.REGION.amazonaws.com/REGION_...). */
  cognitoRegion?: string;
  /** An issuer on this host (any port) is trusted: https, or http on this machine only. */
  host?: string;
  /** The rule in words, for doctor and for a failed check. */
  said: string;
}

const COGNITO_DOMAIN = /\.auth\.([a-z]{2}-[a-z]+-\d)\.amazoncognito\.com$/i;
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.([a-z]{2}-[a-z]+-\d)\.amazonaws\.com\/([a-z]{2}-[a-z]+-\d)_[A-Za-z0-9]+$/;

/** A host as the rule compares it: this machine's three usual names are one host (a stand-in
 * reached as localhost issues as 127.0.0.1); any other loopback address is a host of its own. */
function sameHost(hostname: string): string {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' ? '127.0.0.1' : h;
}

export function issuerRule(env: EnvironmentSpec, tokenUrl: string): IssuerRule {
  const host = sameHost(new URL(tokenUrl).hostname);
  const region = COGNITO_DOMAIN.exec(host)?.[1]?.toLowerCase();
  if (env.name !== 'local' && tokenUrl === env.tokenUrl && region) {
    return { cognitoRegion: region, said: `a Cognito user pool in ${region} (the ${env.name} token URL's)` };
  }
  if (env.name === 'local') return { host, said: `the stand-in's, on ${host}` };
  return region
    ? { cognitoRegion: region, host, said: `a Cognito user pool in ${region}, or an issuer on ${host} (the token URL's host)` }
    : { host, said: `an issuer on ${host} (the token URL's host)` };
}

/** Where the issuer's keys are, or why the issuer is not trusted. */
export function jwksUrl(iss: string, rule: IssuerRule): { url: string } | { problem: string } {
  const refused = { problem: `the token's issuer ${JSON.stringify(iss)} is not ${rule.said}, so its signing keys are not trusted` };
  const pool = COGNITO_ISSUER.exec(iss);
  if (pool && rule.cognitoRegion && pool[1] === rule.cognitoRegion && pool[2] === rule.cognitoRegion) return { url: `${iss}/.well-known/jwks.json` };
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return refused;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
  if (rule.host && secure && sameHost(url.hostname) === rule.host && !url.username && !url.search && !url.hash) {
    return { url: `${iss.replace(/\/$/, '')}/.well-known/jwks.json` };
  }
  return refused;
}
