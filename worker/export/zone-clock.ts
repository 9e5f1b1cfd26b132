// Wall-clock time in one IANA time zone, for the Date column of every exported row. The
// zone's rules come from worker/domain/time-zone.ts; an offset lookup there costs ~15 µs,
// which adds up over 100,000 rows, so the clock keeps the current offset period (from one
// transition to the next, months in a DST zone) and asks again only for an instant outside
// it (docs/BENCHMARKS.md, "Time zones: the export's offset cache").
import { offsetPeriod, timeZoneName, type OffsetPeriod } from '../domain/time-zone';

const DAY_MS = 86_400_000;
/** Days from Excel's epoch (1899-12-30, which absorbs its 1900 leap-year bug) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

export interface ZoneClock {
  /** The zone's canonical name ("europe/berlin" is given back as "Europe/Berlin"). */
  readonly zone: string;
  offsetMs(at: number): number;
  /** RFC 3339 with the zone's offset: 2026-03-29T03:30:00+02:00 (milliseconds only when set). */
  iso(at: number): string;
  /** An Excel date serial of the wall time, to the whole second (what the date format shows). */
  excelSerial(at: number): number;
}

/** Answers undefined for a name the runtime's tz database does not know. */
export function zoneClock(name: string): ZoneClock | undefined {
  const zone = timeZoneName(name);
  if (zone === undefined) return undefined;

  let period: OffsetPeriod | undefined;
  const offsetMs = (at: number) => {
    if (period === undefined || at < period.from || at >= period.until) period = offsetPeriod(at, zone);
    return period.offsetMs;
  };

  return {
    zone,
    offsetMs,
    iso(at) {
      const offset = offsetMs(at);
      const wall = new Date(at + offset).toISOString(); // 2026-03-29T03:30:00.000Z
      const millis = at % 1000 === 0 ? '' : wall.slice(19, 23);
      return wall.slice(0, 19) + millis + offsetText(offset);
    },
    excelSerial(at) {
      const wallSeconds = Math.floor((at + offsetMs(at)) / 1000) * 1000;
      return wallSeconds / DAY_MS + EXCEL_EPOCH_DAYS;
    },
  };
}

/** Always ±hh:mm, "+00:00" too: a column of dates reads the same in every row. */
function offsetText(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
