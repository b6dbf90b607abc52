/* global pm, GDX, gdxReport */
// After api-response.post-response.js: remembers the first listed event, the first TEST_EVENT, the acknowledged one.

// Keeps the event ids the next requests use: the first listed, the first TEST_EVENT, the acknowledged one.
gdxRememberEvents(GDX.expect);

// ---- The flow is above. What follows are its helpers: no need to read them. ----

function gdxRememberEvents(remember) {
  var data = [];
  if ((remember.saveFirstEventId || remember.saveTestEventId) && pm.response.code === 200) {
    try {
      data = pm.response.json().data || [];
    } catch (e) {
      data = [];
    }
  }
  if (remember.saveFirstEventId) pm.collectionVariables.set('firstEventId', data.length ? data[0].id : '');
  if (remember.saveTestEventId) {
    // Only an event the service itself calls a TEST_EVENT may be acknowledged: a filter the
    // service ignored must not turn a real notification into the one removed.
    var testEventId = '';
    for (var i = 0; i < data.length && !testEventId; i++) {
      if (data[i] && data[i].attributes && data[i].attributes.eventType === 'TEST_EVENT') testEventId = data[i].id;
    }
    pm.collectionVariables.set('testEventId', testEventId);
    gdxReport({ kind: 'test-event', found: !!testEventId });
  }
  if (remember.rememberAcknowledged && pm.response.code === 204) {
    pm.collectionVariables.set('acknowledgedEventId', pm.collectionVariables.get('testEventId'));
    pm.collectionVariables.set('testEventId', '');
  }
}
