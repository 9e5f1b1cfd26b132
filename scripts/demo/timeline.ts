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

/**
 * `count` strictly increasing instants (whole seconds) inside [from, to]: the k-th change
 * falls at the k-th quantile of the office hours, each day weighted, so the count is exact
 * and the order is given; inside a day the quantiles crowd towards midday.
 */
export function workingHourInstants(random: Random, { from, to, count, timeZone, rolloutWorkdays }: TimelineOptions): number[] {
  if (!(to > from)) throw new Error('the timeline needs to > from');
  const days: { start: number; end: number; weight: number }[] = [];
  let workdays = 0;
  for (let date = localDate(from, timeZone); ; date = addDays(date, 1)) {
    const open = wallTimeInstant(date, OFFICE_START_MINUTES, timeZone);
    const close = wallTimeInstant(date, OFFICE_END_MINUTES, timeZone);
    if (open > to) break;
    const [start, end] = [Math.max(open, from), Math.min(close, to)];
    if (end <= start) continue;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    let weight = WEEKDAY_WEIGHT[weekday]! * (0.6 + 0.8 * random.next()) * (QUIET_DATES.has(date.slice(5)) ? 0.05 : 1);
    if (weekday >= 1 && weekday <= 5 && workdays++ < rolloutWorkdays) weight *= ROLLOUT_FACTOR;
    // A day cut by the window's edges gets its share of the office hours.
    days.push({ start, end, weight: (weight * (end - start)) / (close - open) });
  }
  const total = days.reduce((sum, day) => sum + day.weight, 0);
  // No office hours in the window at all: spread evenly instead.
  if (total === 0) return Array.from({ length: count }, (_, k) => Math.floor((from + ((k + 0.5) / count) * (to - from)) / 1000) * 1000);

  const instants: number[] = [];
  let day = 0;
  let before = 0; // weight of the days before `day`
  for (let k = 0; k < count; k++) {
    const target = ((k + 0.1 + 0.8 * random.next()) / count) * total;
    while (before + days[day]!.weight < target && day < days.length - 1) before += days[day++]!.weight;
    const { start, end, weight } = days[day]!;
    const f = Math.min(1, (target - before) / weight);
    // Monotonic, slowest at midday: more changes then than at opening and closing time.
    const position = f + (0.5 * Math.sin(2 * Math.PI * f)) / (2 * Math.PI);
    const second = Math.floor((start + position * (end - start)) / 1000) * 1000;
    instants.push(Math.max(second, (instants.at(-1) ?? -Infinity) + 1000, Math.ceil(from / 1000) * 1000));
  }
  // Pushing forward can run past `to` at the very end: pull the tail back.
  for (let i = count - 1, ceiling = Math.floor(to / 1000) * 1000; i >= 0 && instants[i]! > ceiling; i--, ceiling -= 1000)
    instants[i] = ceiling;
  return instants;
}
