/* global pm, GDX */
// Reading or acknowledging needs an event id left by an earlier request (GDX.needs names the
// variable); with an empty queue there is none, and the request is skipped, not failed.
if (!pm.collectionVariables.get(GDX.needs)) {
  console.log('GDX: no event to work on (' + GDX.needs + ' is empty: your queue may be empty); "' + pm.info.requestName + '" skipped');
  if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
}
