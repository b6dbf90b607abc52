// The stand-in's decisions that need no server: what the v2 pipeline does after the 201, London
// wall-clock time, and what the v1 store does with a reused or over-long id.
import { describe, expect, it } from 'vitest';
import { enrichmentFailure } from '../../../src/standin/death-enrichment.js';
import { londonWallClock } from '../../../src/standin/london-time.js';
import { EventStore, normalisedLocalDateTime } from '../../../src/standin/store.js';

const RECORD = { RegistrationID: 1, RecordLockedDateTime: '2023-08-01T14:55:00', DeceasedName: { PersonFamilyName: 'Adams' }, DeceasedGender: 2 };

describe('enrichment (DeathNotificationSetMapper.java)', () => {
  it('maps a new registration, and an update with its reason, with numbers read as Jackson reads them', () => {
    expect(enrichmentFailure(RECORD)).toBeUndefined();
    expect(enrichmentFailure({ ...RECORD, RecordUpdateDateTime: '2023-08-01T15:00:00', RecordUpdateReason: '5' })).toBeUndefined();
    expect(enrichmentFailure({ ...RECORD, RegistrationID: 7.9, DeceasedGender: '9' })).toBeUndefined();
  });

  it('names what would throw', () => {
    expect(enrichmentFailure({ ...RECORD, RecordUpdateDateTime: '2023-08-01T15:00:00' })).toBe(
      'RecordUpdateDateTime without RecordUpdateReason: fromGroRegistrationType(null) throws a NullPointerException',
    );
    expect(enrichmentFailure({ ...RECORD, RecordUpdateDateTime: '2023-08-01T15:00:00', RecordUpdateReason: 0 })).toBe(
      'RecordUpdateReason 0 is not 1 to 5: fromGroRegistrationType throws IllegalArgumentException',
    );
    expect(enrichmentFailure({ ...RECORD, RegistrationID: '' })).toBe('no RegistrationID: generateGroDeathUrn(int) throws a NullPointerException');
    expect(enrichmentFailure({ ...RECORD, DeceasedName: null })).toBe('no DeceasedName: generateName throws a NullPointerException');
    expect(enrichmentFailure({ ...RECORD, DeceasedGender: 3 })).toBe('DeceasedGender is not 1, 2 or 9: Sex.fromGro(null) throws a NullPointerException');
    expect(enrichmentFailure({ ...RECORD, DeceasedAliasName: [{}] })).toBe(
      'DeceasedAliasName without DeceasedAliasNameType: getAliasNameTypeOrNull throws a NullPointerException',
    );
  });
});

describe('London wall-clock time', () => {
  it('is UTC in winter and an hour ahead in summer, whatever the machine zone', () => {
    expect(londonWallClock(Date.UTC(2023, 0, 5, 9, 0, 0, 123))).toBe('2023-01-05T09:00:00.123000000');
    expect(londonWallClock(Date.UTC(2023, 6, 6, 8, 0, 0))).toBe('2023-07-06T09:00:00.000000000');
  });

  it('filter texts compare in the same form', () => {
    expect(normalisedLocalDateTime('2023-07-06T08:30')).toBe('2023-07-06T08:30:00.000000000');
    expect(normalisedLocalDateTime('2023-07-06T08:30:01.5')).toBe('2023-07-06T08:30:01.500000000');
  });
});

describe('the v1 store (V1-SUPPLIER-EVENT-ID)', () => {
  it('drops an id used before (a seeded one included) or over 80 characters, and tells its listener', () => {
    const dropped: string[] = [];
    const store = new EventStore(true, { dropped: (type, reason) => dropped.push(`${type}: ${reason}`) });
    expect(store.publish('TEST_EVENT', 'fresh', null)).toBeDefined();
    expect(store.publish('TEST_EVENT', 'fresh', null)).toBeUndefined();
    expect(store.publish('TEST_EVENT', '123456780', null)).toBeUndefined();
    expect(store.publish('TEST_EVENT', 'x'.repeat(81), null)).toBeUndefined();
    expect(store.publish('TEST_EVENT', 'y'.repeat(80), null)).toBeDefined();
    expect(store.tally.published).toEqual({ TEST_EVENT: 2 });
    expect(store.tally.dropped).toEqual({ TEST_EVENT: 3 });
    expect(dropped).toEqual([
      'TEST_EVENT: id already used (supplier_event.data_id is unique across every supplier, for good)',
      'TEST_EVENT: id already used (supplier_event.data_id is unique across every supplier, for good)',
      'TEST_EVENT: id of 81 characters does not fit supplier_event.data_id varchar(80)',
    ]);
  });
});
