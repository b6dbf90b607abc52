/* global pm */
// Shared by the scripts: the generator puts this file in front of every script that calls one of
// its functions, since Postman scripts cannot import one another.
// Portable by construction: Bruno's importer rewrites pm.* to bru.* by text, so these functions
// use only calls it translates faithfully and accept either client's shape of an answer.

// A variable from whichever scope holds it. replaceIn is the reader every importer maps to one
// that sees the environment (Bruno maps pm.variables.get to a reader of runtime variables only);
// an unresolved name comes back as written, which means unset.
function gdxVariable(name) {
  var placeholder = '{{' + name + '}}';
  var value = pm.variables.replaceIn(placeholder);
  return value === placeholder || value === undefined || value === null ? '' : String(value);
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

// An answer to a scripted token request as { status, body, header(name) }, or null when nothing answered.
// Postman passes every HTTP answer as the response; Bruno passes a 4xx or 5xx as the error's
// response, with a plain status and headers object.
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

// Waits before a retry. A busy wait, because it is the one wait every client's sandbox keeps to:
// an importer that awaits each send (Bruno) cannot send from inside a timer's callback.
// Only a 429 waits, for at most the policy's retryWaitMaxMs.
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
