/* global pm, GDX, gdxSentJson */
// Checks an API answer against GDX.expect: status, content type, an empty body or one that matches
// its schema. Top-level statements, and no local that shadows the sandbox's (expect), for importers.
var gdxWant = GDX.expect;
// Set by the data-problem check (api-data-problem.test.js) when the request has one.
var gdxDataProblem;
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
  var gdxDeliverable = 'the record sent matches the ' + GDX.deliverableSchemaName + ' schema';
  pm.test(gdxDeliverable + ' (else it is dead-lettered after the 201 and pages the platform team)', function () {
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
