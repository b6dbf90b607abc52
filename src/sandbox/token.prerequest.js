/* global pm, GDX, gdxJwtClaims, gdxTokenCacheKey, gdxCacheToken, gdxCachedToken */
// Gives every request of this folder a Cognito access token (client credentials grant) and caches
// it until shortly before it expires: Cognito bills and rate-limits every token request.
// Callback style and ES2019 on purpose: Newman's sandbox cannot wait on a promise from pm.sendRequest.
// GDX (prepended by the generator) names the folder and the scope its requests need: a folder the
// token does not allow is skipped with the reason, instead of collecting a 403 per request.
(function () {
  var PREFIX = 'GDX token: ';
  var tokenUrl = pm.variables.get('tokenUrl');
  var clientId = pm.variables.get('clientId');
  var clientSecret = pm.variables.get('clientSecret');
  var method = pm.variables.get('clientAuthMethod') || 'client_secret_basic';
  var scope = pm.variables.get('scope') || '';
  var HINTS = {
    invalid_client: 'the client id or secret is wrong for this environment; check clientId and clientSecret',
    invalid_scope: 'the client may not have the scope in the scope variable; clear scope or correct it',
    unauthorized_client: 'this client may not use the client credentials grant; ask the GDX team to enable it',
    invalid_grant: "this client's OAuth flows are switched off; ask the GDX team to enable them",
    invalid_request: 'the token request was malformed; regenerate or re-import the collection',
    unsupported_grant_type: 'the token request was malformed; regenerate or re-import the collection'
  };

  // Failing as a test (not a thrown error, which the sandbox swallows inside a callback) shows
  // the message in Newman and in Postman; skipping stops a tokenless request from adding a 401.
  function fail(message) {
    pm.collectionVariables.set('gdxAccessToken', '');
    pm.test(PREFIX + message, function () {
      throw new Error(PREFIX + message);
    });
    if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
  }

  function hostOf(url) {
    var match = /^[a-z]+:\/\/([^/?#]+)/i.exec(url);
    return match ? match[1].replace(/^[^@]*@/, '') : url;
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
      if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
    }
  }

  var cacheKey = gdxTokenCacheKey(method, scope);
  var now = Date.now();
  var cached = gdxCachedToken(cacheKey, now);
  if (cached) return useToken(cached);

  var form = [{ key: 'grant_type', value: 'client_credentials' }];
  if (scope) form.push({ key: 'scope', value: scope });
  var request = {
    url: tokenUrl,
    method: 'POST',
    header: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
    body: { mode: 'urlencoded', urlencoded: form }
  };
  if (method === 'client_secret_post') {
    form.push({ key: 'client_id', value: clientId }, { key: 'client_secret', value: clientSecret });
  } else {
    request.auth = { type: 'basic', basic: [{ key: 'username', value: clientId }, { key: 'password', value: clientSecret }] };
  }

  pm.sendRequest(request, function (err, res) {
    var host = hostOf(tokenUrl);
    if (err) {
      return fail('could not reach ' + host + ' (' + (err.code || 'network error') + '); check tokenUrl, your network and any proxy');
    }
    var body = null;
    try {
      body = res.json();
    } catch (e) {
      body = null;
    }
    if (res.code === 200 && body && typeof body.access_token === 'string' && Number(body.expires_in) > 0) {
      gdxCacheToken(body.access_token, body.expires_in, cacheKey, now);
      return useToken(body.access_token);
    }
    // Only a well-formed OAuth error code is echoed: a broken server's text might carry anything.
    if (body && typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error)) {
      return fail(host + ' answered ' + res.code + ' ' + body.error + ': ' + (HINTS[body.error] || 'see the GDX onboarding guide'));
    }
    var type = (res.headers.get('Content-Type') || 'no content type').split(';')[0];
    return fail(
      host + ' answered ' + res.code + ' with ' + type + ', not a token; check that tokenUrl ends in /oauth2/token, or try later if the service is down'
    );
  });
})();
