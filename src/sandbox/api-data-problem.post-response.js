/* global pm, GDX, gdxReport */
// Before api-response.post-response.js where a lost record is the platform's problem (GDX.expect.dataProblem:
// NoDataFoundException's answer): reported with the event, not failed; anything else is checked.

// An answer that says the platform lost the record behind an event is its problem, not your connection's.
var gdxDataProblem = gdxPlatformDataProblem();

// ---- The flow is above. What follows are its helpers: no need to read them. ----

function gdxPlatformDataProblem() {
  var noData = GDX.expect.dataProblem;
  if (!noData || pm.response.code !== noData.status) return '';
  var problem = '';
  var event = '';
  try {
    var error = pm.response.json();
    if (error && typeof error.userMessage === 'string' && error.userMessage.indexOf(noData.userMessagePrefix) === 0) {
      var readOf = /\/events\/([0-9a-f-]{36})(?:[?#]|$)/i.exec(String(pm.request.url));
      event = readOf ? readOf[1] : '';
      problem = 'event ' + (event || 'in this page') + ': the platform has no data for it (' + error.userMessage.slice(0, 120) + ')';
    }
  } catch (e) {
    problem = '';
  }
  if (!problem) return '';
  gdxReport(
    { kind: 'data-problem', event: event, message: problem },
    'GDX data problem: ' + problem + '; report it to the GDX team. Your token and connection work.'
  );
  pm.test('a platform data problem, not a connection failure: ' + problem, function () {
    pm.expect(pm.response.code).to.eql(noData.status);
  });
  return problem;
}
