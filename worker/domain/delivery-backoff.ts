// When a failed delivery is tried again: 5 s, 30 s, 2 min, 10 min, 1 h, then hourly. After a
// day of failures in a row the destination is "failing": still retried hourly (it catches up
// by itself once the receiver answers), and shown as such until a delivery succeeds.

export const RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 3600] as const;
export const FAILING_AFTER_MS = 24 * 3600_000;

/** Seconds to wait after the `failures`-th failed attempt in a row (1 for the first). */
export function retryDelaySeconds(failures: number): number {
  return RETRY_DELAYS_SECONDS[Math.min(Math.max(failures, 1), RETRY_DELAYS_SECONDS.length) - 1]!;
}

/** Whether failures since `failingSince` have gone on long enough to call the destination failing. */
export const isFailing = (failingSince: number, now: number) => now - failingSince >= FAILING_AFTER_MS;
