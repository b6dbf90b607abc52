/* global pm, GDX, gdxVariable, gdxReport, gdxGuardVerdict, gdxBodySent, gdxTokenInputProblem, gdxGuardInputs, gdxFolders */
// At the collection's level: the one script that reaches a request a tester adds. What it checks
// is said in the header above; gdxGuardVerdict (the library) decides.
var gdxVerdict = gdxGuardVerdict(gdxGuardInputs(), GDX, function (record) {
  if (!GDX.deliverableSchema) return '';
  try {
    pm.expect(record).to.have.jsonSchema(GDX.deliverableSchema);
    return '';
  } catch (e) {
    return 'it does not match the ' + GDX.deliverableSchemaName + ' schema (' + String((e && e.message) || e).slice(0, 200) + ')';
  }
});
var gdxGuardProblem = gdxVerdict.token
  ? gdxVerdict.refused || gdxTokenInputProblem(gdxVariable('tokenUrl'), gdxVariable('clientId'), gdxVariable('clientSecret'))
  : '';
if (gdxGuardProblem) {
  // The first click of "Get an access token": nothing is sent to Cognito, which bills each request.
  var gdxTokenSaid = 'GDX token: ' + gdxGuardProblem;
  gdxReport({ kind: 'token-failure', cause: 'input', message: gdxTokenSaid });
  pm.test(gdxTokenSaid, function () {
    throw new Error(gdxTokenSaid);
  });
  pm.execution.skipRequest();
} else if (gdxVerdict.held) {
  // Said as the folder scripts say it: a request waiting for an event, or the opt-in folder held back.
  var gdxHeldFolder = gdxVerdict.waiting ? (gdxFolders() || ['']).slice(-1)[0] : GDX.optIn.folder;
  var gdxHeldSaid = gdxVerdict.waiting ? 'request "' + pm.info.requestName + '": ' : 'folder "' + gdxHeldFolder + '" ';
  gdxReport({ kind: 'skip', folder: gdxHeldFolder, request: pm.info.requestName, reason: gdxVerdict.held }, 'GDX skip: ' + gdxHeldSaid + gdxVerdict.held);
  pm.execution.skipRequest();
} else if (!gdxVerdict.send) {
  var gdxGuardSaid = 'GDX guard: not sent: ' + gdxVerdict.refused;
  console.log(gdxGuardSaid);
  pm.test(gdxGuardSaid, function () {
    throw new Error('this request was not sent: it could harm a shared environment');
  });
  pm.execution.skipRequest();
}
