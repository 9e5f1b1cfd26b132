// Time zones the way the export uses them: whole days in the zone asked (default US/Eastern),
// instants rendered as local wall time without an offset. Real zone rules (Temporal, Intl),
// never fixed offsets: US/Eastern is −05:00 or −04:00 depending on the day.
import { Temporal } from 'temporal-polyfill';

export const DEFAULT_TIMEZONE = 'US/Eastern';

export class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** Throws BadParameter for a zone Intl does not know. */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new BadParameter('timezone', `unknown time zone "${timeZone}"`);
  }
  return timeZone;
}

export function parseDay(value: string | null, parameter: string): Temporal.PlainDate {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new BadParameter(parameter, `${parameter} must be a date yyyy-MM-dd`);
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    throw new BadParameter(parameter, `${parameter} "${value}" is not a calendar date`);
  }
}

/** [start, end) in epoch ms of the whole days from..to (inclusive) in the zone. */
export function dayWindow(from: Temporal.PlainDate, to: Temporal.PlainDate, timeZone: string): { start: number; end: number } {
  return {
    start: from.toZonedDateTime({ timeZone }).epochMilliseconds,
    end: to.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds,
  };
}

/** `yyyy-MM-dd HH:mm:ss` wall time in the zone. Intl gives the zone's offset once per quarter
 *  hour (zone transitions fall on quarter hours), so streaming 250,000 rows stays fast. */
export function wallTimeFormatter(timeZone: string): (epochMs: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const QUARTER = 15 * 60_000;
  const offsets = new Map<number, number>();
  const offsetAt = (epochMs: number): number => {
    const bucket = Math.floor(epochMs / QUARTER);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * QUARTER;
      const parts: Record<string, string> = {};
      for (const part of format.formatToParts(at)) parts[part.type] = part.value;
      offset = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - at;
      if (offsets.size > 100_000) offsets.clear();
      offsets.set(bucket, offset);
    }
    return offset;
  };
  return (epochMs) => new Date(Math.floor(epochMs / 1000) * 1000 + offsetAt(epochMs)).toISOString().slice(0, 19).replace('T', ' ');
}
