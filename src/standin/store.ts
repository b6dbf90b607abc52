// The stand-in's events, as the v1 service keeps them: published by suppliers, stored by the
// asynchronous insert (unique data id), fanned out to the acquirers subscribed to the event type,
// acknowledged (soft-deleted) per acquirer. And the v2 records accepted, with what the pipeline
// did after the 201. Rules: see docs/fidelity.md.
import { createHash, randomUUID } from 'node:crypto';
import { londonWallClock } from './london-time.js';

/** enums/EventType.kt */
export const EVENT_TYPES = ['GRO_DEATH_NOTIFICATION', 'DEATH_NOTIFICATION', 'LIFE_EVENT', 'TEST_EVENT'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type EventData = Record<string, string | boolean | null>;

/** V1-SUPPLIER-EVENT-ID: supplier_event.data_id is a varchar(80)
 * (db/migration/V3__split_supplier_acquirer_events.sql). */
export const DATA_ID_MAX_LENGTH = 80;

/** enums/EventType.kt EventTypeEnrichmentFieldsRelationship: the fields each type can carry. */
export const ENRICHMENT_FIELDS: Readonly<Record<EventType, readonly string[]>> = {
  GRO_DEATH_NOTIFICATION: [
    'sourceId',
    'sex',
    'dateOfBirth',
    'dateOfDeath',
    'registrationId',
    'eventTime',
    'verificationLevel',
    'partialMonthOfDeath',
    'partialYearOfDeath',
    'forenames',
    'surname',
    'maidenSurname',
    'addressLine1',
    'addressLine2',
    'addressLine3',
    'addressLine4',
    'postcode',
  ],
  DEATH_NOTIFICATION: [
    'sourceId',
    'sex',
    'dateOfBirth',
    'registrationDate',
    'firstNames',
    'lastName',
    'dateOfDeath',
    'birthPlace',
    'deathPlace',
    'maidenName',
    'occupation',
    'retired',
    'address',
  ],
  LIFE_EVENT: ['sourceId'],
  TEST_EVENT: ['sourceId', 'eventTime'],
};

export interface StoredEvent {
  id: string;
  eventType: EventType;
  sourceId: string;
  /** When GDX received it, as the service stores it: Europe/London wall-clock, no zone
   * (yyyy-MM-ddTHH:mm:ss.SSSSSSSSS, so that text order is time order). V1-LONDON-TIME. */
  createdAt: string;
  eventTime: string | null;
  eventData: EventData;
  /** Acknowledgement is per acquirer: one acquirer's delete leaves the others' queues alone. */
  acknowledgedBy: Set<string>;
  /** V1-PUBLISH-ASYNC: the service fans events out asynchronously; until then no acquirer sees it. */
  visibleAt: number;
  /** V1-DATA-GONE: the record behind it is gone (LEV answered 404, the GRO record was removed):
   * reading it answers 404 with this NoDataFoundException message. */
  dataGone?: string;
}

/** A v2 record the API answered 201, and what the pipeline did after it (V2-ENRICHMENT). */
export type AcceptedDeathNotification = { record: unknown; correlationId: string } & ({ outcome: 'delivered' } | { outcome: 'dead-lettered'; reason: string });

export interface ListQuery {
  /** filter[eventType], a list; empty or absent: every type the acquirer is subscribed to. */
  eventTypes?: readonly string[];
  /** Exclusive, as the service's `created_at > :fromTime`; London wall-clock like createdAt. */
  fromTime?: string;
  /** Inclusive, as `created_at <= :toTime`. */
  toTime?: string;
}

const FIRST_NAMES = ['Mary Jane', 'Joan', 'Peter', 'Alex', 'Samuel', 'Priya', 'Olu'];
const LAST_NAMES = ['Smith', 'Adams', 'Jones', 'Patel', 'Okafor', 'Brown', 'Evans'];
// V1-GRO-SEX: DEATH_NOTIFICATION speaks enums/Sex.kt; GRO_DEATH_NOTIFICATION speaks enums/GroSex.kt (M, F).
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
      // V1-TEST-EVENT-DATA: services/TestEventEnrichmentService.kt
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
/** When the seeded events were received, London wall-clock: four winter mornings (London is on
 * UTC), then a summer one, 09:00 in London and 08:00 UTC, where a filter read as UTC would
 * differ (V1-LONDON-TIME). */
export const SEED_CREATED_AT: readonly string[] = [
  '2023-01-02T09:00:00',
  '2023-01-03T09:00:00',
  '2023-01-04T09:00:00',
  '2023-01-05T09:00:00',
  '2023-07-06T09:00:00',
];

/** A London wall-clock date-time in the one text form the store compares: nine fraction digits. */
export function normalisedLocalDateTime(text: string): string {
  const [date, time = '00:00'] = text.split('T');
  const [hm, fraction = ''] = time.split('.');
  const withSeconds = hm!.length === 5 ? `${hm}:00` : hm!;
  return `${date}T${withSeconds}.${fraction.padEnd(9, '0').slice(0, 9)}`;
}

export interface Tally {
  /** v1 events stored and fanned out, by type. */
  published: Record<string, number>;
  acknowledged: Record<string, number>;
  /** v1 events answered 201 and then lost: the id was used before, or is too long (V1-SUPPLIER-EVENT-ID). */
  dropped: Record<string, number>;
  /** v2 records the pipeline carried to the subscriber queues, and those it dead-lettered (each
   * would have paged the platform team). */
  delivered: number;
  deadLettered: number;
}

/** Told of what the real platform would do quietly after answering 201: the stand-in logs it. */
export interface StoreListener {
  dropped?: (eventType: EventType, reason: string) => void;
  deadLettered?: (accepted: AcceptedDeathNotification & { outcome: 'dead-lettered' }) => void;
}

export class EventStore {
  private readonly events: StoredEvent[] = [];
  /** supplier_event.data_id is unique across every supplier and event type, for good
   * (db/migration/V10__unique_data_id_supplier.sql). */
  private readonly dataIds = new Set<string>();
  /** What runs published, acknowledged, lost and dead-lettered: what tests read to prove a run
   * harmed nothing. */
  readonly tally: Tally = { published: {}, acknowledged: {}, dropped: {}, delivered: 0, deadLettered: 0 };
  /** Death-notification records (API v2) accepted, with the CorrelationID each came with and
   * what the pipeline did with them. */
  readonly deathNotifications: AcceptedDeathNotification[] = [];

  constructor(
    seed = true,
    private readonly listener: StoreListener = {},
  ) {
    if (!seed) return;
    for (let i = 0; i < SEED_EVENT_COUNT; i++) {
      const sourceId = String(123456780 + i);
      const eventType = SEED_TYPES[i]!;
      const eventData = i === 0 ? { ...syntheticEventData(eventType, sourceId), sex: 'M' } : syntheticEventData(eventType, sourceId);
      this.add({ id: seededUuid(i), eventType, sourceId, createdAt: normalisedLocalDateTime(SEED_CREATED_AT[i]!), eventTime: null, eventData });
    }
  }

  /** An event the platform itself put in the queues (the seed, the mock feeds): no tally. */
  add(event: Omit<StoredEvent, 'acknowledgedBy' | 'visibleAt'> & { visibleAt?: number }): void {
    this.dataIds.add(event.sourceId);
    this.events.push({ visibleAt: 0, ...event, acknowledgedBy: new Set() });
  }

  /** V1-PUBLISH, V1-SUPPLIER-EVENT-ID: what the asynchronous insert does with an accepted event.
   * `delayMs`: how long the fan-out takes before acquirers see it. Undefined: it was lost. */
  publish(eventType: EventType, sourceId: string, eventTime: string | null, delayMs = 0): StoredEvent | undefined {
    const lost =
      sourceId.length > DATA_ID_MAX_LENGTH
        ? `id of ${sourceId.length} characters does not fit supplier_event.data_id varchar(${DATA_ID_MAX_LENGTH})`
        : this.dataIds.has(sourceId)
          ? 'id already used (supplier_event.data_id is unique across every supplier, for good)'
          : undefined;
    if (lost) {
      // The insert fails, the message is dead-lettered after 4 tries, and no acquirer gets it.
      this.tally.dropped[eventType] = (this.tally.dropped[eventType] ?? 0) + 1;
      this.listener.dropped?.(eventType, lost);
      return undefined;
    }
    const event: StoredEvent = {
      id: randomUUID(),
      eventType,
      sourceId,
      createdAt: this.now(),
      eventTime,
      eventData: syntheticEventData(eventType, sourceId, eventTime),
      acknowledgedBy: new Set(),
      visibleAt: Date.now() + delayMs,
    };
    this.dataIds.add(sourceId);
    this.events.push(event);
    this.tally.published[eventType] = (this.tally.published[eventType] ?? 0) + 1;
    return event;
  }

  /** V1-LONDON-TIME: the service's clock is the system zone, TZ=Europe/London. Kept strictly
   * increasing, so that two events in one millisecond still list in the order they came. */
  now(): string {
    const wall = londonWallClock(Date.now());
    const last = this.events.at(-1)?.createdAt ?? '';
    return wall > last ? wall : `${last.slice(0, -6)}${String(Number(last.slice(-6)) + 1).padStart(6, '0')}`;
  }

  /** V2-ENRICHMENT: a record the API accepted, delivered to the subscriber queues or dead-lettered. */
  accept(accepted: AcceptedDeathNotification): void {
    this.deathNotifications.push(accepted);
    if (accepted.outcome === 'delivered') this.tally.delivered++;
    else {
      this.tally.deadLettered++;
      this.listener.deadLettered?.(accepted);
    }
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
        // V1-LIST-FROM-EXCLUSIVE (repositories/AcquirerEventRepository.kt): created_at > from, <= to.
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
}
