// Time arithmetic of queries: `from`/`to` bounds in an account's time zone, and retention.
import { addDays, startOfDay } from './time-zone';

/** `from`/`to` query values as instants: a bare date covers that whole day in `zone`. */
export function rangeBound(value: string, zone: string, edge: 'from' | 'to'): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return edge === 'from' ? startOfDay(value, zone) : startOfDay(addDays(value, 1), zone) - 1;
  }
  return Date.parse(value);
}

/** The oldest instant still inside an account's retention. */
export function retentionCutoff(now: number, retentionMonths: number): number {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - retentionMonths);
  return cutoff.getTime();
}
