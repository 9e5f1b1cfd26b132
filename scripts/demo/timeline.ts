// When the demo account's admins work: weekdays in office hours (account time zone), busier
// on Mondays and during the first weeks of the rollout, quiet on weekends and holidays.
import { addDays, localDate, wallTimeInstant } from '../../worker/domain/time-zone';
import type { Random } from './random';

export interface TimelineOptions {
  from: number;
  to: number;
  count: number;
  timeZone: string;
  /** Leading workdays that are busier: the account is being set up. */
  rolloutWorkdays: number;
}

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
    const weekday = new Date(`${day.date}T00:00:00Z`).getUTCDay();
    const isWorkday = weekday >= 1 && weekday <= 5;
    let weight = WEEKDAY_WEIGHT[weekday]! * (0.6 + 0.8 * random.next());
    if (QUIET_DATES.has(day.date.slice(5))) weight *= 0.05;
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
  /** YYYY-MM-DD, local. */
  date: string;
  start: number;
  end: number;
  fullLength: number;
}

/** Every local calendar day touching [from, to], with its office hours clipped to the window. */
function officeDays(from: number, to: number, timeZone: string): OfficeDay[] {
  const days: OfficeDay[] = [];
  for (let date = localDate(from, timeZone); ; date = addDays(date, 1)) {
    const open = wallTimeInstant(date, OFFICE_START_MINUTES, timeZone);
    const close = wallTimeInstant(date, OFFICE_END_MINUTES, timeZone);
    if (open > to) break;
    const start = Math.max(open, from);
    const end = Math.min(close, to);
    if (end > start) days.push({ date, start, end, fullLength: close - open });
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
