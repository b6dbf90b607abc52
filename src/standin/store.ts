// The stand-in's events, as the v1 service keeps them: published by suppliers, fanned out to the
// acquirers subscribed to the event type, acknowledged (soft-deleted) per acquirer.
// Rules: see "dev and demo: the events API (v1)" in README.md's faithfulness table.
import { createHash, randomUUID } from 'node:crypto';

/** enums/EventType.kt */
export const EVENT_TYPES = ['GRO_DEATH_NOTIFICATION', 'DEATH_NOTIFICATION', 'LIFE_EVENT', 'TEST_EVENT'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type EventData = Record<string, string | boolean | null>;

/** enums/EventType.kt EventTypeEnrichmentFieldsRelationship: the fields each type can carry. */
export const ENRICHMENT_FIELDS: Readonly<Record<EventType, readonly string[]>> = {
  GRO_DEATH_NOTIFICATION: [
    'sourceId', 'sex', 'dateOfBirth', 'dateOfDeath', 'registrationId', 'eventTime', 'verificationLevel',
    'partialMonthOfDeath', 'partialYearOfDeath', 'forenames', 'surname', 'maidenSurname',
    'addressLine1', 'addressLine2', 'addressLine3', 'addressLine4', 'postcode',
  ],
  DEATH_NOTIFICATION: [
    'sourceId', 'sex', 'dateOfBirth', 'registrationDate', 'firstNames', 'lastName', 'dateOfDeath',
    'birthPlace', 'deathPlace', 'maidenName', 'occupation', 'retired', 'address',
  ],
  LIFE_EVENT: ['sourceId'],
  TEST_EVENT: ['sourceId', 'eventTime'],
};

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
  /** V1-PUBLISH: the service fans events out asynchronously; until then no acquirer sees it. */
  visibleAt: number;
}

export interface ListQuery {
  /** filter[eventType], a list; empty or absent: every type the acquirer is subscribed to. */
  eventTypes?: readonly string[];
  /** Exclusive, as the service's `created_at > :fromTime`. */
  fromTime?: Date;
  /** Inclusive, as `created_at <= :toTime`. */
  toTime?: Date;
}

const FIRST_NAMES = ['Mary Jane', 'Joan', 'Peter', 'Alex', 'Samuel', 'Priya', 'Olu'];
const LAST_NAMES = ['Smith', 'Adams', 'Jones', 'Patel', 'Okafor', 'Brown', 'Evans'];
// DEATH_NOTIFICATION speaks enums/Sex.kt; GRO_DEATH_NOTIFICATION speaks enums/GroSex.kt (M, F).
const SEXES = ['Female', 'Female', 'Male', 'Indeterminate', 'Male', 'Female', 'Male'];
const GRO_SEXES = ['M', 'F'];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

/** Synthetic test data only, derived from the source id so that it is repeatable. */
export function syntheticEventData(eventType: EventType, sourceId: string, eventTime: string | null = null): EventData {
  const n = createHash('sha256').update(sourceId).digest().readUInt32BE(0);
  const day = String((n % 27) + 1).padStart(2, '0');
  switch (eventType) {
    case 'TEST_EVENT':
      // services/TestEventEnrichmentService.kt
      return { testField: 'Test Field Value' };
    case 'LIFE_EVENT':
      return {};
    case 'GRO_DEATH_NOTIFICATION':
      // models/GroDeathNotificationDetails.kt
      return {
        registrationId: sourceId,
        eventTime: eventTime ? eventTime.slice(0, 10) : `2023-02-${day}`,
        verificationLevel: '1',
        dateOfDeath: `2023-01-${day}`,
        partialMonthOfDeath: null,
        partialYearOfDeath: null,
        forenames: pick(FIRST_NAMES, n),
        surname: pick(LAST_NAMES, n >>> 3),
        maidenSurname: null,
        sex: pick(GRO_SEXES, n),
        dateOfBirth: `19${40 + (n % 50)}-0${(n % 9) + 1}-${day}`,
        addressLine1: '101 Address Street',
        addressLine2: 'A Town',
        addressLine3: null,
        addressLine4: null,
        postcode: 'AA1 1AA',
      };
    case 'DEATH_NOTIFICATION':
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
}

/** Stable UUIDs for the seeded events, so documents and tests can name them. */
function seededUuid(n: number): string {
  const h = createHash('sha256').update(`gdx-standin-seed-${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The seeded queue: a GRO event first (sex "M"), then death notifications. No TEST_EVENT: a
 * smoke run's acknowledge folder must find its own test event or remove nothing. */
export const SEED_EVENT_COUNT = 5;
const SEED_TYPES: readonly EventType[] = ['GRO_DEATH_NOTIFICATION', 'DEATH_NOTIFICATION', 'DEATH_NOTIFICATION', 'DEATH_NOTIFICATION', 'DEATH_NOTIFICATION'];

export interface Tally {
  published: Record<string, number>;
  acknowledged: Record<string, number>;
}

export class EventStore {
  private readonly events: StoredEvent[] = [];
  /** Published and acknowledged events by type: what tests read to prove a run harmed nothing. */
  readonly tally: Tally = { published: {}, acknowledged: {} };

  constructor(seed = true) {
    if (!seed) return;
    for (let i = 0; i < SEED_EVENT_COUNT; i++) {
      const sourceId = String(123456780 + i);
      const eventType = SEED_TYPES[i]!;
      this.events.push({
        id: seededUuid(i),
        eventType,
        sourceId,
        createdAt: new Date(Date.UTC(2023, 0, 2 + i, 9, 0, 0)),
        eventTime: null,
        eventData: i === 0 ? { ...syntheticEventData(eventType, sourceId), sex: 'M' } : syntheticEventData(eventType, sourceId),
        acknowledgedBy: new Set(),
        visibleAt: 0,
      });
    }
  }

  /** `delayMs`: how long the fan-out takes before acquirers see the event. */
  publish(eventType: EventType, sourceId: string, eventTime: string | null, delayMs = 0): StoredEvent {
    // Keep the list strictly ordered even when two events land in the same millisecond.
    const last = this.events.at(-1)?.createdAt.getTime() ?? 0;
    const event: StoredEvent = {
      id: randomUUID(),
      eventType,
      sourceId,
      createdAt: new Date(Math.max(Date.now(), last + 1)),
      eventTime,
      eventData: syntheticEventData(eventType, sourceId, eventTime),
      acknowledgedBy: new Set(),
      visibleAt: Date.now() + delayMs,
    };
    this.events.push(event);
    this.tally.published[eventType] = (this.tally.published[eventType] ?? 0) + 1;
    return event;
  }

  /** The acquirer's queue: the types it is subscribed to, oldest first, without what it acknowledged. */
  queue(acquirer: string, subscribed: readonly EventType[], query: ListQuery = {}): StoredEvent[] {
    const types = query.eventTypes?.length ? subscribed.filter((t) => query.eventTypes!.includes(t)) : subscribed;
    const now = Date.now();
    return this.events.filter(
      (e) =>
        e.visibleAt <= now &&
        types.includes(e.eventType) &&
        !e.acknowledgedBy.has(acquirer) &&
        (query.fromTime === undefined || e.createdAt > query.fromTime) &&
        (query.toTime === undefined || e.createdAt <= query.toTime),
    );
  }

  /** An event in this acquirer's queue; another acquirer's, or an acknowledged one, is not found. */
  find(acquirer: string, subscribed: readonly EventType[], id: string): StoredEvent | undefined {
    const now = Date.now();
    return this.events.find((e) => e.id === id && e.visibleAt <= now && subscribed.includes(e.eventType) && !e.acknowledgedBy.has(acquirer));
  }

  acknowledge(acquirer: string, subscribed: readonly EventType[], id: string): boolean {
    const event = this.find(acquirer, subscribed, id);
    if (!event) return false;
    event.acknowledgedBy.add(acquirer);
    this.tally.acknowledged[event.eventType] = (this.tally.acknowledged[event.eventType] ?? 0) + 1;
    return true;
  }

  /** Death-notification records (API v2) accepted, with the CorrelationID each came with. */
  deathNotifications: { record: unknown; correlationId: string }[] = [];
}
