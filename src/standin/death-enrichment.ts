// What the v2 pipeline does with a record after DeathValidation answered 201 (commit 2356973a):
// DeathEnrichment maps it with DeathNotificationSetMapper.java, then the set is published to the
// DeathDistributionTopic and its six subscriber queues (template.yaml). A record the mapper throws
// on is retried 5 times (DeathEnrichmentQueue maxReceiveCount), dead-lettered, and
// DeathEnrichmentDeadLetterQueueAlarm e-mails the platform team. Rule V2-ENRICHMENT.
//
// V2-DELIVERABLE-SCHEMA: src/schemas/death-notification-deliverable.json is the collections' stricter
// check; every record it refuses, this refuses too (test/contract-v2.test.ts proves it on cases).
// Written from the Java, reading the values as Jackson does (numbers from strings and floats,
// "" as null), so that it says what the real pipeline would do; the collections' stricter
// death-notification-deliverable schema is what a tester is warned with before sending.

/** template.yaml DeathDistributionTopic subscriptions: no filter policy on any of them. */
export const DEATH_SUBSCRIBER_QUEUES = ['DWP', 'DWP dev', 'DWP test', 'DWP stage', 'DWP old-format', 'other departments (OGD)'] as const;

type Json = Record<string, unknown>;

/** A Java Integer as Jackson reads it: integers, floats (truncated), digit strings; "" and null are null. */
function javaInteger(value: unknown): number | null {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'string' && /^[+-]?\d{1,9}$/.test(value)) return Number(value);
  return null;
}

/** GenderAtRegistration (@JsonValue int 1, 2, 9); READ_UNKNOWN_ENUM_VALUES_AS_NULL makes the rest null. */
function genderAtRegistration(value: unknown): 1 | 2 | 9 | null {
  const n = typeof value === 'number' || typeof value === 'string' ? Number(value) : NaN;
  return n === 1 || n === 2 || n === 9 ? n : null;
}

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/** Why DeathEnrichment would throw on a record that parsed, or undefined when it maps. */
export function enrichmentFailure(record: Json): string | undefined {
  // generateDeathRegistrationBaseEvent: an update (RecordUpdateDateTime) maps its reason.
  if (present(record['RecordUpdateDateTime'])) {
    const reason = javaInteger(record['RecordUpdateReason']);
    if (reason === null) return 'RecordUpdateDateTime without RecordUpdateReason: fromGroRegistrationType(null) throws a NullPointerException';
    if (reason < 1 || reason > 5) return `RecordUpdateReason ${reason} is not 1 to 5: fromGroRegistrationType throws IllegalArgumentException`;
  }
  // UrnFactory.generateGroDeathUrn(int recordId): a null Integer cannot be unboxed.
  if (javaInteger(record['RegistrationID']) === null) return 'no RegistrationID: generateGroDeathUrn(int) throws a NullPointerException';
  // generateNames -> generateName(groName, null) dereferences the name.
  const name = record['DeceasedName'];
  if (name === null || typeof name !== 'object') return 'no DeceasedName: generateName throws a NullPointerException';
  const aliases = record['DeceasedAliasName'];
  if (Array.isArray(aliases) && aliases.length > 0) {
    if (!Array.isArray(record['DeceasedAliasNameType']))
      return 'DeceasedAliasName without DeceasedAliasNameType: getAliasNameTypeOrNull throws a NullPointerException';
    if (aliases.some((a) => a === null || typeof a !== 'object')) return 'a null DeceasedAliasName entry: generateName throws a NullPointerException';
  }
  // generateDeathRegistrationSubject -> Sex.fromGro(deceasedGender).
  if (genderAtRegistration(record['DeceasedGender']) === null) return 'DeceasedGender is not 1, 2 or 9: Sex.fromGro(null) throws a NullPointerException';
  return undefined;
}
