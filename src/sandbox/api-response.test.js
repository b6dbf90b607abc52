/* global pm, GDX */
// Checks an API answer against what GDX (prepended by the generator) expects: status, content
// type, and an empty body or a body that matches the request's JSON Schema.
(function () {
  var expect = GDX.expect;
  pm.test('status is ' + expect.status, function () {
    pm.response.to.have.status(expect.status);
  });
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
  if (expect.saveFirstEventId && pm.response.code === 200) {
    var data = pm.response.json().data || [];
    pm.collectionVariables.set('firstEventId', data.length ? data[0].id : '');
  }
  if (expect.rememberAcknowledged && pm.response.code === 204) {
    pm.collectionVariables.set('acknowledgedEventId', pm.collectionVariables.get('firstEventId'));
    pm.collectionVariables.set('firstEventId', '');
  }
})();
