// The days facet: quarter-hour buckets (store/event-facets.ts) summed into calendar days of
// a time zone. The zone's offset is looked up once per offset period, not per bucket.
import { offsetPeriod, type OffsetPeriod } from './time-zone';

/** Days shown without `from`: the last this many that have events. */
export const FACET_DAYS_WITHOUT_FROM = 90;

export function bucketsToDays(
  buckets: { start: number; count: number }[],
  zone: string,
  options: { lastDays?: number; dropFirst?: boolean } = {},
): { day: string; count: number }[] {
  const days = new Map<string, number>();
  let period: OffsetPeriod | undefined;
  for (const { start, count } of [...buckets].sort((a, b) => a.start - b.start)) {
    if (!period || start < period.from || start >= period.until) period = offsetPeriod(start, zone);
    const day = new Date(start + period.offsetMs).toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + count);
  }
  const list = [...days].map(([day, count]) => ({ day, count })).slice(options.dropFirst ? 1 : 0);
  return options.lastDays === undefined ? list : list.slice(-options.lastDays);
}
