// This machine's clock against the token endpoint's: a laptop on local time with the wrong zone is
// an hour or more out, and then every token looks expired (or not yet valid) here, though the GDX
// services, which check on their own clocks, accept it.

/** What a token check allows for, as the real v1 service does (Spring's 60 s default). */
export const CLOCK_TOLERANCE_S = 60;

/** local minus remote, in ms, from a Date header (1 s resolution) read between `sentAt` and
 * `receivedAt`; undefined without a usable header. */
export function clockSkewMs(dateHeader: string | undefined, sentAt: number, receivedAt: number): number | undefined {
  if (!dateHeader) return undefined;
  const remote = Date.parse(dateHeader);
  if (Number.isNaN(remote)) return undefined;
  // The header is truncated to the second: its middle is half a second later.
  return Math.round((sentAt + receivedAt) / 2 - (remote + 500));
}

function amount(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.round(s / 60);
  if (m < 180) return `${m} minutes`;
  const h = Math.floor(m / 60);
  return `${h} hours ${m % 60} minutes`;
}

/** "your clock is 70 minutes ahead of the token endpoint". */
export function describeSkew(skewMs: number, of = 'the token endpoint'): string {
  return `your clock is ${amount(skewMs)} ${skewMs > 0 ? 'ahead of' : 'behind'} ${of}`;
}

/** True when the difference is more than the token checks allow for. */
export function beyondTolerance(skewMs: number | undefined): skewMs is number {
  return skewMs !== undefined && Math.abs(skewMs) > CLOCK_TOLERANCE_S * 1000;
}
