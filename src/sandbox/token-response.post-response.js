/* global pm, GDX, gdxTokenEndpointAnswer, gdxJwtClaims, gdxTokenCacheKey, gdxCacheToken, gdxVariable */
// Checks an answer to one of the GDX guide's token requests, then caches the token so that
// the API folders reuse it instead of paying for another. GDX is prepended by the generator.

// Checks the token endpoint's answer, then keeps its token for the API folders: each token request is billed.
var gdxIssued = gdxTokenEndpointAnswer(200, GDX.schemaName, GDX.schema);
pm.test('token_type is Bearer and expires_in is positive', function () {
  pm.expect(gdxIssued && gdxIssued.token_type).to.eql('Bearer');
  pm.expect(gdxIssued && gdxIssued.expires_in).to.be.above(0);
});
var gdxClaims = null;
pm.test('access_token is a JWT with token_use access for this client id', function () {
  // Assert on booleans and claims only: a failing expect would otherwise print the token.
  var gdxJwtShaped = !!gdxIssued && typeof gdxIssued.access_token === 'string' && gdxIssued.access_token.split('.').length === 3;
  pm.expect(gdxJwtShaped, 'access_token is a three-part JWT').to.eql(true);
  gdxClaims = gdxJwtClaims(gdxIssued.access_token);
  pm.expect(gdxClaims.token_use).to.eql('access');
  pm.expect(gdxClaims.client_id).to.eql(gdxVariable('clientId'));
});
if (pm.response.code === 200 && gdxClaims && gdxClaims.token_use === 'access') {
  // Counted from the answer's arrival, a little later than the request: the margin absorbs it.
  gdxCacheToken(gdxIssued.access_token, gdxIssued.expires_in, gdxTokenCacheKey(GDX.method, ''), Date.now() - pm.response.responseTime);
}
