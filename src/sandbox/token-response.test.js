/* global pm, GDX */
// Checks an answer to one of the seed document's token requests, then caches the token so that
// the API folders reuse it instead of paying for another. GDX is prepended by the generator.
(function () {
  var body = null;
  try {
    body = pm.response.json();
  } catch (e) {
    body = null;
  }

  function claimsOf(jwt) {
    var part = String(jwt).split('.')[1] || '';
    var b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var binary = require('atob')(b64);
    var escaped = '';
    for (var i = 0; i < binary.length; i++) escaped += '%' + ('0' + binary.charCodeAt(i).toString(16)).slice(-2);
    return JSON.parse(decodeURIComponent(escaped));
  }

  pm.test('status is 200', function () {
    pm.response.to.have.status(200);
  });
  pm.test('Content-Type is application/json', function () {
    pm.expect(pm.response.headers.get('Content-Type') || '').to.match(/^application\/json/);
  });
  pm.test('body matches the token-response schema', function () {
    pm.response.to.have.jsonSchema(GDX.schema);
  });
  pm.test('token_type is Bearer and expires_in is positive', function () {
    pm.expect(body && body.token_type).to.eql('Bearer');
    pm.expect(body && body.expires_in).to.be.above(0);
  });
  var claims = null;
  pm.test('access_token is a JWT with token_use access for this client id', function () {
    // Assert on booleans and claims only: a failing expect would otherwise print the token.
    pm.expect(!!body && typeof body.access_token === 'string' && body.access_token.split('.').length === 3, 'access_token is a three-part JWT').to.eql(true);
    claims = claimsOf(body.access_token);
    pm.expect(claims.token_use).to.eql('access');
    pm.expect(claims.client_id).to.eql(pm.variables.get('clientId'));
  });

  if (pm.response.code === 200 && claims && claims.token_use === 'access') {
    var lifetime = Number(body.expires_in) * 1000;
    pm.collectionVariables.set('gdxAccessToken', body.access_token);
    pm.collectionVariables.set('gdxAccessTokenExpiresAt', String(Math.floor(Date.now() + lifetime - Math.min(60000, lifetime / 10 + 1000))));
    pm.collectionVariables.set('gdxTokenCacheKey', [pm.variables.get('tokenUrl'), pm.variables.get('clientId'), GDX.method, ''].join(' '));
  }
})();
