// The demo seed's office hours (scripts/demo/timeline.ts) in Node, on the shared time-zone
// module: local office hours in any zone, also across DST switches and at odd offsets.
import { describe, expect, it } from 'vitest';
import { Random } from '../../scripts/demo/random';
import { workingHourInstants } from '../../scripts/demo/timeline';

/** Minutes after local midnight, as Intl tells it (independent of the code under test). */
function localMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return get('hour') * 60 + get('minute');
}

describe('demo timeline', () => {
  it.each(['America/Santiago', 'America/Havana', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham'])(
    'keeps to office hours (07:30-19:00 local) in %s across its DST switches',
    (timeZone) => {
      const from = Date.parse('2026-02-15T00:00:00Z');
      const to = Date.parse('2026-11-15T00:00:00Z');
      const instants = workingHourInstants(new Random(42), { from, to, count: 4000, timeZone, rolloutWorkdays: 10 });
      expect(instants).toHaveLength(4000);
      for (let i = 1; i < instants.length; i++) expect(instants[i]).toBeGreaterThan(instants[i - 1]!);
      for (const at of instants) {
        const minutes = localMinutes(at, timeZone);
        expect(minutes, new Date(at).toISOString()).toBeGreaterThanOrEqual(7 * 60 + 30);
        expect(minutes, new Date(at).toISOString()).toBeLessThanOrEqual(19 * 60);
      }
    },
  );
});
