/* global pm */
// Shared by the scripts: the generator puts this file in front of every script that calls one of
// its functions, since Postman scripts cannot import one another.
// Portable by construction: Bruno's importer rewrites pm.* to bru.* by text, so these functions
// use only calls it translates faithfully and accept either client's shape of an answer.

// A variable from whichever scope holds it: every importer maps replaceIn to a reader that sees the
// environment (Bruno's pm.variables.get sees runtime variables only); unresolved means unset.
function gdxVariable(name) {
  var placeholder = '{{' + name + '}}';
  var value = pm.variables.replaceIn(placeholder);
  return value === placeholder || value === undefined || value === null ? '' : String(value);
}

// Tells the runner what happened as data (src/contract.ts); `said`, for people, goes beside it.
function gdxReport(outcome, said) {
  if (said) outcome.said = said;
  console.log(GDX.outcome + JSON.stringify(outcome));
  if (said) console.log(said);
}

// How long a 429's Retry-After asks to wait: delay-seconds or an HTTP-date (RFC 9110 10.2.3);
// 1 s when it says neither. The one reading of it: npm run token and the runner load this too.
function gdxRetryAfterMs(value, now) {
  var text = String(value || '').trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  var at = Date.parse(text);
  return isNaN(at) ? 1000 : Math.max(0, at - now);
}

// The checks every answer of the token endpoint gets: status, JSON type and schema. Returns the
// parsed body, or null when it is not JSON.
function gdxTokenEndpointAnswer(status, schemaName, schema) {
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
  pm.test('body matches the ' + schemaName + ' schema', function () {
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
  return [gdxVariable('tokenUrl'), gdxVariable('clientId'), method, scope || ''].join(' ');
}

// Caches a token until a tenth of its lifetime plus a second (at most a minute) before it expires:
// the second covers Cognito's whole-second iat and exp. `requestedAt`: when it was asked for.
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

// A scripted token request's answer as { status, body, header(name) }, or null when nothing answered:
// Postman passes every answer as the response, Bruno a 4xx or 5xx as the error's, headers plain.
function gdxHttpAnswer(err, reply) {
  // Newman passes an empty response beside a network error: only one with a status answered.
  var answered = reply && (typeof reply.code === 'number' || typeof reply.status === 'number');
  var answer = answered ? reply : (err && err.response) || null;
  if (!answer && err && typeof err.status === 'number') {
    // Bruno's safe sandbox passes a refusal's status alone, without its body or headers.
    return { status: err.status, body: null, opaque: true, header: () => '' };
  }
  if (!answer) return null;
  var headers = answer.headers || {};
  var body = null;
  if (typeof answer.json === 'function') {
    try {
      body = answer.json();
    } catch (e) {
      body = null;
    }
  } else if (typeof answer.data === 'string') {
    try {
      body = JSON.parse(answer.data);
    } catch (e) {
      body = null;
    }
  } else if (answer.data && typeof answer.data === 'object') {
    body = answer.data;
  }
  return {
    opaque: false,
    status: typeof answer.code === 'number' ? answer.code : Number(answer.status),
    body: body,
    header: function (name) {
      if (typeof headers.get === 'function') return String(headers.get(name) || '');
      var wanted = name.toLowerCase();
      var keys = Object.keys(headers);
      for (var i = 0; i < keys.length; i++) {
        if (keys[i].toLowerCase() === wanted) return String(headers[keys[i]]);
      }
      return '';
    },
  };
}

// Waits before a 429's retry (at most the policy's retryWaitMaxMs), busily: the one wait every
// sandbox keeps to, as an importer that awaits each send (Bruno) cannot send from a timer.
function gdxPause(ms) {
  var until = Date.now() + ms;
  while (Date.now() < until) {
    // waiting
  }
}

// The JSON body a request sent: Postman gives the request body with its raw text (variables not
// yet replaced), Bruno the body it sent, parsed.
function gdxSentJson(body) {
  if (body && typeof body.raw === 'string') return JSON.parse(pm.variables.replaceIn(body.raw));
  if (typeof body === 'string') return JSON.parse(body);
  return body;
}
