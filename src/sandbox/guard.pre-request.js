/* global pm, bru, GDX, gdxVariable, gdxReport, gdxGuardVerdict, gdxUndeliverable, gdxTokenInputProblem, gdxGuardInputs, gdxFolders, gdxHttpAnswer, gdxTestEventProblem */
var gdxInputs = gdxGuardInputs();
var gdxVerdict = gdxGuardVerdict(gdxInputs, GDX, gdxDeliverable);
var gdxTokenProblem = gdxVerdict.token
  ? gdxVerdict.refused ||
    gdxTokenInputProblem(gdxVariable('tokenUrl'), gdxVariable('clientId'), gdxVariable('clientSecret'), gdxVariable('baseUrl'), GDX.apiHosts)
  : '';
if (gdxTokenProblem) {
  gdxNoToken(gdxTokenProblem);
} else if (gdxVerdict.held) {
  gdxHold(gdxVerdict);
} else if (gdxVerdict.ask) {
  // A DELETE goes out only when the service, asked now with the same token, says it is a test event.
  var gdxQuestion = {
    url: gdxVerdict.ask.url,
    method: 'GET',
    maxRedirects: 0,
    header: [
      { key: 'Accept', value: 'application/vnd.api+json' },
      { key: 'Authorization', value: 'Bearer ' + pm.collectionVariables.get('gdxAccessToken') },
    ],
  };
  pm.sendRequest(gdxQuestion, function (err, reply) {
    var gdxProblem = gdxTestEventProblem(gdxHttpAnswer(err, reply), gdxVerdict.ask.id);
    if (gdxProblem) gdxRefuse(gdxProblem + ', and only a test event may be acknowledged; send "Find a test event" first', true);
    else gdxJudged(gdxInputs, { deleting: gdxVerdict.ask.id });
  });
} else if (!gdxVerdict.send) {
  gdxRefuse(gdxVerdict.refused, false);
} else {
  gdxJudged(gdxInputs, { optIn: !!gdxVerdict.optIn });
}

// ---- The flow is above. What follows are its helpers: no need to read them. ----

// '' or why the pipeline after the 201 would not carry this record.
function gdxDeliverable(record) {
  return gdxUndeliverable(record, GDX);
}

// The first click of "Get an access token" with an input missing: nothing goes to Cognito, which
// bills each request.
function gdxNoToken(problem) {
  var said = 'GDX token: ' + problem;
  gdxReport({ kind: 'token-failure', cause: 'input', message: said });
  pm.test(said, function () {
    throw new Error(said);
  });
  pm.execution.skipRequest();
}

// Said as the folder scripts say it: a request waiting for an event, or the opt-in folder held back.
function gdxHold(verdict) {
  var folder = verdict.waiting ? (gdxFolders() || ['']).slice(-1)[0] : GDX.optIn.folder;
  var about = verdict.waiting ? 'request "' + pm.info.requestName + '": ' : 'folder "' + folder + '" ';
  gdxReport({ kind: 'skip', folder: folder, request: pm.info.requestName, reason: verdict.held }, 'GDX skip: ' + about + verdict.held);
  pm.execution.skipRequest();
}

// Not sent, and failed so that the run says so. From a send's callback, Bruno (which waits on it)
// fails the request with an error thrown there, as the token script relies on; the Postman CLI
// would stop the whole run on one, so there and in Newman the skip keeps the request home.
function gdxRefuse(reason, inCallback) {
  var said = 'GDX guard: not sent: ' + reason;
  console.log(said);
  pm.test(said, function () {
    throw new Error('this request was not sent: it could harm a shared environment');
  });
  if (inCallback && typeof bru !== 'undefined') throw new Error(said);
  pm.execution.skipRequest();
}

// What the guard let go, for its second look after the send (guard.post-response.js).
function gdxJudged(inputs, about) {
  var judged = { method: String(inputs.method).toUpperCase(), url: inputs.url, body: JSON.stringify(inputs.body), optIn: about.optIn || false };
  if (about.deleting) judged.deleting = about.deleting;
  pm.collectionVariables.set('gdxGuardJudged', JSON.stringify(judged));
}
