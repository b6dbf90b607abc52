/* global pm, GDX, gdxTokenEndpointAnswer, gdxJwtClaims, gdxTokenCacheKey, gdxCacheToken */
// Checks an answer to one of the seed document's token requests, then caches the token so that
// the API folders reuse it instead of paying for another. GDX is prepended by the generator.
(function () {
  var body = gdxTokenEndpointAnswer(200, GDX.schema);
  pm.test('token_type is Bearer and expires_in is positive', function () {
    pm.expect(body && body.token_type).to.eql('Bearer');
    pm.expect(body && body.expires_in).to.be.above(0);
  });
  var claims = null;
  pm.test('access_token is a JWT with token_use access for this client id', function () {
    // Assert on booleans and claims only: a failing expect would otherwise print the token.
    pm.expect(!!body && typeof body.access_token === 'string' && body.access_token.split('.').length === 3, 'access_token is a three-part JWT').to.eql(true);
    claims = gdxJwtClaims(body.access_token);
    pm.expect(claims.token_use).to.eql('access');
    pm.expect(claims.client_id).to.eql(pm.variables.get('clientId'));
  });

  if (pm.response.code === 200 && claims && claims.token_use === 'access') {
    // Counted from the answer's arrival, a little later than the request: the margin absorbs it.
    gdxCacheToken(body.access_token, body.expires_in, gdxTokenCacheKey(GDX.method, ''), Date.now() - pm.response.responseTime);
  }
})();
