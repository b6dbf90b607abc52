/* global pm, GDX */
// Checks an API answer against what GDX (prepended by the generator) expects: status, content
// type, and an empty body or a body that matches the request's JSON Schema.
(function () {
  var expect = GDX.expect;
  var statusName = 'status is ' + expect.status;
  if (expect.forbiddenHint && pm.response.code === 403) statusName += ' (403: ' + expect.forbiddenHint + ')';
  pm.test(statusName, function () {
    pm.response.to.have.status(expect.status);
  });
  if (GDX.requestSchema) {
    // The real service answers a record it cannot parse with a bare 400: this says why.
    pm.test('the record sent matches the ' + GDX.requestSchema.$id + ' schema (what the service parses)', function () {
      pm.expect(JSON.parse(pm.variables.replaceIn(pm.request.body.raw))).to.have.jsonSchema(GDX.requestSchema);
    });
  }
  if (expect.contentType) {
    pm.test('Content-Type is ' + expect.contentType, function () {
      pm.expect((pm.response.headers.get('Content-Type') || '').split(';')[0].trim()).to.eql(expect.contentType);
    });
  }
  if (expect.emptyBody) {
    pm.test('body is empty', function () {
      pm.expect(pm.response.text()).to.eql('');
    });
  }
  if (GDX.schema) {
    pm.test('body matches the ' + GDX.schema.$id + ' schema', function () {
      pm.response.to.have.jsonSchema(GDX.schema);
    });
  }
  if (expect.header) {
    pm.test(expect.header.name + ' starts with ' + expect.header.startsWith, function () {
      pm.expect(pm.response.headers.get(expect.header.name) || '').to.match(new RegExp('^' + expect.header.startsWith));
    });
  }
  var data = [];
  if ((expect.saveFirstEventId || expect.saveTestEventId) && pm.response.code === 200) {
    try {
      data = pm.response.json().data || [];
    } catch (e) {
      data = [];
    }
  }
  if (expect.saveFirstEventId) {
    pm.collectionVariables.set('firstEventId', data.length ? data[0].id : '');
  }
  if (expect.saveTestEventId) {
    // Only an event the service itself calls a TEST_EVENT may be acknowledged: a filter the
    // service ignored must not turn a real notification into the one removed.
    var testEventId = '';
    for (var i = 0; i < data.length && !testEventId; i++) {
      if (data[i] && data[i].attributes && data[i].attributes.eventType === 'TEST_EVENT') testEventId = data[i].id;
    }
    pm.collectionVariables.set('testEventId', testEventId);
  }
  if (expect.rememberAcknowledged && pm.response.code === 204) {
    pm.collectionVariables.set('acknowledgedEventId', pm.collectionVariables.get('testEventId'));
    pm.collectionVariables.set('testEventId', '');
  }
})();
