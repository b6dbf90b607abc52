// V1-REALISTIC-QUEUE: dev and demo are fed all the time by the platform itself, so an acquirer's
// queue is long, moving and untidy. The mock LEN job publishes 5 DEATH_NOTIFICATIONs a minute with
// numeric ids and random nulls in names, sex and dates (terraform/dev|demo/main.tf rate(1 minute),
// modules/len/lambdas/len.py); GRO ingestion adds about 25 GRO_DEATH_NOTIFICATIONs an hour with
// empty-string fields and hash ids (insertXml.ts); and some events' records are gone, so reading
// them answers 404 "Not Found" (NoDataFoundException). Synthetic data only, from a seeded
// generator, so that a queue is the same every time for the same seed.
import { createHash, randomUUID } from 'node:crypto';
import { londonWallClock } from './london-time.js';
import type { EventData, EventStore, EventType } from './store.js';

export interface RealisticQueueOptions {
  /** How many events the queue starts with (dev has thousands). */
  size: number;
  /** Seed of the generator: the same seed gives the same queue. */
  seed?: number;
  /** Every how many milliseconds the mock feeds publish (the real LEN job: every minute); 0: no feed. */
  feedIntervalMs?: number;
}

/** One event in this many has lost its record behind it; the oldest one always has. */
const DATA_GONE_EVERY = 40;
/** Mock LEN: 5 death notifications a tick; GRO: 5 every 12 ticks (about 25 an hour). */
const LEN_PER_TICK = 5;
const GRO_EVERY_TICKS = 12;

/** mulberry32: small, fast and good enough to pick among options. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pick = <T>(options: readonly T[]) => T;

/** len.py's options, nulls included, for the fields it fills; the rest of its record is null. */
function lenDeathNotification(pick: Pick): EventData {
  return {
    registrationDate: null,
    firstNames: pick(['Tester', null]),
    lastName: pick(['SMITH', null]),
    maidenName: null,
    sex: pick(['Male', 'Female', 'Indeterminate', null]),
    dateOfDeath: pick(['2012-02-29', null]),
    dateOfBirth: pick(['1912-02-29', null]),
    birthPlace: null,
    deathPlace: null,
    occupation: null,
    retired: null,
    address: pick(['10 Test Street', null]),
  };
}

/** A GRO record as insertXml.ts writes it: absent XML elements become empty strings. */
function groDeathNotification(pick: Pick, registrationId: string): EventData {
  return {
    registrationId,
    eventTime: pick(['2023-03-01', '']),
    verificationLevel: pick(['1', '']),
    dateOfDeath: pick(['2023-02-27', '']),
    partialMonthOfDeath: '',
    partialYearOfDeath: '',
    forenames: pick(['JOAN', 'PETER', '']),
    surname: pick(['ADAMS', 'SMITH']),
    maidenSurname: '',
    sex: pick(['M', 'F']),
    dateOfBirth: pick(['1940-05-01', '']),
    addressLine1: pick(['1 TEST STREET', '']),
    addressLine2: '',
    addressLine3: '',
    addressLine4: '',
    postcode: pick(['AA1 1AA', '']),
  };
}

export interface Feeds {
  stop(): void;
}

/** Fills the store with a realistic queue and, with an interval, keeps feeding it. */
export function feedRealisticQueue(store: EventStore, options: RealisticQueueOptions): Feeds {
  const random = generator(options.seed ?? 1);
  const pick: Pick = (list) => list[Math.floor(random() * list.length)]!;
  let lenId = 5_000_000;
  let count = 0;
  /** A LEN death notification has a numeric id and LEV's message when gone; a GRO one a hash id. */
  const make = (eventType: EventType): { sourceId: string; eventData: EventData; goneMessage: string } => {
    if (eventType === 'DEATH_NOTIFICATION') {
      const sourceId = String(lenId++);
      return { sourceId, eventData: lenDeathNotification(pick), goneMessage: sourceId };
    }
    const sourceId = createHash('sha256').update(`gro-${count}-${random()}`).digest('hex').slice(0, 40);
    return { sourceId, eventData: groDeathNotification(pick, sourceId), goneMessage: `No data found to enrich ID ${sourceId}` };
  };
  const add = (eventType: EventType, createdAtMs: number): void => {
    const gone = count % DATA_GONE_EVERY === 0;
    count++;
    const { sourceId, eventData, goneMessage } = make(eventType);
    store.add({
      id: randomUUID(),
      eventType,
      sourceId,
      createdAt: londonWallClock(createdAtMs),
      eventTime: null,
      eventData,
      ...(gone ? { dataGone: goneMessage } : {}),
    });
  };
  // Backdated at the real feeds' pace: 5 a minute, one GRO event in every 13.
  const start = Date.now() - options.size * 12_000;
  for (let i = 0; i < options.size; i++) add(i % 13 === 12 ? 'GRO_DEATH_NOTIFICATION' : 'DEATH_NOTIFICATION', start + i * 12_000);
  let tick = 0;
  const timer = options.feedIntervalMs
    ? setInterval(() => {
        tick++;
        for (let i = 0; i < LEN_PER_TICK; i++) add('DEATH_NOTIFICATION', Date.now());
        if (tick % GRO_EVERY_TICKS === 0) for (let i = 0; i < LEN_PER_TICK; i++) add('GRO_DEATH_NOTIFICATION', Date.now());
      }, options.feedIntervalMs)
    : undefined;
  timer?.unref();
  return { stop: () => clearInterval(timer) };
}
