/* global pm, bru, GDX, gdxVariable, gdxJwtClaims, gdxTokenCacheKey, gdxCacheToken, gdxCachedToken, gdxBasicCredentials, gdxHttpAnswer, gdxPause, gdxReport, gdxRetryAfterMs, gdxTokenInputProblem, gdxSentJson, gdxRecordDateTime, gdxUrlParts */
// Gives every request of this folder a Cognito access token (client credentials grant), cached until
// shortly before it expires: Cognito bills and rate-limits every token request. GDX (prepended by
// the generator) names the folder, its scope and the event id each request needs: a request that
// cannot succeed is skipped with the reason, instead of collecting a 403 or pointing elsewhere.
// A failure is remembered (gdxTokenFailure) so that the next requests of a run fail at once
// instead of asking again: a wrong secret in a 50-iteration run costs one token request, not 50.
// Written so that every client that imports it runs it as written: top-level statements (an
// importer that awaits pm.sendRequest needs it outside any function), ES2019, callback style, and
// one literal request object for pm.sendRequest (importers rewrite only a literal).

var gdxPrefix = 'GDX token: ';
var gdxTokenUrl = gdxVariable('tokenUrl');
var gdxClientId = gdxVariable('clientId');
var gdxClientSecret = gdxVariable('clientSecret');
var gdxMethod = gdxVariable('clientAuthMethod') || 'client_secret_basic';
var gdxScope = gdxVariable('scope');
var gdxState = { failedWith: '', inCallback: false };
var gdxLeftOut = gdxLeftOutWhy();
var gdxProblem = gdxInputProblem();
var gdxCacheKey = gdxTokenCacheKey(gdxMethod, gdxScope);
var gdxCached = gdxProblem ? '' : gdxCachedToken(gdxCacheKey, Date.now());
var gdxFailureKey = gdxCacheKey + ' ' + require('crypto-js').SHA256(gdxClientSecret).toString().slice(0, 16);
var gdxStanding = gdxStandingFailure();
var gdxTokenRequest = gdxTokenRequestFor();
var gdxAskedAt = Date.now();
// A token is asked for only when none is cached and no failure stands; a 429 is retried at most twice.
if (gdxLeftOut) {
  gdxSkip(gdxLeftOut.reason, gdxLeftOut.about);
} else if (gdxDeliveredOutsideOptIn()) {
  gdxRefuseOutsideOptIn();
} else if (gdxProblem) {
  gdxFail(gdxProblem, 'input');
} else if (gdxCached) {
  gdxUseToken(gdxCached);
} else if (gdxStanding) {
  gdxFail(gdxStanding.message, 'remembered', ' (not asked again until ' + new Date(gdxStanding.until).toISOString().slice(11, 19) + ' UTC)');
} else {
  pm.sendRequest(gdxTokenRequest, function (err, reply) {
    if (gdxTokenAnsweredSafely(err, reply, gdxAskedAt, false) === 'again') {
      gdxAskedAt = Date.now();
      pm.sendRequest(gdxTokenRequest, function (err2, reply2) {
        if (gdxTokenAnsweredSafely(err2, reply2, gdxAskedAt, false) === 'again') {
          gdxAskedAt = Date.now();
          pm.sendRequest(gdxTokenRequest, function (err3, reply3) {
            gdxTokenAnsweredSafely(err3, reply3, gdxAskedAt, true);
            gdxRaiseFailure();
          });
        }
        gdxRaiseFailure();
      });
    }
    gdxRaiseFailure();
  });
}

// ---- The flow is above. What follows are its helpers: no need to read them. ----

// Failing as a test (not a thrown error, which a sandbox swallows inside a callback) shows the
// message in every client; skipping stops a tokenless request from adding a 401.
// The runner learns it from the outcome (its cause), never from the message.
function gdxFail(message, cause, note) {
  gdxState.failedWith = gdxPrefix + message + (note || '');
  gdxReport({ kind: 'token-failure', cause: cause, message: gdxPrefix + message });
  pm.collectionVariables.set('gdxAccessToken', '');
  pm.test(gdxState.failedWith, function () {
    throw new Error(gdxState.failedWith);
  });
  // Bruno, which waits on the callback, fails the request with the error gdxRaiseFailure throws,
  // unless it was skipped first; everywhere else the skip is what keeps the request from going out.
  if (!(gdxState.inCallback && typeof bru !== 'undefined')) pm.execution.skipRequest();
}

function gdxInputProblem() {
  var inputs = gdxTokenInputProblem(gdxTokenUrl, gdxClientId, gdxClientSecret, gdxVariable('baseUrl'), GDX.apiHosts);
  if (inputs) return inputs;
  if (gdxMethod !== 'client_secret_basic' && gdxMethod !== 'client_secret_post') {
    return 'clientAuthMethod is "' + gdxMethod + '"; set it to client_secret_basic or client_secret_post';
  }
  return '';
}

function gdxReadJson(name) {
  try {
    return JSON.parse(pm.collectionVariables.get(name) || 'null');
  } catch (e) {
    return null;
  }
}

function gdxScopesOf(jwt) {
  try {
    var scopeClaim = gdxJwtClaims(jwt).scope;
    return typeof scopeClaim === 'string' ? scopeClaim.split(' ') : [];
  } catch (e) {
    return [];
  }
}

// A request not sent: the reason as an outcome, and for people in the console.
function gdxSkip(reason, about) {
  gdxReport({ kind: 'skip', folder: GDX.folder, request: pm.info.requestName, reason: reason }, 'GDX skip: ' + about + reason);
  pm.execution.skipRequest();
}

// With a token in hand: skip a folder the token's scopes do not allow, and a request whose event
// an earlier request did not find.
function gdxUseToken(jwt) {
  if (GDX.scope && gdxScopesOf(jwt).indexOf(GDX.scope) < 0) {
    gdxSkip('needs the scope ' + GDX.scope + ", which this client's token does not carry", 'folder "' + GDX.folder + '" ');
    return;
  }
  var needs = GDX.needs[pm.info.requestName];
  if (needs && !pm.collectionVariables.get(needs.variable)) {
    gdxSkip(needs.why, 'request "' + pm.info.requestName + '": ');
  }
}

// A folder that creates what other departments receive (GDX.optIn) sends only when its variable is
// "true", and then in the first iteration only: one record a run, however many iterations. Checked
// before any token is asked for, so that a folder left out costs nothing.
function gdxHeldBack() {
  var optIn = GDX.optIn;
  if (!optIn) return '';
  if (gdxVariable(optIn.variable) !== 'true') return optIn.why;
  if (pm.info.iteration > 0) return 'sends once per run, in the first iteration only';
  return '';
}

// A record with a date-time outside the opt-in folder: the service would accept it and deliver it.
// The collection's guard stops it first where the client says which folder a request is in; this
// is what stops it where the client does not (Bruno).
function gdxDeliveredOutsideOptIn() {
  if (GDX.optIn) return '';
  try {
    return gdxRecordDateTime(gdxSentJson(pm.request.body));
  } catch (e) {
    return '';
  }
}

function gdxRemember(message, forMs, cause) {
  pm.collectionVariables.set('gdxTokenFailure', JSON.stringify({ key: gdxFailureKey, message: message, until: Date.now() + forMs }));
  gdxFail(message, cause);
}

function gdxTakeRetry() {
  var retries = gdxReadJson('gdxTokenRetries');
  if (!retries || retries.key !== gdxFailureKey || Date.now() - retries.since > GDX.policy.retryWindowMs) {
    retries = { key: gdxFailureKey, since: Date.now(), count: 0 };
  }
  if (retries.count >= GDX.policy.retryBudget) return false;
  retries.count += 1;
  pm.collectionVariables.set('gdxTokenRetries', JSON.stringify(retries));
  return true;
}

// Handles one answer of the token endpoint; 'again' when a 429 is to be retried now.
function gdxTokenAnswered(answer, errorCode, askedAt, last) {
  if (!answer) {
    var gdxTls = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(errorCode);
    var gdxWhy = gdxTls
      ? ": a department proxy that inspects TLS is the usual cause; trust its root CA (the handbook's section 7, Inside a department network)"
      : '; check tokenUrl, your network and any proxy';
    return gdxRemember('could not reach ' + gdxHostOf(gdxTokenUrl) + ' (' + errorCode + ')' + gdxWhy, GDX.policy.transientMs, 'unreachable');
  }
  var body = answer.body;
  if (answer.status === 200 && body && typeof body.access_token === 'string' && Number(body.expires_in) > 0) {
    pm.collectionVariables.set('gdxTokenFailure', '');
    gdxCacheToken(body.access_token, body.expires_in, gdxCacheKey, askedAt);
    return gdxUseToken(body.access_token);
  }
  if (answer.status === 429) {
    var waitMs = gdxRetryAfterMs(answer.header('Retry-After'), Date.now());
    if (!last && waitMs <= GDX.policy.retryWaitMaxMs && gdxTakeRetry()) {
      console.log(gdxPrefix + gdxHostOf(gdxTokenUrl) + ' answered 429 (rate limited); asking again in ' + Math.ceil(waitMs / 1000) + ' s');
      gdxPause(waitMs);
      return 'again';
    }
    return gdxRemember(
      gdxHostOf(gdxTokenUrl) +
        ' answered 429: rate limited; try again in ' +
        Math.max(1, Math.ceil(waitMs / 1000)) +
        ' s, and run fewer token requests at once',
      Math.max(waitMs, GDX.policy.transientMs),
      'rate-limited'
    );
  }
  // Where a client lets a script stop it (Newman, the Postman CLI with --ignore-redirects, Bruno),
  // a redirect arrives here unfollowed: the secret it asked for stays home.
  if (answer.status >= 300 && answer.status < 400) {
    var gdxTo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(answer.header('Location'));
    var gdxWhere = gdxTo ? gdxTo[1].replace(/^[^@]*@/, '') : answer.header('Location') ? gdxHostOf(gdxTokenUrl) : 'a place this client does not show';
    var gdxNot = ': not followed, since the client secret would go with it; set tokenUrl to the token endpoint itself';
    return gdxRemember(gdxHostOf(gdxTokenUrl) + ' answered ' + answer.status + ', redirecting to ' + gdxWhere + gdxNot, GDX.policy.refusalMs, 'redirected');
  }
  // Only a well-formed OAuth error code is echoed: a broken server's text might carry anything.
  if (body && typeof body.error === 'string' && /^[a-z_]{1,40}$/.test(body.error)) {
    return gdxRemember(
      gdxHostOf(gdxTokenUrl) + ' answered ' + answer.status + ' ' + body.error + ': ' + (GDX.hints[body.error] || GDX.unknownHint),
      GDX.policy.refusalMs,
      'refused'
    );
  }
  if (answer.opaque && answer.status >= 400 && answer.status < 500) {
    var gdxOpaque =
      ' (this client does not pass on the reason); check clientId, clientSecret and scope, or, with Node.js, run gdx-data-share token for the reason';
    return gdxRemember(gdxHostOf(gdxTokenUrl) + ' answered ' + answer.status + gdxOpaque, GDX.policy.refusalMs, 'opaque');
  }
  var type = (answer.header('Content-Type') || 'no content type').split(';')[0];
  return gdxRemember(
    gdxHostOf(gdxTokenUrl) +
      ' answered ' +
      answer.status +
      ' with ' +
      type +
      ', not a token; check that tokenUrl ends in /oauth2/token, or try later if the service is down',
    GDX.policy.transientMs,
    'not-a-token'
  );
}

// Called last in a send's callback. Bruno waits on the callback and reports this error as the
// request's, failing the run (a failed test in a skipped request does not, there). Postman's
// sandboxes are not given it: the Postman CLI stops the whole run on an error thrown in a callback,
// and the failed test above already says why.
function gdxRaiseFailure() {
  if (gdxState.failedWith && typeof bru !== 'undefined') throw new Error(gdxState.failedWith);
}

// A request must never go out without its token because this script broke.
function gdxTokenAnsweredSafely(err, reply, askedAt, last) {
  gdxState.inCallback = true;
  try {
    var errorCode = err && /^[A-Z_]{2,40}$/.test(String(err.code)) ? String(err.code) : 'network error';
    // The Postman CLI's v3 runner passes an error as its words alone: they say a certificate's.
    if (errorCode === 'network error' && err && /certificate/i.test(String(err.message || err))) errorCode = 'TLS error';
    return gdxTokenAnswered(gdxHttpAnswer(err, reply), errorCode, askedAt, last);
  } catch (e) {
    gdxFail('the token script failed (' + (e && e.name) + '); regenerate or re-import the collection', 'script');
    return '';
  }
}

// Why this request is left out before any token is asked for, and how to name it; null to go on.
function gdxLeftOutWhy() {
  var held = gdxHeldBack();
  if (held) return { reason: held, about: 'folder "' + GDX.folder + '" ' };
  var elsewhere = gdxOffTheApi();
  return elsewhere ? { reason: elsewhere, about: 'request "' + pm.info.requestName + '": ' } : null;
}

// This folder's token goes to the API only: a request of this folder pointed elsewhere (a mock, a
// copy with another host) is not sent with it.
function gdxOffTheApi() {
  var api = gdxUrlParts(gdxVariable('baseUrl'));
  var url = gdxUrlParts(pm.variables.replaceIn(String(pm.request.url)));
  if (!api || !url || url.origin === api.origin) return '';
  return 'goes to ' + url.origin.replace(/:(80|443)$/, '') + ", and this folder sends its access token to baseUrl's host only";
}

// The token endpoint's host, for messages: what follows any user part of the authority.
function gdxHostOf(tokenUrl) {
  var match = /^[a-z]+:\/\/([^/?#]+)/i.exec(tokenUrl);
  return match ? match[1].replace(/^[^@]*@/, '') : tokenUrl;
}

// A failure remembered for these inputs that still stands; the secret is keyed as a hash, so a
// corrected secret asks again.
function gdxStandingFailure() {
  var failure = gdxReadJson('gdxTokenFailure');
  return failure && failure.key === gdxFailureKey && Date.now() < failure.until ? failure : null;
}

// A record with a date-time outside the opt-in folder, where the client does not say which folder
// a request is in: not sent.
function gdxRefuseOutsideOptIn() {
  var said = 'GDX guard: not sent: this record has ' + gdxDeliveredOutsideOptIn() + ', so the service would accept it and deliver it to other departments; ';
  pm.test(said + 'only the opt-in folder sends one; to check the route, remove RecordLockedDateTime and RecordUpdateDateTime', function () {
    throw new Error('this request was not sent: it could harm a shared environment');
  });
  pm.execution.skipRequest();
}

// One literal request for every method (a client's importer rewrites the literal it finds): the
// entries a method does not use are disabled (Postman) and undefined (clients that map the list to
// an object). RFC 6749 2.3.1 form-encodes the Basic credentials before Base64, which Postman's own
// basic auth does not.
function gdxTokenRequestFor() {
  var gdxBasic = gdxMethod === 'client_secret_basic' && !gdxProblem;
  var gdxPost = gdxMethod === 'client_secret_post' && !gdxProblem;
  var gdxTokenRequest = {
    url: gdxTokenUrl,
    method: 'POST',
    // Bruno hands this object to axios, which then leaves a redirect unfollowed; Postman ignores it
    // and follows its run's setting (--ignore-redirects, Newman's ignoreRedirects).
    maxRedirects: 0,
    header: [
      { key: 'Content-Type', value: 'application/x-www-form-urlencoded' },
      { key: 'Authorization', value: gdxBasic ? 'Basic ' + gdxBasicCredentials(gdxClientId, gdxClientSecret) : undefined, disabled: !gdxBasic },
    ],
    body: {
      mode: 'urlencoded',
      urlencoded: [
        { key: 'grant_type', value: 'client_credentials' },
        { key: 'scope', value: gdxScope || undefined, disabled: !gdxScope },
        { key: 'client_id', value: gdxPost ? gdxClientId : undefined, disabled: !gdxPost },
        { key: 'client_secret', value: gdxPost ? gdxClientSecret : undefined, disabled: !gdxPost },
      ],
    },
  };
  return gdxTokenRequest;
}
