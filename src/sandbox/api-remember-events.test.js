/* global pm, GDX, gdxReport */
// After api-response.test.js: remembers the first listed event, the first TEST_EVENT, the acknowledged one.
var gdxRemember = GDX.expect;
var gdxData = [];
if ((gdxRemember.saveFirstEventId || gdxRemember.saveTestEventId) && pm.response.code === 200) {
  try {
    gdxData = pm.response.json().data || [];
  } catch (e) {
    gdxData = [];
  }
}
if (gdxRemember.saveFirstEventId) {
  pm.collectionVariables.set('firstEventId', gdxData.length ? gdxData[0].id : '');
}
if (gdxRemember.saveTestEventId) {
  // Only an event the service itself calls a TEST_EVENT may be acknowledged: a filter the
  // service ignored must not turn a real notification into the one removed.
  var gdxTestEventId = '';
  for (var gdxIndex = 0; gdxIndex < gdxData.length && !gdxTestEventId; gdxIndex++) {
    var gdxEvent = gdxData[gdxIndex];
    if (gdxEvent && gdxEvent.attributes && gdxEvent.attributes.eventType === 'TEST_EVENT') gdxTestEventId = gdxEvent.id;
  }
  pm.collectionVariables.set('testEventId', gdxTestEventId);
  gdxReport({ kind: 'test-event', found: !!gdxTestEventId });
}
if (gdxRemember.rememberAcknowledged && pm.response.code === 204) {
  pm.collectionVariables.set('acknowledgedEventId', pm.collectionVariables.get('testEventId'));
  pm.collectionVariables.set('testEventId', '');
}
