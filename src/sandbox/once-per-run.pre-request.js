/* global pm */
// The token endpoint's own checks run in the first iteration only: repeating them would mint (and
// pay for) a token per iteration without testing anything new.
if (pm.info.iteration > 0) pm.execution.skipRequest();
