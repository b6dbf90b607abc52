/* global pm, GDX */
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

// A URL's scheme, host, origin and path, read strictly: the host is what follows the last "@" of
// the authority (so http://127.0.0.1@elsewhere names elsewhere), in lower case, without its port; an
// IPv6 address keeps its brackets; the origin adds the port (the scheme's own when none is given).
// null when it is no absolute URL.
function gdxUrlParts(url) {
  var m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(String(url || '').trim());
  if (!m) return null;
  var scheme = m[1].toLowerCase();
  var authority = m[2].replace(/^.*@/, '');
  var hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  var host = (hostPort ? hostPort[1] : authority).toLowerCase();
  var port = hostPort && hostPort[2] ? String(Number(hostPort[2])) : scheme === 'http' ? '80' : scheme === 'https' ? '443' : '';
  return { scheme: scheme, host: host, origin: scheme + '://' + host + ':' + port, path: m[3] || '/' };
}

// This machine only: 127.0.0.0/8, localhost and [::1], written out (no name that merely starts so).
function gdxIsLoopback(host) {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

// Where a tester types the client id and secret, in the words of their Postman: from version 11 a
// variable has one value, kept on this machine unless it is shared.
function gdxWhereSecretsGo() {
  return 'in Postman 11 and later, as its value (it stays on this machine; never Share clientSecret); in Postman 10 and older, as its current value, not the initial one';
}

// Whether a URL is on the API's host, and that host one of the platform's own APIs.
function gdxOnPlatformApi(url, api, apiHosts) {
  return !!url && !!api && api.host === url.host && (apiHosts || []).indexOf(api.host) >= 0;
}

// Whether a URL path is one of the API's routes (events, death notifications), however spelt.
function gdxIsApiRoute(path) {
  return /(^|\/)events(\/|$)/.test(gdxGuardPath(path));
}

// What stops a token request before it is sent, naming the variable to set; '' when nothing does.
// A token URL on an API route, or on the host of one of the platform's APIs (`apiHosts`, from the
// collection's settings), would hand the client secret to the API. A stand-in serves both on one
// host, and is no platform API.
function gdxTokenInputProblem(tokenUrl, clientId, clientSecret, baseUrl, apiHosts) {
  var url = gdxUrlParts(tokenUrl);
  var api = gdxUrlParts(baseUrl);
  if (!tokenUrl) return 'tokenUrl is empty; select the GDX Data Share environment that goes with this collection (the environment menu, top right)';
  if (!url || (url.scheme !== 'https' && url.scheme !== 'http'))
    return "tokenUrl is not an https URL; set it to your environment's token URL (the handbook's table of environments)";
  if (url.scheme === 'http' && !gdxIsLoopback(url.host)) {
    return (
      'tokenUrl is plain http to ' + url.host + ", so the client secret would travel in clear; use the https token URL (the handbook's table of environments)"
    );
  }
  if (gdxIsApiRoute(url.path) || gdxOnPlatformApi(url, api, apiHosts)) {
    return (
      'tokenUrl points at the API (' +
      url.host +
      url.path +
      "), which would be sent the client secret; set it to your environment's token URL, ending in /oauth2/token"
    );
  }
  if (!clientId && !clientSecret) return 'clientId and clientSecret are empty; set both in the environment: ' + gdxWhereSecretsGo();
  if (!clientId || !clientSecret) return (clientId ? 'clientSecret' : 'clientId') + ' is empty; set it in the environment: ' + gdxWhereSecretsGo();
  return '';
}

// What a request's body sends, for the guard: { value } when it is JSON (Postman gives the raw text,
// variables not yet replaced; Bruno the body, parsed), { none: true } when it has none, and
// { unreadable: mode } when it is anything the guard cannot read as JSON; a form's fields beside
// it as { form }, so that a token request is known by what it asks for.
function gdxBodySent(body, replaceIn) {
  if (body === undefined || body === null || body === '') return { none: true };
  // Postman's shape (a mode, or the SDK's object); named so that no importer renames it.
  var gdxModed = typeof body === 'object' && !Array.isArray(body) && (typeof body.toJSON === 'function' || 'mode' in body);
  if (gdxModed && !body.mode) return { none: true };
  if (gdxModed && body.mode === 'urlencoded') return { unreadable: 'urlencoded', form: gdxFormFields(body.urlencoded, replaceIn) };
  if (gdxModed && body.mode !== 'raw') return { unreadable: String(body.mode) };
  var text = gdxModed ? body.raw : body;
  // Bruno passes a form on as its list of { name, value, enabled }.
  if (gdxIsFieldList(text)) return { unreadable: 'urlencoded', form: gdxFormFields(text, replaceIn) };
  if (typeof text !== 'string') return { value: text };
  if (!text.trim()) return { none: true };
  try {
    return { value: JSON.parse(replaceIn(text)) };
  } catch (e) {
    return { unreadable: 'text that is not plain JSON', form: gdxFormFields(replaceIn(text), replaceIn) };
  }
}

// The enabled fields of a form, as { name: value }: Postman's list of { key, value, disabled }
// (an SDK PropertyList or its JSON) or a form-encoded text (as a client may pass it on).
function gdxFormFields(fields, replaceIn) {
  var form = {};
  var list = [];
  if (typeof fields === 'string') {
    fields.split('&').forEach(function (pair) {
      var at = pair.indexOf('=');
      var decode = function (text) {
        try {
          return decodeURIComponent(text.replace(/\+/g, ' '));
        } catch (e) {
          return text;
        }
      };
      if (pair) list.push({ key: decode(at < 0 ? pair : pair.slice(0, at)), value: decode(at < 0 ? '' : pair.slice(at + 1)) });
    });
  } else if (fields && typeof fields.all === 'function') {
    list = fields.all();
  } else if (Array.isArray(fields)) {
    list = fields;
  }
  list.forEach(function (field) {
    var name = field && (typeof field.key === 'string' ? field.key : field.name);
    if (typeof name === 'string' && !field.disabled && field.enabled !== false)
      form[replaceIn(name)] = replaceIn(String(field.value === undefined ? '' : field.value));
  });
  return form;
}

// Whether a value is a list of form fields, as Postman ({ key, value }) or Bruno ({ name, value }) give
// it; an empty list is a form with no field (the seed's request without a grant_type).
function gdxIsFieldList(value) {
  return (
    Array.isArray(value) &&
    value.every(function (field) {
      return field && typeof field === 'object' && (typeof field.key === 'string' || typeof field.name === 'string') && 'value' in field;
    })
  );
}

// Whether a body is a form, the token endpoint's kind of request (RFC 6749 4.4.2 and 5.2): Postman
// gives its fields; a client that passes a form on parsed (Bruno) gives an object of strings.
function gdxIsForm(body) {
  // An empty form is no body once sent (Bruno's post-response view of the seed's request without a grant_type).
  if (!body || body.none) return true;
  if (body.form && typeof body.form === 'object') return true;
  var value = body && body.value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.keys(value).every(function (key) {
    return typeof value[key] === 'string';
  });
}

// The date-time a v2 record carries (RecordLockedDateTime or RecordUpdateDateTime, in any case,
// any value but null), or '': with one, the service accepts the record and delivers it.
function gdxRecordDateTime(record) {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return '';
  var keys = Object.keys(record);
  for (var i = 0; i < keys.length; i++) {
    var key = keys[i].toLowerCase();
    if ((key === 'recordlockeddatetime' || key === 'recordupdatedatetime') && record[keys[i]] !== null) return keys[i];
  }
  return '';
}

// A URL path as the guard compares it: percent-decoded (where it decodes), lower case, one slash
// at a time, no trailing slash.
function gdxGuardPath(path) {
  var decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch (e) {
    decoded = path;
  }
  return decoded
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/$/, '');
}

// The pipeline's own test of a record it would carry: '' or why it would be dead-lettered after
// the 201. `rules`: the collection's GDX, with the deliverable schema where it has an opt-in.
function gdxUndeliverable(record, rules) {
  if (!rules.deliverableSchema) return '';
  try {
    pm.expect(record).to.have.jsonSchema(rules.deliverableSchema);
    return '';
  } catch (e) {
    return 'it does not match the ' + rules.deliverableSchemaName + ' schema (' + String((e && e.message) || e).slice(0, 200) + ')';
  }
}

// The guard's judgement of one request from what it sends, never from its name:
// { send: true, optIn } to send it (optIn: it carries the one record the armed opt-in allows), or
// { send: false, held } to leave it out (a skip, for the opt-in folder not armed), or
// { send: false, refused } (the request counts as failed), or
// { send: false, ask: { id, url } } for a DELETE, sent only when the service, asked at url, says
// the event is a TEST_EVENT. `sent`: method, url (variables replaced), body (gdxBodySent), where
// ('opt-in', 'other', or 'unknown' when the client does not say), armed, iteration, tokenUrl,
// baseUrl, optInSent (the marker the guard wrote on sending the opt-in's record), locked (why
// writes are locked, or ''), waitingFor (an event variable the URL names, still empty: held with
// its reason, as the folder script would); `rules`: the collection's GDX; `deliverable(record)`:
// '' or why the pipeline after the 201 would not carry it.
function gdxGuardVerdict(sent, rules, deliverable) {
  var verdict = gdxRouteVerdict(sent, rules, deliverable);
  var method = String(sent.method || 'GET').toUpperCase();
  var reads = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  // A lock (a request changed after the guard judged it) stops every write it would have let go.
  if (sent.locked && !reads && !verdict.token && (verdict.send || verdict.ask)) {
    return { send: false, refused: 'writes are locked in this session: ' + sent.locked };
  }
  return verdict;
}

// The guard's judgement by route and body alone, before any lock (gdxGuardVerdict).
function gdxRouteVerdict(sent, rules, deliverable) {
  if (sent.waitingFor) return { send: false, held: rules.needs[sent.waitingFor], waiting: true };
  var unresolved = /\{\{([^{}]+)\}\}/.exec(sent.url);
  if (unresolved) {
    return {
      send: false,
      token: unresolved[1] === 'tokenUrl',
      refused: unresolved[1] + ' is empty; select the GDX Data Share environment that goes with this collection (the environment menu, top right)',
    };
  }
  var url = gdxUrlParts(sent.url);
  var tokenUrl = gdxUrlParts(sent.tokenUrl);
  var api = gdxUrlParts(sent.baseUrl);
  var method = String(sent.method || 'GET').toUpperCase();
  var body = sent.body || { none: true };
  var path = url ? gdxGuardPath(url.path) : '';
  // A token request is known by what it is, not by its URL alone: a POST of a form to tokenUrl,
  // which is no API route, on no API host but this machine's.
  var atTokenUrl = url && tokenUrl && url.origin === tokenUrl.origin && path === gdxGuardPath(tokenUrl.path);
  var apiHost = gdxOnPlatformApi(url, api, rules.apiHosts);
  if (atTokenUrl && method === 'POST' && gdxIsForm(body)) {
    // At an API route or on the API's host, it is not sent; the token inputs' check says why.
    return gdxIsApiRoute(url.path) || apiHost ? { send: false, token: true } : { send: true, token: true };
  }
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return { send: true };
  var what = method + ' ' + (url ? url.path : sent.url);
  // A write goes to the API itself or nowhere: a server elsewhere could redirect it there.
  if (!url || !api || url.origin !== api.origin) {
    var where = url ? url.origin.replace(/:(80|443)$/, '') : 'a URL the guard cannot read';
    return { send: false, refused: what + ' goes to ' + where + ", not to baseUrl's host: the guard sends writes to the API itself only" };
  }
  if (method === 'POST' && /\/events\/deathnotification$/.test(path)) {
    if (body.unreadable || body.none || !body.value || typeof body.value !== 'object' || Array.isArray(body.value)) {
      return { send: false, refused: what + ' sends ' + (body.unreadable || 'no JSON object') + ', which the guard cannot check; send a JSON record' };
    }
    var dateTime = gdxRecordDateTime(body.value);
    if (!dateTime) return { send: true };
    var optIn = rules.optIn;
    if (optIn && sent.where === 'opt-in' && sent.iteration > 0) return { send: false, held: 'sends once per run, in the first iteration only' };
    if (optIn && sent.where === 'opt-in' && !sent.armed) return { send: false, held: optIn.why };
    // Where the client does not say which folder a request is in (Bruno), the armed opt-in lets the
    // record through here, and the folder scripts keep it to the opt-in folder.
    if (!optIn || !sent.armed || sent.where === 'other') {
      var only = optIn ? 'only the opt-in folder "' + optIn.folder + '" sends one, when ' + optIn.variable + ' is true; ' : '';
      return {
        send: false,
        refused:
          'this record has ' +
          dateTime +
          ', so the service would accept it and deliver it to other departments; ' +
          only +
          'to check the route, remove RecordLockedDateTime and RecordUpdateDateTime',
      };
    }
    if (sent.optInSent) {
      return {
        send: false,
        held: 'has sent its one record in this session (at ' + sent.optInSent + '); to send another, clear the collection variable gdxOptInSent',
      };
    }
    var undeliverable = deliverable(body.value);
    if (undeliverable)
      return { send: false, refused: 'this record would be accepted (201), then dead-lettered, which pages the platform team: ' + undeliverable };
    return { send: true, optIn: true };
  }
  if (method === 'POST' && /\/events$/.test(path)) {
    var eventType = body.value && typeof body.value === 'object' ? body.value.eventType : undefined;
    if (eventType === 'TEST_EVENT') return { send: true };
    var published = body.value && typeof eventType === 'string' ? 'eventType ' + eventType : body.unreadable || 'no eventType';
    return {
      send: false,
      refused:
        what + ' publishes ' + published + ': only a TEST_EVENT is published on a shared environment; a real-looking event reaches every subscribed acquirer',
    };
  }
  var acknowledged = /\/events\/([^/]+)$/.exec(path);
  if (method === 'DELETE' && acknowledged && rules.testEvents) {
    // The service itself says what the event is, asked at the address the DELETE goes to.
    return { send: false, ask: { id: acknowledged[1], url: url.origin.replace(/:(80|443)$/, '') + url.path } };
  }
  return { send: false, refused: what + ' could change data on a shared environment, and these collections send no such request' };
}

// The service's answer to GET /events/{id} as the guard reads it: '' when it is the event `id`
// and a TEST_EVENT, else why the DELETE is not sent.
function gdxTestEventProblem(answer, id) {
  if (!answer) return "the service did not answer the guard's question about event " + id;
  if (answer.status !== 200) return 'the service answered ' + answer.status + ' when the guard asked about event ' + id;
  var data = answer.body && answer.body.data;
  var seen = data && typeof data.id === 'string' ? data.id.toLowerCase() : '';
  var type = data && data.attributes ? data.attributes.eventType : undefined;
  if (seen !== id || type !== 'TEST_EVENT')
    return 'the service says event ' + id + ' is ' + (seen === id && typeof type === 'string' ? 'a ' + type : 'not one it knows as a TEST_EVENT');
  return '';
}

// The folders a request sits in (Postman, Newman and the Postman CLI say; null where the client
// does not: Bruno's importer has no translation for pm.execution.location).
function gdxFolders() {
  try {
    var location = pm.execution.location;
    return location && typeof location.length === 'number' ? Array.prototype.slice.call(location, 1, -1) : null;
  } catch (e) {
    return null;
  }
}

// The event variable (GDX.needs) a URL names while it is empty: the request waits for an earlier one.
function gdxWaitingFor(rawUrl) {
  var names = Object.keys(GDX.needs || {});
  for (var i = 0; i < names.length; i++) {
    if (rawUrl.indexOf('{{' + names[i] + '}}') >= 0 && !gdxVariable(names[i])) return names[i];
  }
  return '';
}

// What the guard judges a request by, gathered from whichever client runs it.
function gdxGuardInputs() {
  var folders = gdxFolders();
  var optIn = GDX.optIn;
  return {
    method: pm.request.method,
    url: pm.variables.replaceIn(String(pm.request.url)),
    body: gdxBodySent(pm.request.body, function (text) {
      return pm.variables.replaceIn(text);
    }),
    tokenUrl: gdxVariable('tokenUrl'),
    baseUrl: gdxVariable('baseUrl'),
    where: folders === null ? 'unknown' : optIn && folders.indexOf(optIn.folder) >= 0 ? 'opt-in' : 'other',
    armed: !!optIn && gdxVariable(optIn.variable) === 'true',
    iteration: pm.info.iteration,
    optInSent: pm.collectionVariables.get('gdxOptInSent') || '',
    locked: pm.collectionVariables.get('gdxGuardLock') || '',
    waitingFor: gdxWaitingFor(String(pm.request.url)),
  };
}
