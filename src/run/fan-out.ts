// The fan-out is asynchronous and takes seconds on the real service: an acquirer that finds no
// test event although this run published one waits for it, bounded and saying so, as the
// platform's own post-deploy hook does (hook.py waits 20 s, then lists up to 5 times, 5 s apart:
// at most 45 s). The runner tries at once, then every 5 s within the same 45 s.
export const FAN_OUT_WAIT = { everyMs: 5_000, totalMs: 45_000 } as const;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const isAborted = (signal: AbortSignal): boolean => signal.aborted;

/** Tries again every FAN_OUT_WAIT.everyMs while `pending()` says so, for at most totalMs. */
export async function waitForFanOut(pending: () => boolean, tryAgain: () => Promise<void>, say: (line: string) => void, signal: AbortSignal): Promise<void> {
  for (let waited = 0; pending() && waited < FAN_OUT_WAIT.totalMs && !signal.aborted; waited += FAN_OUT_WAIT.everyMs) {
    say(
      `  waiting ${FAN_OUT_WAIT.everyMs / 1000} s for the published test event to reach the queue (fan-out is asynchronous; ` +
        `${(waited + FAN_OUT_WAIT.everyMs) / 1000} of at most ${FAN_OUT_WAIT.totalMs / 1000} s, as the platform's own check waits)`,
    );
    await pause(FAN_OUT_WAIT.everyMs, signal);
    // The signal may have fired during the pause.
    if (isAborted(signal)) return;
    await tryAgain();
  }
}
