// Local days and local dates through the real routes, in zones whose daylight saving time
// makes the hand-rolled arithmetic go wrong: DST at midnight (America/Santiago,
// America/Havana: on their spring day midnight does not exist, the day starts at 01:00),
// at 02:00/03:00 (Europe/Berlin, America/New_York), by 30 minutes (Australia/Lord_Howe),
// odd offsets (Asia/Kathmandu +05:45, Pacific/Chatham +12:45/+13:45).
import { exports } from 'cloudflare:workers';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate, offsetMs, offsetPeriod, startOfDay, timeZoneName, wallTimeInstant } from '../../worker/domain/time-zone';
import { rangeBound } from '../../worker/domain/time';
import { zoneClock } from '../../worker/export/zone-clock';
import { aChange, call, newAccount, OPERATOR } from './support';

interface DayCase {
  zone: string;
  day: string;
  /** Local wall times with their offsets, worked out by hand from the zones' rules: the
   *  last second of the day before, the day's first instant, its last second, the next
   *  day's first instant; `around`: the second before and the second of a DST switch. */
  before: string;
  first: string;
  last: string;
  next: string;
  around?: [string, string];
}

const DAYS: DayCase[] = [
  // Chile: clocks go from 24:00 Saturday to 01:00 Sunday, back from 24:00 to 23:00 in April.
  {
    zone: 'America/Santiago',
    day: '2026-09-06',
    before: '2026-09-05T23:59:59-04:00',
    first: '2026-09-06T01:00:00-03:00',
    last: '2026-09-06T23:59:59-03:00',
    next: '2026-09-07T00:00:00-03:00',
  },
  {
    zone: 'America/Santiago',
    day: '2026-04-04',
    before: '2026-04-03T23:59:59-03:00',
    first: '2026-04-04T00:00:00-03:00',
    last: '2026-04-04T23:59:59-04:00',
    next: '2026-04-05T00:00:00-04:00',
  },
  // Cuba: 00:00 → 01:00 on the second Sunday of March, 01:00 → 00:00 on the first of November.
  {
    zone: 'America/Havana',
    day: '2026-03-08',
    before: '2026-03-07T23:59:59-05:00',
    first: '2026-03-08T01:00:00-04:00',
    last: '2026-03-08T23:59:59-04:00',
    next: '2026-03-09T00:00:00-04:00',
  },
  {
    zone: 'America/Havana',
    day: '2026-11-01',
    before: '2026-10-31T23:59:59-04:00',
    first: '2026-11-01T00:00:00-04:00',
    last: '2026-11-01T23:59:59-05:00',
    next: '2026-11-02T00:00:00-05:00',
    around: ['2026-11-01T00:59:59-04:00', '2026-11-01T00:00:00-05:00'],
  },
  {
    zone: 'Europe/Berlin',
    day: '2026-03-29',
    before: '2026-03-28T23:59:59+01:00',
    first: '2026-03-29T00:00:00+01:00',
    last: '2026-03-29T23:59:59+02:00',
    next: '2026-03-30T00:00:00+02:00',
    around: ['2026-03-29T01:59:59+01:00', '2026-03-29T03:00:00+02:00'],
  },
  {
    zone: 'Europe/Berlin',
    day: '2026-10-25',
    before: '2026-10-24T23:59:59+02:00',
    first: '2026-10-25T00:00:00+02:00',
    last: '2026-10-25T23:59:59+01:00',
    next: '2026-10-26T00:00:00+01:00',
    around: ['2026-10-25T02:59:59+02:00', '2026-10-25T02:00:00+01:00'],
  },
  {
    zone: 'America/New_York',
    day: '2026-03-08',
    before: '2026-03-07T23:59:59-05:00',
    first: '2026-03-08T00:00:00-05:00',
    last: '2026-03-08T23:59:59-04:00',
    next: '2026-03-09T00:00:00-04:00',
    around: ['2026-03-08T01:59:59-05:00', '2026-03-08T03:00:00-04:00'],
  },
  {
    zone: 'America/New_York',
    day: '2026-11-01',
    before: '2026-10-31T23:59:59-04:00',
    first: '2026-11-01T00:00:00-04:00',
    last: '2026-11-01T23:59:59-05:00',
    next: '2026-11-02T00:00:00-05:00',
  },
  // Lord Howe Island moves by half an hour: 02:00 → 02:30 in October, 02:00 → 01:30 in April.
  {
    zone: 'Australia/Lord_Howe',
    day: '2026-10-04',
    before: '2026-10-03T23:59:59+10:30',
    first: '2026-10-04T00:00:00+10:30',
    last: '2026-10-04T23:59:59+11:00',
    next: '2026-10-05T00:00:00+11:00',
    around: ['2026-10-04T01:59:59+10:30', '2026-10-04T02:30:00+11:00'],
  },
  {
    zone: 'Australia/Lord_Howe',
    day: '2026-04-05',
    before: '2026-04-04T23:59:59+11:00',
    first: '2026-04-05T00:00:00+11:00',
    last: '2026-04-05T23:59:59+10:30',
    next: '2026-04-06T00:00:00+10:30',
  },
  {
    zone: 'Asia/Kathmandu',
    day: '2026-01-01',
    before: '2025-12-31T23:59:59+05:45',
    first: '2026-01-01T00:00:00+05:45',
    last: '2026-01-01T23:59:59+05:45',
    next: '2026-01-02T00:00:00+05:45',
  },
  // Chatham: 02:45 → 03:45 on the last Sunday of September, back on the first of April.
  {
    zone: 'Pacific/Chatham',
    day: '2026-09-27',
    before: '2026-09-26T23:59:59+12:45',
    first: '2026-09-27T00:00:00+12:45',
    last: '2026-09-27T23:59:59+13:45',
    next: '2026-09-28T00:00:00+13:45',
    around: ['2026-09-27T02:44:59+12:45', '2026-09-27T03:45:00+13:45'],
  },
  {
    zone: 'Pacific/Chatham',
    day: '2026-04-05',
    before: '2026-04-04T23:59:59+13:45',
    first: '2026-04-05T00:00:00+13:45',
    last: '2026-04-05T23:59:59+12:45',
    next: '2026-04-06T00:00:00+12:45',
  },
];

/** Every local time of a case, named so the rows can be told apart. */
function moments(c: DayCase): { name: string; local: string; inDay: boolean }[] {
  const list = [
    { name: 'before', local: c.before, inDay: false },
    { name: 'first', local: c.first, inDay: true },
    { name: 'last', local: c.last, inDay: true },
    { name: 'next', local: c.next, inDay: false },
  ];
  c.around?.forEach((local, i) => list.push({ name: `switch ${i}`, local, inDay: true }));
  return list.map((m) => ({ ...m, name: `${c.day} ${m.name}` }));
}

const utc = (local: string) => new Date(Date.parse(local)).toISOString();
const dayBefore = (day: string) => new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (day: string) => new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);

type Account = Awaited<ReturnType<typeof newAccount>>;
const accounts = new Map<string, Account>();

/** One more account, in UTC, holds every case (its element names the case): the export's
 *  `tz` has to give the same Date column as an account in that zone. */
let utcAccount: Account;
const caseElement = (c: DayCase) => `${c.zone} ${c.day}`;

beforeAll(async () => {
  for (const zone of new Set(DAYS.map((c) => c.zone))) {
    const account = await newAccount({ timezone: zone, retentionMonths: 120 });
    const changes = DAYS.filter((c) => c.zone === zone)
      .flatMap(moments)
      .map((m, i) => aChange({ changeId: `tz-${i}`, objectId: String(i), objectName: m.name, occurredAt: utc(m.local) }));
    const res = await call(`/v1/accounts/${account.id}/changes/batch`, { token: account.writer, body: { changes } });
    expect(res.status, res.text).toBe(201);
    accounts.set(zone, account);
  }
  utcAccount = await newAccount({ timezone: 'UTC', retentionMonths: 120 });
  const everyCase = DAYS.flatMap((c) => moments(c).map((m) => ({ ...m, element: caseElement(c) })));
  const res = await call(`/v1/accounts/${utcAccount.id}/changes/batch`, {
    token: utcAccount.writer,
    body: {
      changes: everyCase.map((m, i) =>
        aChange({
          changeId: `tz-${i}`,
          objectId: String(i),
          objectName: m.name,
          occurredAt: utc(m.local),
          elements: [{ element: m.element, newValue: 'x' }],
        }),
      ),
    },
  });
  expect(res.status, res.text).toBe(201);
});

async function namesBetween(account: Account, from: string, to: string): Promise<string[]> {
  const res = await call(`/v1/accounts/${account.id}/events?limit=500&from=${from}&to=${to}`, { token: account.reader });
  expect(res.status, res.text).toBe(200);
  return res.json.events.map((e: { objectName: string }) => e.objectName);
}

const newestFirst = (list: { local: string; name: string }[]) =>
  [...list].sort((a, b) => Date.parse(b.local) - Date.parse(a.local)).map((m) => m.name);

describe.each(DAYS)('$zone on $day', (c) => {
  it('has a table that adds up: each pair is one second apart', () => {
    expect(Date.parse(c.first) - Date.parse(c.before)).toBe(1000);
    expect(Date.parse(c.next) - Date.parse(c.last)).toBe(1000);
    if (c.around) expect(Date.parse(c.around[1]) - Date.parse(c.around[0])).toBe(1000);
  });

  it('GET .../events?from=DAY&to=DAY holds exactly the local day', async () => {
    const account = accounts.get(c.zone)!;
    const all = moments(c);
    expect(await namesBetween(account, c.day, c.day)).toEqual(newestFirst(all.filter((m) => m.inDay)));
    // The neighbours own the seconds on either side.
    expect(await namesBetween(account, dayBefore(c.day), dayBefore(c.day))).toEqual([`${c.day} before`]);
    expect(await namesBetween(account, dayAfter(c.day), dayAfter(c.day))).toEqual([`${c.day} next`]);
  });

  it('from=DAY&to=DAY is exactly the local day with tz= (on a UTC account) and on the export too', async () => {
    const inDay = newestFirst(moments(c).filter((m) => m.inDay));
    const zoned = await call(
      `/v1/accounts/${utcAccount.id}/events?limit=500&tz=${encodeURIComponent(c.zone)}&from=${c.day}&to=${c.day}&q=${encodeURIComponent(caseElement(c))}`,
      { token: utcAccount.reader },
    );
    expect(zoned.status, zoned.text).toBe(200);
    expect(zoned.json.events.map((e: { objectName: string }) => e.objectName)).toEqual(inDay);
    const account = accounts.get(c.zone)!;
    const csv = await call(`/v1/accounts/${account.id}/events/export?format=csv&from=${c.day}&to=${c.day}`, { token: account.exporter });
    expect(csv.status, csv.text).toBe(200);
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(','));
    expect(rows.map((row) => row[1])).toEqual(inDay);
  });

  it.each([
    ["the account's own zone", (c: DayCase) => [accounts.get(c.zone)!, `from=${dayBefore(c.day)}&to=${dayAfter(c.day)}`] as const],
    [
      'tz= on a UTC account',
      (c: DayCase) => [utcAccount, `tz=${encodeURIComponent(c.zone)}&q=${encodeURIComponent(caseElement(c))}`] as const,
    ],
  ])("shows the zone's wall clock in the export's Date column (CSV text, xlsx date), in %s", async (_, target) => {
    const [account, query] = target(c);
    const expected = newestFirst(moments(c)).map((name) => moments(c).find((m) => m.name === name)!);
    const download = (format: string) =>
      exports.default.fetch(
        new Request(`https://audit.test/v1/accounts/${account.id}/events/export?format=${format}&${query}`, {
          headers: { authorization: `Bearer ${account.exporter}` },
        }),
      );

    const csv = await download('csv');
    const text = await csv.text();
    expect(csv.status, text).toBe(200);
    const [header, ...rows] = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(header![6]).toBe(`Date (${c.zone})`);
    expect(rows.map((row) => [row[1], row[6]])).toEqual(expected.map((m) => [m.name, m.local]));

    const xlsx = await download('xlsx');
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const dates: unknown[] = [];
    workbook.getWorksheet('Audit trail')!.eachRow((row, n) => n > 1 && dates.push(row.getCell(7).value));
    // exceljs reads a date cell as its wall time spelled in UTC.
    expect(dates).toEqual(expected.map((m) => new Date(`${m.local.slice(0, 19)}Z`)));
  });
});

describe('worker/domain/time-zone', () => {
  it.each(DAYS)("starts $day in $zone at its first instant, and ends it at the next day's", (c) => {
    expect(startOfDay(c.day, c.zone)).toBe(Date.parse(c.first));
    expect(startOfDay(addDays(c.day, 1), c.zone)).toBe(Date.parse(c.next));
    expect(rangeBound(c.day, c.zone, 'from')).toBe(Date.parse(c.first));
    expect(rangeBound(c.day, c.zone, 'to')).toBe(Date.parse(c.next) - 1);
    expect(localDate(Date.parse(c.first), c.zone)).toBe(c.day);
    expect(localDate(Date.parse(c.before), c.zone)).toBe(addDays(c.day, -1));
    expect(localDate(Date.parse(c.last), c.zone)).toBe(c.day);
  });

  it('gives offsets to the minute, odd ones too', () => {
    expect(offsetMs(Date.parse('2026-01-01T00:00:00Z'), 'Asia/Kathmandu')).toBe((5 * 60 + 45) * 60_000);
    expect(offsetMs(Date.parse('2026-01-01T00:00:00Z'), 'Pacific/Chatham')).toBe((13 * 60 + 45) * 60_000);
    expect(offsetMs(Date.parse('2026-07-01T00:00:00Z'), 'Pacific/Chatham')).toBe((12 * 60 + 45) * 60_000);
    expect(offsetMs(Date.parse('2026-07-01T00:00:00Z'), 'Australia/Lord_Howe')).toBe((10 * 60 + 30) * 60_000);
    expect(offsetMs(Date.parse('2026-07-01T00:00:00Z'), 'America/Santiago')).toBe(-4 * 3_600_000);
  });

  it('knows how long an offset holds: from one transition to the next', () => {
    const summer = { offsetMs: 2 * 3_600_000, from: Date.parse('2026-03-29T01:00:00Z'), until: Date.parse('2026-10-25T01:00:00Z') };
    expect(offsetPeriod(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toEqual(summer);
    // A transition belongs to the period it starts.
    expect(offsetPeriod(summer.from, 'Europe/Berlin')).toEqual(summer);
    expect(offsetPeriod(summer.until - 1, 'Europe/Berlin')).toEqual(summer);
    expect(offsetPeriod(summer.until, 'Europe/Berlin')).toMatchObject({ offsetMs: 3_600_000, from: summer.until });
    expect(offsetPeriod(Date.parse('2026-09-06T04:00:00Z'), 'America/Santiago')).toMatchObject({
      offsetMs: -3 * 3_600_000,
      from: Date.parse('2026-09-06T04:00:00Z'),
    });
    expect(offsetPeriod(Date.parse('2026-07-01T00:00:00Z'), 'Asia/Kathmandu')).toMatchObject({
      offsetMs: (5 * 60 + 45) * 60_000,
      until: Infinity,
    });
    expect(offsetPeriod(Date.parse('2026-07-01T00:00:00Z'), 'UTC')).toEqual({ offsetMs: 0, from: -Infinity, until: Infinity });
  });

  it('moves a wall time in a gap past it, and takes the earlier of one that happens twice', () => {
    // Berlin skips 02:00-03:00 on 2026-03-29: 02:30 is read with the offset before the gap.
    expect(wallTimeInstant('2026-03-29', 150, 'Europe/Berlin')).toBe(Date.parse('2026-03-29T03:30:00+02:00'));
    expect(wallTimeInstant('2026-10-25', 150, 'Europe/Berlin')).toBe(Date.parse('2026-10-25T02:30:00+02:00'));
    expect(wallTimeInstant('2026-09-06', 0, 'America/Santiago')).toBe(Date.parse('2026-09-06T01:00:00-03:00'));
    expect(wallTimeInstant('2026-11-01', 30, 'America/Havana')).toBe(Date.parse('2026-11-01T00:30:00-04:00'));
    expect(wallTimeInstant('2026-01-01', 7 * 60 + 30, 'Asia/Kathmandu')).toBe(Date.parse('2026-01-01T07:30:00+05:45'));
    // Minutes past the day's end roll over into the next day.
    expect(wallTimeInstant('2026-01-01', 25 * 60, 'UTC')).toBe(Date.parse('2026-01-02T01:00:00Z'));
  });

  it('knows IANA names, spelled as the tz database spells them, and nothing else', () => {
    expect(timeZoneName('europe/berlin')).toBe('Europe/Berlin');
    expect(timeZoneName('ASIA/KATHMANDU')).toBe('Asia/Kathmandu');
    expect(timeZoneName('utc')).toBe('UTC');
    expect(timeZoneName('Asia/Calcutta')).toBe('Asia/Calcutta'); // an alias stays what was asked for
    for (const bad of [
      'Mars/Olympus',
      '',
      ' Europe/Berlin',
      '+05:00',
      '-03:00',
      '2026-01-01T00:00Z[Europe/Berlin]',
      'Europe/Berlin\u0000',
    ]) {
      expect(timeZoneName(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe("the export's clock", () => {
  it.each(DAYS)('answers what the zone rules say, minute by minute, newest first, through $day in $zone', (c) => {
    // The clock caches an offset per UTC hour: walk the day the way rows arrive.
    const clock = zoneClock(c.zone)!;
    for (let at = Date.parse(c.next) + 3_600_000; at >= Date.parse(c.before) - 3_600_000; at -= 60_000) {
      expect(clock.offsetMs(at)).toBe(offsetMs(at, c.zone));
      expect(clock.offsetMs(at - 1000)).toBe(offsetMs(at - 1000, c.zone));
    }
    for (const local of [c.before, c.first, c.last, c.next, ...(c.around ?? [])]) expect(clock.iso(Date.parse(local))).toBe(local);
  });

  it.each(DAYS)('answers the same in any order of instants, around $day in $zone', (c) => {
    const clock = zoneClock(c.zone)!;
    const start = Date.parse(c.before) - 40 * 86_400_000;
    const steps = 80 * 24 * 4; // quarter hours over 80 days, visited in a scrambled order
    for (let i = 0; i < steps; i++) {
      const at = start + ((i * 7919) % steps) * 900_000 + (i % 2) * 899_000;
      expect(clock.offsetMs(at), new Date(at).toISOString()).toBe(offsetMs(at, c.zone));
    }
  });

  it('names the zone as asked, not by an older alias', () => {
    expect(zoneClock('asia/kathmandu')!.zone).toBe('Asia/Kathmandu');
    expect(zoneClock('+05:45')).toBeUndefined();
  });
});

describe('time zone names at the door', () => {
  it.each(['+05:00', 'Mars/Olympus', '2026-01-01T00:00Z[Europe/Berlin]'])(
    'refuses %j as an account zone and as the export tz',
    async (zone) => {
      const created = await call('/v1/accounts', {
        token: OPERATOR,
        body: { id: `tz-bad-${Date.now().toString(36)}`, name: 'Bad zone', timezone: zone },
      });
      expect(created.status).toBe(422);
      expect(created.headers.get('content-type')).toBe('application/problem+json');
      expect(created.json.errors).toEqual([{ path: '/timezone', message: expect.stringContaining('IANA') }]);

      const account = accounts.get('Asia/Kathmandu')!;
      const exported = await call(`/v1/accounts/${account.id}/events/export?format=csv&tz=${encodeURIComponent(zone)}`, {
        token: account.exporter,
      });
      expect(exported.status).toBe(400);
      expect(exported.json.errors).toEqual([{ path: 'query.tz', message: expect.stringContaining('IANA') }]);
    },
  );

  it('heads the Date column with the zone as the tz database spells it', async () => {
    const account = accounts.get('Asia/Kathmandu')!;
    const res = await call(`/v1/accounts/${account.id}/events/export?format=csv&tz=asia/kathmandu`, { token: account.exporter });
    expect(res.status).toBe(200);
    expect(res.text.split('\r\n')[0]).toContain('Date (Asia/Kathmandu)');
  });
});
