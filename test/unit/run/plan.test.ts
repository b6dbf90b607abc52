// The runner's pure decision of which folders a run sends. Expectations written out.
import { describe, expect, it } from 'vitest';
import { findEnvironment } from '../../../src/config/environments.js';
import { planFolders } from '../../../src/run/plan.js';

const local = findEnvironment('local')!;
const integration = findEnvironment('integration')!;
const names = (plan: ReturnType<typeof planFolders>) => plan.run.map((f) => f.name);

describe('planFolders', () => {
  it('a supplier on local runs the token folders, both supplier folders but the opt-in one, and the anonymous folder', () => {
    const plan = planFolders(local, { role: 'supplier', acknowledge: true });
    expect(names(plan)).toEqual([
      'Get an access token',
      'Token endpoint refusals',
      'Supplier: publish a test event',
      'Supplier: death notification',
      'Without a token',
    ]);
    expect(plan.skipped).toEqual([
      {
        folder: 'Supplier: publish a death notification (opt-in)',
        reason:
          "left out without --publish-death-notification: its record reaches DWP (its dev, test, stage and old-format queues too) and the other departments' (OGD) queue, with no filter",
      },
      { folder: 'Acquirer: events', reason: 'for the acquirer role; this client is run as supplier' },
      { folder: 'Acquirer: acknowledge a test event (removes it from your queue)', reason: 'for the acquirer role; this client is run as supplier' },
    ]);
  });

  it('--publish-death-notification brings the opt-in folder in; --no-acknowledge leaves the acknowledge folder out', () => {
    expect(names(planFolders(integration, { acknowledge: true, publishDeathNotification: true }))).toEqual([
      'Get an access token',
      'Token endpoint refusals',
      'Supplier: death notification',
      'Supplier: publish a death notification (opt-in)',
      'Without a token',
    ]);
    expect(planFolders(local, { role: 'acquirer', acknowledge: false }).skipped).toContainEqual({
      folder: 'Acquirer: acknowledge a test event (removes it from your queue)',
      reason: 'left out by --no-acknowledge',
    });
  });

  it('refuses an unknown folder and a role the environment does not have, saying what to use', () => {
    expect(() => planFolders(local, { folders: ['Nope'], acknowledge: true })).toThrow(
      /^no folder "Nope" in the local collection; use one of: "Get an access token", /,
    );
    expect(() => planFolders(integration, { role: 'acquirer', acknowledge: true })).toThrow(
      'integration has nothing for the acquirer role; drop --role or use supplier',
    );
  });
});
