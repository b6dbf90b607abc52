/* global pm, GDX, gdxReport */
// Before api-response.test.js where a lost record is the platform's problem (GDX.expect.dataProblem:
// NoDataFoundException's answer): reported with the event, not failed; anything else is checked.
var gdxDataProblem = '';
var gdxNoData = GDX.expect.dataProblem;
if (gdxNoData && pm.response.code === gdxNoData.status) {
  try {
    var gdxError = pm.response.json();
    if (gdxError && typeof gdxError.userMessage === 'string' && gdxError.userMessage.indexOf(gdxNoData.userMessagePrefix) === 0) {
      var gdxReadOf = /\/events\/([0-9a-f-]{36})(?:[?#]|$)/i.exec(String(pm.request.url));
      var gdxEventId = gdxReadOf ? gdxReadOf[1] : 'in this page';
      gdxDataProblem = 'event ' + gdxEventId + ': the platform has no data for it (' + gdxError.userMessage.slice(0, 120) + ')';
    }
  } catch (e) {
    gdxDataProblem = '';
  }
}
if (gdxDataProblem) {
  var gdxProblemEvent = gdxReadOf ? gdxReadOf[1] : '';
  gdxReport(
    { kind: 'data-problem', event: gdxProblemEvent, message: gdxDataProblem },
    'GDX data problem: ' + gdxDataProblem + '; report it to the GDX team. Your token and connection work.'
  );
  pm.test('a platform data problem, not a connection failure: ' + gdxDataProblem, function () {
    pm.expect(pm.response.code).to.eql(gdxNoData.status);
  });
}
