/* global pm, GDX */
// Checks a refusal from the token endpoint: Cognito answers 400 (never 401) and a bare error code.
(function () {
  var body = null;
  try {
    body = pm.response.json();
  } catch (e) {
    body = null;
  }
  pm.test('status is 400', function () {
    pm.response.to.have.status(400);
  });
  pm.test('Content-Type is application/json', function () {
    pm.expect(pm.response.headers.get('Content-Type') || '').to.match(/^application\/json/);
  });
  pm.test('body matches the oauth-error schema', function () {
    pm.response.to.have.jsonSchema(GDX.schema);
  });
  pm.test('error is ' + GDX.error, function () {
    pm.expect(body && body.error).to.eql(GDX.error);
  });
  pm.test('no token was issued', function () {
    pm.expect(!!body && body.access_token === undefined, 'the answer carries no access_token').to.eql(true);
  });
})();
