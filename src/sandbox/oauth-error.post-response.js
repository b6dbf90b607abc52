/* global pm, GDX, gdxTokenEndpointAnswer */
// Checks a refusal from the token endpoint: Cognito answers 400 (never 401) and a bare error code.
var gdxRefusal = gdxTokenEndpointAnswer(400, GDX.schemaName, GDX.schema);
pm.test('error is ' + GDX.error, function () {
  pm.expect(gdxRefusal && gdxRefusal.error).to.eql(GDX.error);
});
pm.test('no token was issued', function () {
  pm.expect(!!gdxRefusal && gdxRefusal.access_token === undefined, 'the answer carries no access_token').to.eql(true);
});
