/* global pm, GDX, gdxVariable, gdxGuardInputs, gdxGuardVerdict, gdxUndeliverable, gdxUrlParts */
var gdxThen = gdxReadJudged();
var gdxSent = gdxGuardInputs();
var gdxChange = gdxChangedAfterJudging(gdxThen, gdxSent);
if (gdxChange) {
  gdxLockWrites(gdxChange);
} else if (gdxThen && gdxThen.optIn) {
  gdxDisarm();
}

// ---- The flow is above. What follows are its helpers: no need to read them. ----

// What the guard let go before the send (guard.pre-request.js), read once: the next request gets its own.
function gdxReadJudged() {
  var text = pm.collectionVariables.get('gdxGuardJudged') || '';
  pm.collectionVariables.set('gdxGuardJudged', '');
  try {
    return text ? JSON.parse(text) : null;
  } catch (e) {
    return null;
  }
}

// '' when what was sent is what the guard judged, or something it would have let go too; else what
// was sent, and why the guard would not have sent it. A tester's own pre-request script runs after
// the collection's, so it can change the request after the guard's first look.
function gdxChangedAfterJudging(then, sent) {
  var method = String(sent.method).toUpperCase();
  var body = JSON.stringify(sent.body);
  if (then && then.method === method && then.url === sent.url && then.body === body) return '';
  // Judged again as sent, the record too (a script can make the armed opt-in's record one the
  // pipeline dead-letters): the opt-in's own record is not held by the marker written for it, and
  // only the event the service confirmed may have been deleted.
  var again = gdxGuardVerdict(Object.assign({}, sent, { locked: '', optInSent: then && then.optIn ? '' : sent.optInSent }), GDX, function (record) {
    return gdxUndeliverable(record, GDX);
  });
  if (again.send || (again.ask && then && then.deleting === again.ask.id)) return '';
  var what = gdxWhat(then ? then.method : method, then ? then.url : sent.url);
  var why =
    again.refused || again.held || (again.ask ? 'the service was not asked whether event ' + again.ask.id + ' is a test event' : 'the guard did not judge it');
  return (
    what +
    ' was changed after the guard judged it, by a script of this request or its folder: it sent ' +
    gdxWhat(method, sent.url) +
    ', which the guard does not send: ' +
    why
  );
}

// A request as the messages name it: the method and the path.
function gdxWhat(method, url) {
  var parts = gdxUrlParts(url);
  return method + ' ' + (parts ? parts.path : url);
}

// The request fails, and every later write of the session is refused until the tester clears the lock.
function gdxLockWrites(change) {
  var said = 'GDX guard: ' + change;
  var lock =
    '"' + pm.info.requestName + '" ' + change.slice(0, 300) + '; once that script is gone, clear the collection variable gdxGuardLock to send writes again';
  pm.collectionVariables.set('gdxGuardLock', lock);
  console.log(said);
  console.log('GDX guard: writes are locked in this session until the collection variable gdxGuardLock is cleared');
  pm.test(said, function () {
    throw new Error('a script changed this request after the guard allowed it');
  });
}

// The opt-in's record went out: the marker gdxOptInSent holds the session to one record, whatever
// scope armed it, and the variable that armed it goes back to false (in the app every Send is a
// run of its own). Written after the send: a request stopped by a later script sent nothing.
function gdxDisarm() {
  pm.collectionVariables.set('gdxOptInSent', new Date().toISOString().slice(11, 19) + ' UTC');
  pm.environment.set(GDX.optIn.variable, 'false');
  var still = gdxVariable(GDX.optIn.variable) === 'true' ? ' (it is still true in another scope: a data file or a global; clear it there)' : '';
  console.log('GDX guard: one death notification went out; ' + GDX.optIn.variable + ' is now false' + still + '. Set it to true again to send another.');
}
