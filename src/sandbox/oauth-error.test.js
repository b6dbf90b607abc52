/* global pm, GDX, gdxTokenEndpointAnswer */
// Checks a refusal from the token endpoint: Cognito answers 400 (never 401) and a bare error code.
(function () {
  var body = gdxTokenEndpointAnswer(400, GDX.schema);
  pm.test('error is ' + GDX.error, function () {
    pm.expect(body && body.error).to.eql(GDX.error);
  });
  pm.test('no token was issued', function () {
    pm.expect(!!body && body.access_token === undefined, 'the answer carries no access_token').to.eql(true);
  });
})();
