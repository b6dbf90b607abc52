/* global pm, gdxVariable, gdxReport */
// The death-notification API carries the CorrelationID header into the platform's audit trail.
// From a terminal, gdx-data-share smoke sets correlationId once per run; in Postman, an empty one
// gets a new UUID for this request, printed so that you can quote it to the GDX team.
if (!gdxVariable('correlationId')) {
  pm.variables.set('correlationId', pm.variables.replaceIn('{{$guid}}'));
}
gdxReport({ kind: 'correlation-id', id: gdxVariable('correlationId') }, 'GDX CorrelationID: ' + gdxVariable('correlationId'));
