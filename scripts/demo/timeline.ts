// When the demo account's admins work: weekdays in office hours (account time zone), busier
// on Mondays and during the first weeks of the rollout, quiet on weekends and holidays.
import type { Random } from './random';

export interface TimelineOptions {
  from: number;
  to: number;
  count: number;
  timeZone: string;
  /** Leading workdays that are busier: the account is being set up. */
  rolloutWorkdays: number;
}

const DAY_MS = 86_400_000;
// Sunday first, as Date#getUTCDay counts.
const WEEKDAY_WEIGHT = [0.03, 1.25, 1.05, 1, 1, 0.8, 0.1];
const QUIET_DATES = new Set(['12-24', '12-25', '12-26', '12-31', '01-01']);
const ROLLOUT_FACTOR = 3.5;
const OFFICE_START_MINUTES = 7 * 60 + 30;
const OFFICE_END_MINUTES = 19 * 60;

/** `count` strictly increasing instants (whole seconds) inside [from, to]. */
export function workingHourInstants(random: Random, options: TimelineOptions): number[] {
  const { from, to, count, timeZone } = options;
  if (!(to > from)) throw new Error('the timeline needs to > from');
  const days = officeDays(from, to, timeZone);
  let workdaysSeen = 0;
  const weights = days.map((day) => {
    const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
    const isWorkday = weekday >= 1 && weekday <= 5;
    let weight = WEEKDAY_WEIGHT[weekday]! * (0.6 + 0.8 * random.next());
    if (QUIET_DATES.has(`${pad(day.month)}-${pad(day.day)}`)) weight *= 0.05;
    if (isWorkday && workdaysSeen++ < options.rolloutWorkdays) weight *= ROLLOUT_FACTOR;
    // A day cut by the window's edges gets its share of the office hours.
    return weight * ((day.end - day.start) / day.fullLength);
  });
  const counts = apportion(count, weights);

  const instants: number[] = [];
  days.forEach((day, i) => {
    for (let n = 0; n < counts[i]!; n++) {
      // Two uniforms make a hump around midday instead of a flat spread.
      const position = (random.next() + random.next()) / 2;
      instants.push(day.start + position * (day.end - day.start));
    }
  });
  if (instants.length < count) {
    // No office hours in the window at all: spread evenly instead.
    for (let n = instants.length; n < count; n++) instants.push(from + ((n + 0.5) / count) * (to - from));
  }
  return strictlyIncreasingSeconds(instants.sort((a, b) => a - b), from, to);
}

interface OfficeDay {
  year: number;
  month: number;
  day: number;
  start: number;
  end: number;
  fullLength: number;
}

/** Every local calendar day touching [from, to], with its office hours clipped to the window. */
function officeDays(from: number, to: number, timeZone: string): OfficeDay[] {
  const days: OfficeDay[] = [];
  const first = localParts(from, timeZone);
  for (let date = Date.UTC(first.year, first.month - 1, first.day); ; date += DAY_MS) {
    const d = new Date(date);
    const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    const open = zonedInstant(year, month, day, OFFICE_START_MINUTES, timeZone);
    const close = zonedInstant(year, month, day, OFFICE_END_MINUTES, timeZone);
    if (open > to) break;
    const start = Math.max(open, from);
    const end = Math.min(close, to);
    if (end > start) days.push({ year, month, day, start, end, fullLength: close - open });
  }
  return days;
}

/** Splits `total` into integers proportional to `weights` (largest remainders). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, i) => [value - Math.floor(value), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

/** Rounds to seconds and makes every instant at least a second after the previous one. */
function strictlyIncreasingSeconds(sorted: number[], from: number, to: number): number[] {
  const result = sorted.map((t) => Math.floor(t / 1000) * 1000);
  for (let i = 0; i < result.length; i++) {
    const floor = i === 0 ? Math.ceil(from / 1000) * 1000 : result[i - 1]! + 1000;
    result[i] = Math.max(result[i]!, floor);
  }
  // Pushing forward can run past `to` at the very end: pull the tail back.
  for (let i = result.length - 1; i >= 0; i--) {
    const ceiling = i === result.length - 1 ? Math.floor(to / 1000) * 1000 : result[i + 1]! - 1000;
    result[i] = Math.min(result[i]!, ceiling);
  }
  return result;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(instant: number, timeZone: string) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant of a local wall-clock time (minutes after midnight) in `timeZone`. */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const guess = wall - offsetAt(wall, timeZone);
  // Around a DST switch the offset at the guess can differ from the offset at `wall`.
  return wall - offsetAt(guess, timeZone);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
