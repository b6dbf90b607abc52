// Whose keys a token is checked against: the issuer the run expects, never the one a token names.
import { describe, expect, it } from 'vitest';
import { findEnvironment } from '../../../src/config/environments.js';
import { issuerRule, jwksUrl } from '../../../src/config/issuer.js';

const dev = findEnvironment('dev')!;
const local = findEnvironment('local')!;
const POOL = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123';

describe('the issuer rule', () => {
  it('dev, demo and integration with their own token URL: a Cognito user pool in eu-west-2, its keys over https', () => {
    const rule = issuerRule(dev, dev.tokenUrl);
    expect(rule.said).toBe("a Cognito user pool in eu-west-2 (the dev token URL's)");
    expect(jwksUrl(POOL, rule)).toEqual({ url: `${POOL}/.well-known/jwks.json` });
    for (const iss of [
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123',
      'http://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbC123',
      'https://cognito-idp.eu-west-2.amazonaws.com.attacker.example.invalid/eu-west-2_AbC123',
      'https://cognito-idp.eu-west-2.amazonaws.com/us-east-1_AbC123',
      'http://127.0.0.1:4010/eu-west-2_LocalGdx',
    ]) {
      expect(jwksUrl(iss, rule), iss).toEqual({
        problem: `the token's issuer ${JSON.stringify(iss)} is not a Cognito user pool in eu-west-2 (the dev token URL's), so its signing keys are not trusted`,
      });
    }
  });

  it('a token URL of your own: a Cognito pool in its region, or an issuer on its own host, any port', () => {
    const cognito = issuerRule(dev, 'https://mine.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(jwksUrl('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X', cognito)).toEqual({
      url: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/.well-known/jwks.json',
    });
    expect('problem' in jwksUrl(POOL, cognito)).toBe(true);
    const standin = issuerRule(dev, 'https://standin.example.invalid/oauth2/token');
    expect(standin.said).toBe("an issuer on standin.example.invalid (the token URL's host)");
    expect(jwksUrl('https://standin.example.invalid:8443/pool', standin)).toEqual({ url: 'https://standin.example.invalid:8443/pool/.well-known/jwks.json' });
    // On another machine only over https: keys over http could be swapped on the way.
    expect('problem' in jwksUrl('http://standin.example.invalid/pool', standin)).toBe(true);
    expect('problem' in jwksUrl('https://other.example.invalid/pool', standin)).toBe(true);
  });

  it('this machine: its usual names are one host, another loopback address is not', () => {
    const rule = issuerRule(dev, 'http://localhost:4010/oauth2/token');
    expect(jwksUrl('http://127.0.0.1:4010/eu-west-2_LocalGdx', rule)).toEqual({ url: 'http://127.0.0.1:4010/eu-west-2_LocalGdx/.well-known/jwks.json' });
    expect('problem' in jwksUrl('http://127.0.0.2:4010/eu-west-2_LocalGdx', rule)).toBe(true);
    expect(issuerRule(local, 'http://127.0.0.1:39999/oauth2/token').said).toBe("the stand-in's, on 127.0.0.1");
  });
});
