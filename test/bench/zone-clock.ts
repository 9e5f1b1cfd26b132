// npx tsx test/bench/zone-clock.ts: does the export's offset cache (zone-clock.ts) still pay
// for itself on Temporal, and which one? Times the Date column's offset lookups (newest
// first, as the export reads rows) with the clock's cache of the current offset period,
// with the per-hour cache it had before (rebuilt here), and with none, in Node. Prints a
// Markdown table; docs/BENCHMARKS.md ("Time zones: the export's offset cache") quotes it.
import { offsetMs } from '../../worker/domain/time-zone';
import { zoneClock } from '../../worker/export/zone-clock';

const ZONE = 'Europe/Berlin';
const RUNS = 7;
const NEWEST = Date.parse('2026-11-26T09:00:00Z');
const DAY = 86_400_000;

/** `rows` instants spread evenly over `days`, newest first, at whole seconds. */
function rows(count: number, days: number): number[] {
  const step = (days * DAY) / count;
  return Array.from({ length: count }, (_, i) => Math.floor((NEWEST - i * step) / 1000) * 1000);
}

const CASES = [
  { name: '100,000 rows in 7 days (one per 6 s)', instants: rows(100_000, 7) },
  { name: '100,000 rows over 13 months (one per 5.7 min)', instants: rows(100_000, 395) },
  { name: '5,000 rows over 13 months (one per 1.9 h: the hour cache misses every row)', instants: rows(5_000, 395) },
];

const HOUR = 3_600_000;

/** The former cache: one offset per UTC hour, trusted when both ends of the hour agree. */
function hourCache() {
  let cachedHour = NaN;
  let cached: number | undefined;
  return (at: number) => {
    const hour = Math.floor(at / HOUR);
    if (hour !== cachedHour) {
      cachedHour = hour;
      const start = offsetMs(hour * HOUR, ZONE);
      cached = start === offsetMs(hour * HOUR + HOUR - 1000, ZONE) ? start : undefined;
    }
    return cached ?? offsetMs(at, ZONE);
  };
}

const WAYS: Record<string, (instants: number[]) => number> = {
  // A fresh clock per run, as each export makes its own.
  'offset period (zone-clock.ts)': (instants) => {
    const clock = zoneClock(ZONE)!;
    let sum = 0;
    for (const at of instants) sum += clock.offsetMs(at);
    return sum;
  },
  'per UTC hour (before)': (instants) => {
    const offset = hourCache();
    let sum = 0;
    for (const at of instants) sum += offset(at);
    return sum;
  },
  'no cache': (instants) => {
    let sum = 0;
    for (const at of instants) sum += offsetMs(at, ZONE);
    return sum;
  },
  'offset period, whole CSV date text': (instants) => {
    const clock = zoneClock(ZONE)!;
    let length = 0;
    for (const at of instants) length += clock.iso(at).length;
    return length;
  },
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

console.log(`| ${ZONE}, Node ${process.version} | ${Object.keys(WAYS).join(' | ')} |`);
console.log(
  `|---|${Object.keys(WAYS)
    .map(() => '---:')
    .join('|')}|`,
);
for (const { name, instants } of CASES) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(WAYS).map((way) => [way, []]));
  WAYS['no cache']!(instants); // warm up the JIT and the polyfill's caches
  for (let run = 0; run < RUNS; run++) {
    // Interleaved, so load on the machine falls on every way alike.
    for (const [way, fn] of Object.entries(WAYS)) {
      const start = performance.now();
      fn(instants);
      times[way]!.push(performance.now() - start);
    }
  }
  console.log(
    `| ${name} | ${Object.values(times)
      .map((t) => `${median(t).toFixed(1)} ms`)
      .join(' | ')} |`,
  );
}
