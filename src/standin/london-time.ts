// V1-LONDON-TIME: the v1 service runs with TZ=Europe/London (platform/Dockerfile) and
// config/ClockConfig.kt uses the system zone, so created_at and the list's time filters are London
// wall-clock date-times without a zone. The stand-in names the zone itself, so the machine's own
// time zone changes nothing.
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An instant as London wall-clock, yyyy-MM-ddTHH:mm:ss.SSSSSSSSS (nine fraction digits, so that
 * text order is time order). */
export function londonWallClock(epochMs: number): string {
  const part: Record<string, string> = {};
  for (const p of LONDON.formatToParts(new Date(epochMs))) part[p.type] = p.value;
  const ms = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0');
  return `${part['year']}-${part['month']}-${part['day']}T${part['hour']}:${part['minute']}:${part['second']}.${ms}000000`;
}
