// Everything that depends on a time zone's rules, in one place, on Temporal (a polyfill: no
// runtime ships Temporal yet). Its rules are exact where hand-made offset arithmetic slips:
// a day whose midnight does not exist (America/Santiago, America/Havana) starts at the
// transition, a wall time in a gap moves past it, one that occurs twice is the earlier.
// Dates are calendar dates as `YYYY-MM-DD` text; instants are epoch milliseconds.
import { Temporal } from 'temporal-polyfill';

/** The zone's spelling as its tz database writes it ("europe/berlin" → "Europe/Berlin"; a
 *  legacy alias stays itself), or undefined for anything that is not an IANA name the runtime
 *  knows. Temporal would also take "+05:00" or a whole date string: those are refused. */
export function timeZoneName(zone: string): string | undefined {
  if (/^[+-]/.test(zone)) return undefined;
  let id: string;
  try {
    id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone).timeZoneId;
  } catch {
    return undefined;
  }
  return id.toLowerCase() === zone.toLowerCase() ? id : undefined;
}

/** Milliseconds that `zone` is ahead of UTC at the instant `at`. */
export function offsetMs(at: number, zone: string): number {
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6;
}

/** A stretch of time in which a zone keeps one offset: `from` ≤ instant < `until`
 *  (±Infinity where the tz database knows no transition before or after). */
export interface OffsetPeriod {
  offsetMs: number;
  from: number;
  until: number;
}

/** The offset at `at` and how long it holds, from the zone's transitions either side. */
export function offsetPeriod(at: number, zone: string): OffsetPeriod {
  const zoned = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(zone);
  // 'previous' is strictly before its instant: ask from 1 ns later, so a transition at
  // exactly `at` starts the period rather than ending the one before.
  const previous = zoned.add({ nanoseconds: 1 }).getTimeZoneTransition('previous');
  const next = zoned.getTimeZoneTransition('next');
  return {
    offsetMs: zoned.offsetNanoseconds / 1e6,
    from: previous?.epochMilliseconds ?? -Infinity,
    until: next?.epochMilliseconds ?? Infinity,
  };
}

/** The first instant of a local calendar day; 01:00 where midnight is skipped. */
export function startOfDay(date: string, zone: string): number {
  return Temporal.PlainDate.from(date).toZonedDateTime(zone).epochMilliseconds;
}

/** The instant of a wall-clock time, `minutes` after the day's midnight. */
export function wallTimeInstant(date: string, minutes: number, zone: string): number {
  const wall = Temporal.PlainDate.from(date).toPlainDateTime().add({ minutes });
  return wall.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds;
}

/** The instant of a wall-clock date and time without offset (`2026-11-26T09:15:00`) in `zone`;
 *  undefined when it is not one. A time in a gap moves past it, one that occurs twice is the earlier. */
export function wallClockInstant(dateTime: string, zone: string): number | undefined {
  try {
    return Temporal.PlainDateTime.from(dateTime, { overflow: 'reject' }).toZonedDateTime(zone, { disambiguation: 'compatible' })
      .epochMilliseconds;
  } catch {
    return undefined;
  }
}

/** The local calendar day an instant falls on. */
export function localDate(at: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/** The calendar day `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}
