/* global pm, GDX, gdxJwtClaims, gdxTokenCacheKey, gdxCacheToken, gdxCachedToken, gdxBasicCredentials */
// Gives every request of this folder a Cognito access token (client credentials grant) and caches
// it until shortly before it expires: Cognito bills and rate-limits every token request.
// Callback style and ES2019 on purpose: Newman's sandbox cannot wait on a promise from pm.sendRequest.
// GDX (prepended by the generator) names the folder and the scope its requests need: a folder the
// token does not allow is skipped with the reason, instead of collecting a 403 per request.
// A failure is remembered (gdxTokenFailure) so that the next requests of a run fail at once
// instead of asking again: a wrong secret in a 50-iteration run costs one token request, not 50.
(function () {
  var PREFIX = 'GDX token: ';
  var tokenUrl = pm.variables.get('tokenUrl');
  var clientId = pm.variables.get('clientId');
  var clientSecret = pm.variables.get('clientSecret');
  var method = pm.variables.get('clientAuthMethod') || 'client_secret_basic';
  var scope = pm.variables.get('scope') || '';
  // How long a failure stands before the script asks again (the inputs changing clears it at
  // once), and how a 429 is retried: GDX.policy, from src/token-policy.ts.
  var policy = GDX.policy;

  function skip() {
    if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
  }

  // Failing as a test (not a thrown error, which the sandbox swallows inside a callback) shows
  // the message in Newman and in Postman; skipping stops a tokenless request from adding a 401.
  function fail(message) {
    pm.collectionVariables.set('gdxAccessToken', '');
    pm.test(PREFIX + message, function () {
      throw new Error(PREFIX + message);
    });
    skip();
  }

  function hostOf(url) {
    var match = /^[a-z]+:\/\/([^/?#]+)/i.exec(url);
    return match ? match[1].replace(/^[^@]*@/, '') : url;
  }

  function readJson(name) {
    try {
      return JSON.parse(pm.collectionVariables.get(name) || 'null');
    } catch (e) {
      return null;
    }
  }

  if (!tokenUrl) return fail('tokenUrl is empty; select the GDX environment that goes with this collection');
  if (!clientId || !clientSecret) {
    return fail('clientId or clientSecret is empty; set both as current values (not initial values) of the environment');
  }
  if (method !== 'client_secret_basic' && method !== 'client_secret_post') {
    return fail('clientAuthMethod is "' + method + '"; set it to client_secret_basic or client_secret_post');
  }

  function scopesOf(jwt) {
    try {
      var scopeClaim = gdxJwtClaims(jwt).scope;
      return typeof scopeClaim === 'string' ? scopeClaim.split(' ') : [];
    } catch (e) {
      return [];
    }
  }

  function useToken(jwt) {
    if (GDX.scope && scopesOf(jwt).indexOf(GDX.scope) < 0) {
      console.log('GDX skip: folder "' + GDX.folder + '" needs the scope ' + GDX.scope + ", which this client's token does not carry");
      skip();
    }
  }

  var cacheKey = gdxTokenCacheKey(method, scope);
  var now = Date.now();
  var cached = gdxCachedToken(cacheKey, now);
  if (cached) return useToken(cached);

  // The failure memory is keyed by every input, the secret as a hash: a corrected secret asks again.
  var failureKey = cacheKey + ' ' + require('crypto-js').SHA256(clientSecret).toString().slice(0, 16);
  var failure = readJson('gdxTokenFailure');
  if (failure && failure.key === failureKey && now < failure.until) {
    return fail(failure.message + ' (not asked again until ' + new Date(failure.until).toISOString().slice(11, 19) + ' UTC)');
  }

  function remember(message, forMs) {
    pm.collectionVariables.set('gdxTokenFailure', JSON.stringify({ key: failureKey, message: message, until: Date.now() + forMs }));
    fail(message);
  }

  function takeRetry() {
    var retries = readJson('gdxTokenRetries');
    if (!retries || retries.key !== failureKey || Date.now() - retries.since > policy.retryWindowMs) {
      retries = { key: failureKey, since: Date.now(), count: 0 };
    }
    if (retries.count >= policy.retryBudget) return false;
    retries.count += 1;
    pm.collectionVariables.set('gdxTokenRetries', JSON.stringify(retries));
    return true;
  }

  var form = [{ key: 'grant_type', value: 'client_credentials' }];
  if (scope) form.push({ key: 'scope', value: scope });
  var header = [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }];
  if (method === 'client_secret_post') {
    form.push({ key: 'client_id', value: clientId }, { key: 'client_secret', value: clientSecret });
  } else {
    // RFC 6749 2.3.1: id and secret are form-urlencoded before Base64 (Postman's basic auth does not).
    header.push({ key: 'Authorization', value: 'Basic ' + gdxBasicCredentials(clientId, clientSecret) });
  }
  var request = { url: tokenUrl, method: 'POST', header: header, body: { mode: 'urlencoded', urlencoded: form } };
  var host = hostOf(tokenUrl);

  function ask() {
    var askedAt = Date.now();
    pm.sendRequest(request, function (err, res) {
      try {
        answered(askedAt, err, res);
      } catch (e) {
        // A request must never go out without its token because this script broke.
        fail('the token script failed (' + (e && e.name) + '); regenerate or re-import the collection');
      }
    });
  }

  function answered(askedAt, err, res) {
    if (err) {
      return remember('could not reach ' + host + ' (' + (err.code || 'network error') + '); check tokenUrl, your network and any proxy', policy.transientMs);
    }
    var body = null;
    try {
      body = res.json();
    } catch (e) {
      body = null;
    }
    if (res.code === 200 && body && typeof body.access_token === 'string' && Number(body.expires_in) > 0) {
      pm.collectionVariables.set('gdxTokenFailure', '');
      gdxCacheToken(body.access_token, body.expires_in, cacheKey, askedAt);
      return useToken(body.access_token);
    }
    if (res.code === 429) {
      var retryAfter = Number(res.headers.get('Retry-After'));
      var waitMs = retryAfter >= 0 ? retryAfter * 1000 : 1000;
      if (waitMs <= policy.retryWaitMaxMs && takeRetry()) {
        console.log('GDX token: ' + host + ' answered 429 (rate limited); asking again in ' + Math.ceil(waitMs / 1000) + ' s');
        return setTimeout(ask, waitMs);
      }
      return remember(
        host + ' answered 429: rate limited; try again in ' + Math.max(1, Math.ceil(waitMs / 1000)) + ' s, and run fewer token requests at once',
        Math.max(waitMs, policy.transientMs)
      );
    }
    // Only a well-formed OAuth error code is echoed: a broken server's text might carry anything.
    if (body && typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error)) {
      return remember(host + ' answered ' + res.code + ' ' + body.error + ': ' + (GDX.hints[body.error] || GDX.unknownHint), policy.refusalMs);
    }
    var type = (res.headers.get('Content-Type') || 'no content type').split(';')[0];
    return remember(
      host + ' answered ' + res.code + ' with ' + type + ', not a token; check that tokenUrl ends in /oauth2/token, or try later if the service is down',
      policy.transientMs
    );
  }
  ask();
})();
