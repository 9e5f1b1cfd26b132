// Time arithmetic that depends on an account's time zone or retention.

/** Milliseconds that `zone` is ahead of UTC at the instant `at`. */
function zoneOffsetMs(at: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day starts in `zone` (month 1-12; a day past the month's end
 *  rolls over, so day + 1 is the next day). */
export function startOfDay(year: number, month: number, day: number, zone: string): number {
  const wallMidnight = Date.UTC(year, month - 1, day);
  // Two passes settle days on which the offset itself changes (DST).
  let guess = wallMidnight - zoneOffsetMs(wallMidnight, zone);
  guess = wallMidnight - zoneOffsetMs(guess, zone);
  return guess;
}

/** `from`/`to` query values as instants: a bare date covers that whole day in `zone`. */
export function rangeBound(value: string, zone: string, edge: 'from' | 'to'): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (date) {
    const [year, month, day] = date.slice(1).map(Number) as [number, number, number];
    return edge === 'from' ? startOfDay(year, month, day, zone) : startOfDay(year, month, day + 1, zone) - 1;
  }
  return Date.parse(value);
}

/** The oldest instant still inside an account's retention. */
export function retentionCutoff(now: number, retentionMonths: number): number {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - retentionMonths);
  return cutoff.getTime();
}
