import { createHash, randomUUID } from 'node:crypto';

export const EVENT_TYPES = ['DEATH_NOTIFICATION', 'GRO_DEATH_NOTIFICATION', 'LIFE_EVENT', 'TEST_EVENT'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type EventData = Record<string, string | boolean | null>;

export interface StoredEvent {
  id: string;
  eventType: EventType;
  sourceId: string;
  /** When GDX received it: what the list is ordered and filtered by. */
  createdAt: Date;
  eventTime: string | null;
  eventData: EventData;
  /** Acknowledgement is per acquirer: one acquirer's delete leaves the others' queues alone. */
  acknowledgedBy: Set<string>;
}

export interface ListQuery {
  eventType?: string;
  fromTime?: Date;
  toTime?: Date;
}

const FIRST_NAMES = ['Mary Jane', 'Joan', 'Peter', 'Alex', 'Samuel', 'Priya', 'Olu'];
const LAST_NAMES = ['Smith', 'Adams', 'Jones', 'Patel', 'Okafor', 'Brown', 'Evans'];
const SEXES = ['Female', 'Female', 'Male', 'Indeterminate', 'Male', 'Female', 'Male'];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** Synthetic test data only, derived from the source id so that it is repeatable. */
export function syntheticEventData(sourceId: string): EventData {
  const n = createHash('sha256').update(sourceId).digest().readUInt32BE(0);
  const day = String((n % 27) + 1).padStart(2, '0');
  return {
    registrationDate: `2023-02-${day}`,
    firstNames: pick(FIRST_NAMES, n),
    lastName: pick(LAST_NAMES, n >>> 3),
    maidenName: null,
    sex: pick(SEXES, n),
    dateOfDeath: `2023-01-${day}`,
    dateOfBirth: `19${40 + (n % 50)}-0${(n % 9) + 1}-${day}`,
    birthPlace: '56 Test Address, B Town',
    deathPlace: 'Hospital Ward 5, C Town',
    occupation: pick(['Doctor', 'Teacher', 'Engineer', 'Retired'], n),
    retired: n % 2 === 0,
    address: '101 Address Street, A Town, Postcode',
  };
}

/** Stable UUIDs for the seeded events, so documents and tests can name them. */
function seededUuid(n: number): string {
  const h = createHash('sha256').update(`gdx-standin-seed-${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const SEED_EVENT_COUNT = 5;

export class EventStore {
  private readonly events: StoredEvent[] = [];

  constructor(seed = true) {
    if (!seed) return;
    for (let i = 0; i < SEED_EVENT_COUNT; i++) {
      const sourceId = String(123456780 + i);
      this.events.push({
        id: seededUuid(i),
        eventType: 'DEATH_NOTIFICATION',
        sourceId,
        createdAt: new Date(Date.UTC(2023, 0, 2 + i, 9, 0, 0)),
        eventTime: null,
        eventData: syntheticEventData(sourceId),
        acknowledgedBy: new Set(),
      });
    }
  }

  publish(eventType: EventType, sourceId: string, eventTime: string | null): StoredEvent {
    // Keep the list strictly ordered even when two events land in the same millisecond.
    const last = this.events.at(-1)?.createdAt.getTime() ?? 0;
    const event: StoredEvent = {
      id: randomUUID(),
      eventType,
      sourceId,
      createdAt: new Date(Math.max(Date.now(), last + 1)),
      eventTime,
      eventData: syntheticEventData(sourceId),
      acknowledgedBy: new Set(),
    };
    this.events.push(event);
    return event;
  }

  /** The acquirer's queue: oldest first, without what it has acknowledged. */
  queue(acquirer: string, query: ListQuery = {}): StoredEvent[] {
    return this.events.filter(
      (e) =>
        !e.acknowledgedBy.has(acquirer) &&
        (query.eventType === undefined || e.eventType === query.eventType) &&
        (query.fromTime === undefined || e.createdAt >= query.fromTime) &&
        (query.toTime === undefined || e.createdAt <= query.toTime),
    );
  }

  find(acquirer: string, id: string): StoredEvent | undefined {
    return this.events.find((e) => e.id === id && !e.acknowledgedBy.has(acquirer));
  }

  acknowledge(acquirer: string, id: string): boolean {
    const event = this.find(acquirer, id);
    if (!event) return false;
    event.acknowledgedBy.add(acquirer);
    return true;
  }

  deathNotifications: unknown[] = [];
}
