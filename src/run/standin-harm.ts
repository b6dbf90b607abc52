// What the local stand-in did after its 201s during a client's run, which a real environment
// would do out of the tester's sight: v1 events lost after the asynchronous insert, v2 records
// dead-lettered (each would page the platform team).
import type { RunReport } from '../report/model.js';

export type LocalStandin = Awaited<ReturnType<(typeof import('../standin/server.js'))['startStandin']>>;

export interface AfterAccepted {
  dropped: number;
  deadLettered: number;
  accepted: number;
}

export function afterAcceptedCounts(standin: LocalStandin): AfterAccepted {
  const { dropped, deadLettered } = standin.store.tally;
  return { dropped: Object.values(dropped).reduce((a, b) => a + b, 0), deadLettered, accepted: standin.store.deathNotifications.length };
}

export function afterAcceptedSince(standin: LocalStandin, before: AfterAccepted): NonNullable<RunReport['afterAccepted']> {
  const now = afterAcceptedCounts(standin);
  const details = standin.store.deathNotifications
    .slice(before.accepted)
    .flatMap((d) =>
      d.outcome === 'dead-lettered'
        ? [`a death notification (CorrelationID ${d.correlationId}) would be dead-lettered and page the platform team: ${d.reason}`]
        : [],
    );
  const dropped = now.dropped - before.dropped;
  if (dropped) details.push(`${dropped} published event(s) would be lost after the 201: the id was used before or is over 80 characters`);
  return { dropped, deadLettered: now.deadLettered - before.deadLettered, details };
}
