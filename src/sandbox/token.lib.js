/* global pm */
// Shared by the token scripts: the generator puts this file in front of every script that calls
// one of its functions, since Postman scripts cannot import one another.

// The checks every answer of the token endpoint gets: status, JSON type and schema. Returns the
// parsed body, or null when it is not JSON.
function gdxTokenEndpointAnswer(status, schema) {
  var body = null;
  try {
    body = pm.response.json();
  } catch (e) {
    body = null;
  }
  pm.test('status is ' + status, function () {
    pm.response.to.have.status(status);
  });
  pm.test('Content-Type is application/json', function () {
    pm.expect(pm.response.headers.get('Content-Type') || '').to.match(/^application\/json/);
  });
  pm.test('body matches the ' + schema.$id + ' schema', function () {
    pm.response.to.have.jsonSchema(schema);
  });
  return body;
}

// The claims of a JWT, read without verifying it (the runner verifies; this only routes).
function gdxJwtClaims(jwt) {
  var part = String(jwt).split('.')[1] || '';
  var b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  while (b64.length % 4) b64 += '=';
  var binary = require('atob')(b64);
  var escaped = '';
  for (var i = 0; i < binary.length; i++) escaped += '%' + ('0' + binary.charCodeAt(i).toString(16)).slice(-2);
  return JSON.parse(decodeURIComponent(escaped));
}

// What a cached token was issued for: a token for another URL, client, method or scope is not reused.
function gdxTokenCacheKey(method, scope) {
  return [pm.variables.get('tokenUrl'), pm.variables.get('clientId'), method, scope || ''].join(' ');
}

// Caches a token until shortly before it expires: a tenth of its lifetime plus a second early, at
// most a minute. The extra second covers Cognito's whole-second iat and exp, which can make a
// token up to a second shorter-lived than expires_in says. `requestedAt` is when it was asked for.
function gdxCacheToken(accessToken, expiresIn, cacheKey, requestedAt) {
  var lifetime = Number(expiresIn) * 1000;
  var margin = Math.min(60000, lifetime / 10 + 1000);
  pm.collectionVariables.set('gdxAccessToken', accessToken);
  pm.collectionVariables.set('gdxAccessTokenExpiresAt', String(Math.floor(requestedAt + lifetime - margin)));
  pm.collectionVariables.set('gdxTokenCacheKey', cacheKey);
}

// The cached token, when it was issued for `cacheKey` and is not about to expire; else ''.
function gdxCachedToken(cacheKey, now) {
  var token = pm.collectionVariables.get('gdxAccessToken');
  var fresh = now < Number(pm.collectionVariables.get('gdxAccessTokenExpiresAt') || 0);
  return token && fresh && pm.collectionVariables.get('gdxTokenCacheKey') === cacheKey ? token : '';
}

// application/x-www-form-urlencoded, as RFC 6749 2.3.1 wants the Basic credentials before Base64.
function gdxFormEncode(text) {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    })
    .replace(/%20/g, '+');
}

// The value of an Authorization: Basic header for a client id and secret (RFC 6749 2.3.1).
function gdxBasicCredentials(clientId, clientSecret) {
  return require('btoa')(gdxFormEncode(clientId) + ':' + gdxFormEncode(clientSecret));
}
