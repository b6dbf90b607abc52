/* global pm, GDX, gdxVariable, gdxListed, gdxBodySent, gdxRecordDateTime, gdxFolders, gdxUrlParts, gdxGuardPath */
// After every request: keeps the ids the service listed as TEST_EVENTs (the only ones a DELETE may
// name), and disarms the opt-in once its record went out (in the app every Send is a run of its own).
var gdxSent = { method: String(pm.request.method).toUpperCase(), url: pm.variables.replaceIn(String(pm.request.url)) };
var gdxCode = 0;
try {
  gdxCode = pm.response.code;
} catch (e) {
  gdxCode = 0;
}
if (GDX.testEvents && gdxSent.method === 'GET' && gdxCode === 200) {
  var gdxListing = null;
  try {
    gdxListing = pm.response.json();
  } catch (e) {
    gdxListing = null;
  }
  var gdxData = gdxListing && gdxListing.data ? [].concat(gdxListing.data) : [];
  var gdxIds = gdxListed();
  for (var gdxI = 0; gdxI < gdxData.length; gdxI++) {
    var gdxEvent = gdxData[gdxI];
    var gdxId = gdxEvent && typeof gdxEvent.id === 'string' ? gdxEvent.id.toLowerCase() : '';
    if (gdxId && gdxEvent.attributes && gdxEvent.attributes.eventType === 'TEST_EVENT' && gdxIds.indexOf(gdxId) < 0) gdxIds.push(gdxId);
  }
  pm.collectionVariables.set(GDX.testEvents.variable, JSON.stringify(gdxIds.slice(-GDX.testEvents.keep)));
}
if (GDX.testEvents && gdxSent.method === 'DELETE' && gdxCode === 204) {
  var gdxGone = /\/events\/([^/?#]+)\/?(?:[?#].*)?$/.exec(gdxSent.url);
  var gdxKept = gdxListed().filter(function (id) {
    return !gdxGone || id !== decodeURIComponent(gdxGone[1]).toLowerCase();
  });
  pm.collectionVariables.set(GDX.testEvents.variable, JSON.stringify(gdxKept));
}
// The guard let a record with a date-time out only because the opt-in was armed (in the opt-in
// folder, or wherever the client does not say which folder a request is in).
// The path read as the guard reads it: no spelling of the route it let through escapes disarming.
var gdxToDeathRoute = /\/events\/deathnotification$/.test(gdxGuardPath((gdxUrlParts(gdxSent.url) || { path: '' }).path));
var gdxOptInFolders = GDX.optIn && gdxSent.method === 'POST' && gdxToDeathRoute ? gdxFolders() : [];
var gdxOptInSent =
  GDX.optIn &&
  gdxVariable(GDX.optIn.variable) === 'true' &&
  (gdxOptInFolders === null || gdxOptInFolders.indexOf(GDX.optIn.folder) >= 0) &&
  !!gdxRecordDateTime(
    gdxBodySent(pm.request.body, function (text) {
      return pm.variables.replaceIn(text);
    }).value
  );
if (gdxOptInSent) {
  pm.environment.set(GDX.optIn.variable, 'false');
  var gdxStill = gdxVariable(GDX.optIn.variable) === 'true' ? ' (it is still true in another scope: a data file or a global; clear it there)' : '';
  console.log('GDX guard: one death notification went out; ' + GDX.optIn.variable + ' is now false' + gdxStill + '. Set it to true again to send another.');
}
