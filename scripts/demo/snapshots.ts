// Snapshots in the shapes LivePerson's Account Config APIs return, so the Worker derives
// the same rows it would from the real platform.
import type { WeeklyHours } from './account-config';
import type { Snapshot } from './types';

/** "2025-06-11 09:14:22": the platform's date format in config objects (UTC). */
export function configDate(instant: number): string {
  return new Date(instant).toISOString().slice(0, 19).replace('T', ' ');
}

/** A weekly opening-hours event (shift scheduling API). The date part only anchors the weekday. */
export function weeklyEvent(hours: WeeklyHours): Snapshot {
  return {
    start: { dateTime: `2024-01-01T${hours.start}:00` },
    end: { dateTime: `2024-01-01T${hours.end}:00` },
    recurrence: [`RRULE:FREQ=WEEKLY;BYDAY=${hours.days}`],
  };
}

/** A one-off closure or special opening (a "special occasion"). */
export function specialOccasion(summary: string, day: string, open?: { start: string; end: string }): Snapshot {
  return open
    ? { summary, start: { dateTime: `${day}T${open.start}:00` }, end: { dateTime: `${day}T${open.end}:00` } }
    : { summary, start: { date: day }, end: { date: day }, closed: true };
}

/** A campaign schedule time frame. */
export function timeFrame(hours: WeeklyHours): Snapshot {
  return { type: 'weekly', days: hours.days, startTime: hours.start, endTime: hours.end };
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Equal as JSON, ignoring fields the platform updates on every save. */
export function sameConfig(a: Snapshot, b: Snapshot): boolean {
  const strip = ({ dateUpdated: _u, revision: _r, ...rest }: Snapshot) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** `list` with `item` added once, or removed. */
export function withItem<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? [...list] : [...list, item];
}
export function withoutItem<T>(list: readonly T[], item: T): T[] {
  return list.filter((x) => x !== item);
}
