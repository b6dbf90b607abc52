/* global pm, GDX */
// Checks an API answer against what GDX (prepended by the generator) expects: status, content
// type, and an empty body or a body that matches the request's JSON Schema. Top-level statements
// and no local name that shadows the sandbox's own (expect), so that importers translate it as is.
var gdxWant = GDX.expect;
// A 404 "Not Found: ..." is NoDataFoundException: the platform lost the record behind an event
// (dev and demo have such events). The platform's problem, reported as such with the event; "Event
// Not Found: ..." (an unknown id) and every other status are checked as usual.
var gdxDataProblem = '';
if (gdxWant.toleratesDataProblem && pm.response.code === 404) {
  try {
    var gdxError = pm.response.json();
    if (gdxError && typeof gdxError.userMessage === 'string' && gdxError.userMessage.indexOf('Not Found: ') === 0) {
      var gdxReadOf = /\/events\/([0-9a-f-]{36})(?:[?#]|$)/i.exec(String(pm.request.url));
      var gdxEventId = gdxReadOf ? gdxReadOf[1] : 'in this page';
      gdxDataProblem = 'event ' + gdxEventId + ': the platform has no data for it (' + gdxError.userMessage.slice(0, 120) + ')';
    }
  } catch (e) {
    gdxDataProblem = '';
  }
}
if (gdxDataProblem) {
  console.log('GDX data problem: ' + gdxDataProblem + '; report it to the GDX team. Your token and connection work.');
  pm.test('a platform data problem, not a connection failure: ' + gdxDataProblem, function () {
    pm.expect(pm.response.code).to.eql(404);
  });
}
var gdxStatusName = 'status is ' + gdxWant.status;
if (gdxWant.forbiddenHint && pm.response.code === 403) gdxStatusName += ' (403: ' + gdxWant.forbiddenHint + ')';
var gdxHints = gdxWant.statusHints || {};
if (pm.response.code !== gdxWant.status && gdxHints[pm.response.code]) gdxStatusName += ' (' + pm.response.code + ': ' + gdxHints[pm.response.code] + ')';
if (!gdxDataProblem) {
  pm.test(gdxStatusName, function () {
    pm.response.to.have.status(gdxWant.status);
  });
}
if (GDX.requestSchema) {
  // The real service answers a record it cannot parse with a bare 400: this says why.
  pm.test('the record sent matches the ' + GDX.requestSchemaName + ' schema (what the service parses)', function () {
    pm.expect(gdxSentJson(pm.request.body)).to.have.jsonSchema(GDX.requestSchema);
  });
}
if (GDX.deliverableSchema) {
  // A 201 only says the record parsed: one the enrichment step cannot map is dead-lettered later,
  // and the dead-letter alarm e-mails the platform team.
  pm.test('the record sent matches the ' + GDX.deliverableSchemaName + ' schema (else it is dead-lettered after the 201 and pages the platform team)', function () {
    pm.expect(gdxSentJson(pm.request.body)).to.have.jsonSchema(GDX.deliverableSchema);
  });
}
if (gdxWant.contentType && !gdxDataProblem) {
  pm.test('Content-Type is ' + gdxWant.contentType, function () {
    pm.expect((pm.response.headers.get('Content-Type') || '').split(';')[0].trim()).to.eql(gdxWant.contentType);
  });
}
if (gdxWant.emptyBody && !gdxDataProblem) {
  pm.test('body is empty', function () {
    pm.expect(pm.response.responseSize).to.eql(0);
  });
}
if (GDX.schema && !gdxDataProblem) {
  pm.test('body matches the ' + GDX.schemaName + ' schema', function () {
    pm.response.to.have.jsonSchema(GDX.schema);
  });
}
if (gdxWant.header && !gdxDataProblem) {
  pm.test(gdxWant.header.name + ' starts with ' + gdxWant.header.startsWith, function () {
    pm.expect(pm.response.headers.get(gdxWant.header.name) || '').to.match(new RegExp('^' + gdxWant.header.startsWith));
  });
}
var gdxData = [];
if ((gdxWant.saveFirstEventId || gdxWant.saveTestEventId) && pm.response.code === 200) {
  try {
    gdxData = pm.response.json().data || [];
  } catch (e) {
    gdxData = [];
  }
}
if (gdxWant.saveFirstEventId) {
  pm.collectionVariables.set('firstEventId', gdxData.length ? gdxData[0].id : '');
}
if (gdxWant.saveTestEventId) {
  // Only an event the service itself calls a TEST_EVENT may be acknowledged: a filter the
  // service ignored must not turn a real notification into the one removed.
  var gdxTestEventId = '';
  for (var gdxIndex = 0; gdxIndex < gdxData.length && !gdxTestEventId; gdxIndex++) {
    var gdxEvent = gdxData[gdxIndex];
    if (gdxEvent && gdxEvent.attributes && gdxEvent.attributes.eventType === 'TEST_EVENT') gdxTestEventId = gdxEvent.id;
  }
  pm.collectionVariables.set('testEventId', gdxTestEventId);
}
if (gdxWant.rememberAcknowledged && pm.response.code === 204) {
  pm.collectionVariables.set('acknowledgedEventId', pm.collectionVariables.get('testEventId'));
  pm.collectionVariables.set('testEventId', '');
}
