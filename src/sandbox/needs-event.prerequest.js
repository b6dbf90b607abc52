/* global pm, GDX */
// Reading or acknowledging needs an event id left by an earlier request (GDX.needs names the
// variable, GDX.why says what an empty one means). Without one the request is skipped, never
// pointed at some other event.
if (!pm.collectionVariables.get(GDX.needs)) {
  console.log('GDX skip: request "' + pm.info.requestName + '": ' + GDX.why);
  if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
}
