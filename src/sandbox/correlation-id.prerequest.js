/* global pm, gdxVariable, gdxReport */
// The death-notification API carries the CorrelationID header into the platform's audit trail.
// The runner sets correlationId once per run; in Postman, an empty one gets a new UUID for this
// request, printed so that a tester can quote it to the GDX team.
if (!gdxVariable('correlationId')) {
  pm.variables.set('correlationId', pm.variables.replaceIn('{{$guid}}'));
}
gdxReport({ kind: 'correlation-id', id: gdxVariable('correlationId') }, 'GDX CorrelationID: ' + gdxVariable('correlationId'));
