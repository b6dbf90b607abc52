// The token policy's table and the sandbox contract's outcome lines, as pure functions.
import { describe, expect, it } from 'vitest';
import { OAUTH_HINTS, refusalMessage } from '../../../src/token-policy.js';

describe('the token policy', () => {
  it('says what each refusal means and what to do', () => {
    expect(refusalMessage('auth.example', 400, 'invalid_client')).toBe(`GDX token: auth.example answered 400 invalid_client: ${OAUTH_HINTS['invalid_client']}`);
    expect(refusalMessage('auth.example', 400, 'made_up')).toBe('GDX token: auth.example answered 400 made_up: see the GDX guide');
  });
});

describe('the sandbox contract (src/contract.ts)', () => {
  it('reads an outcome line, and nothing else', async () => {
    const { OUTCOME_PREFIX, parseOutcome } = await import('../../../src/contract.js');
    expect(parseOutcome(`${OUTCOME_PREFIX}{"kind":"skip","folder":"F","request":"R","reason":"why"}`)).toEqual({
      kind: 'skip',
      folder: 'F',
      request: 'R',
      reason: 'why',
    });
    expect(parseOutcome(`${OUTCOME_PREFIX}{"kind":"token-failure","cause":"refused","message":"m"}`)).toEqual({
      kind: 'token-failure',
      cause: 'refused',
      message: 'm',
    });
    expect(parseOutcome(`${OUTCOME_PREFIX}{"kind":"skip","folder":"F"}`)).toBeUndefined();
    expect(parseOutcome(`${OUTCOME_PREFIX}{"kind":"made-up"}`)).toBeUndefined();
    expect(parseOutcome(`${OUTCOME_PREFIX}not json`)).toBeUndefined();
    expect(parseOutcome('GDX skip: folder "F" needs the scope x')).toBeUndefined();
  });
});
