/* global pm, GDX, gdxSentJson */
// Checks an API answer against GDX.expect: status, content type, an empty body or one that matches
// its schema. Top-level statements, and no local that shadows the sandbox's (expect), for importers.
// gdxDataProblem is set by the data-problem check (api-data-problem.post-response.js) when the request has one.

// The checks of this answer: its status, the record sent, then the answer's type, body and headers.
var gdxWant = GDX.expect;
var gdxDataProblem;
if (!gdxDataProblem) gdxCheckStatus(gdxWant);
gdxCheckRecordSent();
if (!gdxDataProblem) gdxCheckAnswer(gdxWant);

// ---- The flow is above. What follows are its helpers: no need to read them. ----

function gdxCheckStatus(want) {
  var name = 'status is ' + want.status;
  if (want.forbiddenHint && pm.response.code === 403) name += ' (403: ' + want.forbiddenHint + ')';
  var hints = want.statusHints || {};
  if (pm.response.code !== want.status && hints[pm.response.code]) name += ' (' + pm.response.code + ': ' + hints[pm.response.code] + ')';
  pm.test(name, function () {
    pm.response.to.have.status(want.status);
  });
}

function gdxCheckRecordSent() {
  if (GDX.requestSchema) {
    // The real service answers a record it cannot parse with a bare 400: this says why.
    pm.test('the record sent matches the ' + GDX.requestSchemaName + ' schema (what the service parses)', function () {
      pm.expect(gdxSentJson(pm.request.body)).to.have.jsonSchema(GDX.requestSchema);
    });
  }
  if (GDX.deliverableSchema) {
    // A 201 only says the record parsed: one the enrichment step cannot map is dead-lettered later,
    // and the dead-letter alarm e-mails the platform team.
    var deliverable = 'the record sent matches the ' + GDX.deliverableSchemaName + ' schema';
    pm.test(deliverable + ' (else it is dead-lettered after the 201 and pages the platform team)', function () {
      pm.expect(gdxSentJson(pm.request.body)).to.have.jsonSchema(GDX.deliverableSchema);
    });
  }
}

function gdxCheckAnswer(want) {
  if (want.contentType) {
    pm.test('Content-Type is ' + want.contentType, function () {
      pm.expect((pm.response.headers.get('Content-Type') || '').split(';')[0].trim()).to.eql(want.contentType);
    });
  }
  if (want.emptyBody) {
    pm.test('body is empty', function () {
      pm.expect(pm.response.responseSize).to.eql(0);
    });
  }
  if (GDX.schema) {
    pm.test('body matches the ' + GDX.schemaName + ' schema', function () {
      pm.response.to.have.jsonSchema(GDX.schema);
    });
  }
  if (want.header) {
    pm.test(want.header.name + ' starts with ' + want.header.startsWith, function () {
      pm.expect(pm.response.headers.get(want.header.name) || '').to.match(new RegExp('^' + want.header.startsWith));
    });
  }
}
