// GET .../events/export through the real Worker and D1: every format holds exactly the
// events GET .../events answers for the same filters, cell by cell (the xlsx read back with
// exceljs); time zones; formula-like, multi-line, non-ASCII and over-long values; auth.
import { exports } from 'cloudflare:workers';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { readableValue } from '../../shared/field-display';
import type { ObjectType } from '../../shared/vocabulary';
import { call, newAccount } from './support';
import { parseCsv } from './support-csv';

type Account = Awaited<ReturnType<typeof newAccount>>;
type ApiEvent = {
  objectType: string;
  objectId: string;
  objectName: string;
  action: 'add' | 'edit' | 'delete';
  element: string;
  valueType: 'text' | 'number' | 'boolean' | 'list' | 'json';
  oldValue: string | null;
  newValue: string | null;
  redacted: boolean;
  occurredAt: string;
  originator: { id: string; name: string };
  changeId: string;
  source: 'api' | 'liveperson';
};

const LONG = 'L'.repeat(40_000);
const FORMULAS = ['=1+1', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=2', '\r=3', '=HYPERLINK("http://evil.test","click")'];
const MULTILINE = 'Grüße,\r\nZeile 2 — ünïcödé 😀\nLine 3, "quoted"';

const CHANGES = [
  {
    changeId: 'x-1',
    objectType: 'user',
    objectId: '4711',
    objectName: 'Jane Doe',
    action: 'edit',
    originator: { id: '17', name: 'Admin Amy' },
    occurredAt: '2026-03-29T00:30:00Z',
    elements: [{ element: 'Member of', oldValue: 'Tier 1', newValue: 'Tier 2' }],
  },
  {
    changeId: 'x-2',
    objectType: 'user',
    objectId: '4711',
    objectName: 'Jane Doe',
    action: 'edit',
    originator: { id: '17', name: 'Admin Amy' },
    occurredAt: '2026-03-29T01:30:00Z',
    elements: [
      { element: 'Max chats', oldValue: 3, newValue: 5 },
      { element: 'Enabled', oldValue: true, newValue: false },
      { element: 'Password', oldValue: 'old-secret', newValue: 'new-secret' },
      { element: 'Skills', oldValue: ['Sales (12)', 'Billing (3)'], newValue: ['Sales (12)', 'Support (14)', 'VIP (3)'] },
    ],
  },
  {
    changeId: 'x-3',
    objectType: 'skill',
    objectId: '12',
    objectName: 'Sales',
    action: 'add',
    originator: { id: '18', name: 'Bob Builder' },
    occurredAt: '2026-07-01T12:00:00.250Z',
    elements: [{ element: 'Name', newValue: 'Sales' }],
  },
  {
    changeId: 'x-4',
    objectType: 'agentGroup',
    objectId: '7',
    objectName: 'Tier 2',
    action: 'delete',
    originator: { id: '17', name: 'Admin Amy' },
    occurredAt: '2026-10-25T00:30:00Z',
    elements: [{ element: 'Name', oldValue: 'Tier 2' }],
  },
  {
    changeId: 'x-5',
    objectType: 'profile',
    objectId: '3',
    objectName: '=cmd|"/c calc"!A1',
    action: 'edit',
    originator: { id: '18', name: '@Bob' },
    occurredAt: '2026-10-25T01:30:00Z',
    elements: FORMULAS.map((value, i) => ({ element: `Formula ${i}`, oldValue: value, newValue: `${value} new` })),
  },
  {
    changeId: 'x-6',
    objectType: 'predefinedContent',
    objectId: '99',
    objectName: 'Begrüßung 你好',
    action: 'edit',
    originator: { id: '19', name: 'Zoë Ångström' },
    occurredAt: '2026-11-01T08:00:00Z',
    elements: [
      { element: 'Text', oldValue: MULTILINE, newValue: 'Line 1\nLine 2' },
      { element: 'Signature', oldValue: null, newValue: LONG },
    ],
  },
];

// ---- what each format should show, worked out here independently of the Worker ----

const TYPE_LABELS: Record<string, string> = {
  user: 'User',
  skill: 'Skill',
  agentGroup: 'Agent group',
  profile: 'Profile',
  predefinedContent: 'Predefined content',
};
const ACTION_LABELS = { add: 'Add new', edit: 'Edit', delete: 'Delete' };
const SOURCE_LABELS = { api: 'API', liveperson: 'LivePerson' };
const COLUMNS = (tz: string) => [
  'Object type',
  'Object name',
  'Action type',
  'Element',
  'Old value',
  'New value',
  `Date (${tz})`,
  'Originator',
  'Object ID',
  'Change ID',
  'Source',
  'Old value (readable)',
  'New value (readable)',
];

/** Offset of `tz` at an instant, from Intl's own "GMT+02:00" spelling. */
function offsetMs(at: number, tz: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value;
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000 : 0;
}

function isoIn(iso: string, tz: string): string {
  const at = Date.parse(iso);
  const offset = offsetMs(at, tz);
  const wall = new Date(at + offset).toISOString();
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  const zone = `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return wall.slice(0, 19) + (at % 1000 ? wall.slice(19, 23) : '') + zone;
}

/** [old, new] as the screen says them (shared/field-display.ts), where that differs from the stored value; else null. */
function readableValues(e: ApiEvent): [string | null, string | null] {
  if (e.redacted) return [null, null];
  const one = (value: string | null, side: 'removed' | 'added') => {
    if (value === null || value === '') return null;
    if (e.valueType === 'list') {
      const items = JSON.parse(value) as string[];
      const shown = items.map((item) => readableValue(e.objectType as ObjectType, e.element, 'text', item));
      return shown.some((item, i) => item !== items[i]) ? `${side}: ${shown.join(', ')}` : null;
    }
    const shown = readableValue(e.objectType as ObjectType, e.element, e.valueType, value);
    return shown === value ? null : shown;
  };
  return [one(e.oldValue, 'removed'), one(e.newValue, 'added')];
}

/** [old, new] as shown: lists as removed/added items, a secret as "(changed)". */
function shownValues(e: ApiEvent): [unknown, unknown] {
  if (e.redacted) return [null, '(changed)'];
  const one = (value: string | null, side: 'removed' | 'added') => {
    if (value === null) return null;
    if (e.valueType === 'list') {
      const items = JSON.parse(value) as string[];
      return items.length ? `${side}: ${items.join(', ')}` : null;
    }
    if (e.valueType === 'number') return Number(value);
    if (e.valueType === 'boolean') return value === 'true';
    return value;
  };
  return [one(e.oldValue, 'removed'), one(e.newValue, 'added')];
}

const guarded = (text: string) => (/^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text) ? `'${text}` : text);

function expectedCsvRow(e: ApiEvent, tz: string): string[] {
  const text = (value: unknown) => (value === null ? '' : typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value));
  const [oldValue, newValue] = shownValues(e).map(text);
  return [
    TYPE_LABELS[e.objectType]!,
    e.objectName,
    ACTION_LABELS[e.action],
    e.element,
    oldValue!,
    newValue!,
    isoIn(e.occurredAt, tz),
    e.originator.name,
    e.objectId,
    e.changeId,
    SOURCE_LABELS[e.source],
    ...readableValues(e).map((value) => value ?? ''),
  ].map(guarded);
}

function expectedXlsxRow(e: ApiEvent, tz: string): unknown[] {
  const cut = (value: unknown) =>
    typeof value === 'string' && value.length > 32_767 ? value.slice(0, 32_767 - 13) + '… [truncated]' : value;
  const [oldValue, newValue] = shownValues(e).map(cut);
  const at = Math.floor(Date.parse(e.occurredAt) / 1000) * 1000;
  // exceljs reads a date cell as the wall time spelled in UTC.
  const wall = new Date(at + offsetMs(at, tz));
  return [
    TYPE_LABELS[e.objectType],
    e.objectName,
    ACTION_LABELS[e.action],
    e.element,
    oldValue,
    newValue,
    wall,
    e.originator.name,
    e.objectId,
    e.changeId,
    SOURCE_LABELS[e.source],
    ...readableValues(e),
  ];
}

// ---- calling the Worker ----

async function download(account: Account, query: string, token = account.exporter) {
  const response = await exports.default.fetch(
    new Request(`https://audit.test/v1/accounts/${account.id}/events/export${query}`, { headers: { authorization: `Bearer ${token}` } }),
  );
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function csv(account: Account, query: string) {
  const { response, bytes } = await download(account, `?format=csv${query ? '&' + query : ''}`);
  expect(response.status).toBe(200);
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder().decode(bytes.slice(3)));
}

async function ndjson(account: Account, query: string) {
  const { response, bytes } = await download(account, `?format=ndjson${query ? '&' + query : ''}`);
  expect(response.status).toBe(200);
  const text = new TextDecoder().decode(bytes);
  expect(text.endsWith('\n')).toBe(true);
  // The first line is the export's header (what makes the file verifiable), then the events.
  const [header, ...events] = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  expect(header).toMatchObject({ type: 'audit-trail.export', version: 1, accountId: account.id, complete: !query });
  return events;
}

async function xlsx(account: Account, query: string) {
  const { response, bytes } = await download(account, query ? `?${query}` : '');
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer as ArrayBuffer);
  const sheet = workbook.getWorksheet('Audit trail')!;
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push(Array.from({ length: 13 }, (_, i) => row.getCell(i + 1).value ?? null));
  });
  return { rows, sheet, bytes, response };
}

async function apiEvents(account: Account, query: string): Promise<ApiEvent[]> {
  const res = await call(`/v1/accounts/${account.id}/events?limit=500${query ? '&' + query : ''}`, { token: account.reader });
  expect(res.status, res.text).toBe(200);
  return res.json.events;
}

const FILTERS = [
  '',
  'objectType=user',
  'objectType=user&objectId=4711',
  'objectType=skill,agentGroup&originatorId=17',
  'action=delete,add',
  'element=Max%20chats',
  'originatorId=18',
  'q=tier',
  'from=2026-07-01&to=2026-10-25',
  'from=2026-03-29T01:00:00Z&to=2026-10-25T00:30:00Z',
];

describe('GET .../events/export', () => {
  let account: Account;
  beforeAll(async () => {
    account = await newAccount({ timezone: 'Europe/Berlin', retentionMonths: 120 });
    const res = await call(`/v1/accounts/${account.id}/changes/batch`, { token: account.writer, body: { changes: CHANGES } });
    expect(res.status, res.text).toBe(201);
  });

  describe.each(FILTERS)('with filters "%s"', (filters) => {
    it('NDJSON holds the same events as GET .../events', async () => {
      const expected = await apiEvents(account, filters);
      expect(expected.length).toBeGreaterThan(0);
      expect(await ndjson(account, filters)).toEqual(expected);
    });

    it('CSV holds the same events, newest first, in the documented columns', async () => {
      const expected = await apiEvents(account, filters);
      const [header, ...rows] = await csv(account, filters);
      expect(header).toEqual(COLUMNS('Europe/Berlin'));
      expect(rows).toEqual(expected.map((e) => expectedCsvRow(e, 'Europe/Berlin')));
    });

    it('xlsx holds the same events, cell by cell', async () => {
      const expected = await apiEvents(account, filters);
      const { rows } = await xlsx(account, filters);
      expect(rows[0]).toEqual(COLUMNS('Europe/Berlin'));
      expect(rows.slice(1)).toEqual(expected.map((e) => expectedXlsxRow(e, 'Europe/Berlin')));
    });
  });

  it("matches one element's history (GET .../objects/{type}/{id}/events)", async () => {
    const history = await call(`/v1/accounts/${account.id}/objects/user/4711/events?limit=500`, { token: account.reader });
    expect(history.status).toBe(200);
    expect(history.json.events).toHaveLength(5);
    expect(await ndjson(account, 'objectType=user&objectId=4711')).toEqual(history.json.events);
  });

  it('downloads as attachments named by account, range and format', async () => {
    const all = await download(account, '');
    expect(all.response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(all.response.headers.get('content-disposition')).toBe(`attachment; filename="audit-trail_${account.id}_all.xlsx"`);
    expect(all.response.headers.get('cache-control')).toBe('no-store');
    expect(all.response.headers.get('x-total-count')).toBe(String((await apiEvents(account, '')).length));

    const range = await download(account, '?format=csv&from=2026-07-01&to=2026-10-25');
    expect(range.response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(range.response.headers.get('content-disposition')).toBe(
      `attachment; filename="audit-trail_${account.id}_2026-07-01_2026-10-25.csv"`,
    );
    const nd = await download(account, '?format=ndjson&from=2026-07-01');
    expect(nd.response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(nd.response.headers.get('content-disposition')).toBe(`attachment; filename="audit-trail_${account.id}_2026-07-01_now.ndjson"`);
  });

  it('exports nothing but the header when nothing matches', async () => {
    expect(await csv(account, 'q=no-such-thing')).toEqual([COLUMNS('Europe/Berlin')]);
    expect(await ndjson(account, 'q=no-such-thing')).toEqual([]);
    const { rows, response } = await xlsx(account, 'q=no-such-thing');
    expect(response.headers.get('x-total-count')).toBe('0');
    expect(rows).toEqual([COLUMNS('Europe/Berlin')]);
  });

  describe('time zones', () => {
    const dates = (rows: string[][]) => Object.fromEntries(rows.slice(1).map((r) => [r[9], r[6]]));

    it("defaults to the account's time zone, across both DST switches", async () => {
      const rows = await csv(account, '');
      expect(rows[0]![6]).toBe('Date (Europe/Berlin)');
      expect(dates(rows)).toMatchObject({
        'x-1': '2026-03-29T01:30:00+01:00',
        'x-2': '2026-03-29T03:30:00+02:00',
        'x-3': '2026-07-01T14:00:00.250+02:00',
        'x-4': '2026-10-25T02:30:00+02:00',
        'x-5': '2026-10-25T02:30:00+01:00',
      });
    });

    it('takes tz, canonically spelled, for the header and the values', async () => {
      const utc = await csv(account, 'tz=UTC');
      expect(utc[0]![6]).toBe('Date (UTC)');
      expect(dates(utc)).toMatchObject({ 'x-1': '2026-03-29T00:30:00+00:00', 'x-5': '2026-10-25T01:30:00+00:00' });
      const newYork = await csv(account, 'tz=america/new_york');
      expect(newYork[0]![6]).toBe('Date (America/New_York)');
      expect(dates(newYork)).toMatchObject({ 'x-1': '2026-03-28T20:30:00-04:00' });
    });

    it('takes tz for the from/to days too, so a file holds what the screen lists', async () => {
      for (const query of [
        'from=2026-10-25&to=2026-10-25',
        'from=2026-10-25&to=2026-10-25&tz=UTC',
        'from=2026-03-28&to=2026-03-28&tz=America/New_York',
      ]) {
        const listed = await apiEvents(account, query);
        const rows = await csv(account, query);
        expect(
          rows.slice(1).map((r) => r[9]),
          query,
        ).toEqual(listed.map((e) => e.changeId));
      }
      // x-1 (00:30Z on Mar 29) is Mar 28 in New York, Mar 29 in Berlin.
      expect(Object.keys(dates(await csv(account, 'from=2026-03-28&to=2026-03-28&tz=America/New_York')))).toContain('x-1');
      expect(Object.keys(dates(await csv(account, 'from=2026-03-28&to=2026-03-28')))).not.toContain('x-1');
    });

    it('writes real date cells with a date format in xlsx', async () => {
      const berlin = await xlsx(account, 'objectType=user&objectId=4711');
      const utc = await xlsx(account, 'objectType=user&objectId=4711&tz=UTC');
      expect(berlin.rows[0]![6]).toBe('Date (Europe/Berlin)');
      expect(utc.rows[0]![6]).toBe('Date (UTC)');
      // x-1 is the last row: 00:30Z is 01:30 in Berlin, before the switch.
      expect(berlin.rows.at(-1)![6]).toEqual(new Date('2026-03-29T01:30:00Z'));
      expect(utc.rows.at(-1)![6]).toEqual(new Date('2026-03-29T00:30:00Z'));
      // x-2, after the switch: 01:30Z is 03:30 in Berlin.
      expect(berlin.rows[1]![6]).toEqual(new Date('2026-03-29T03:30:00Z'));
      const cell = berlin.sheet.getCell('G2');
      expect(cell.type).toBe(ExcelJS.ValueType.Date);
      expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    });

    it('refuses an unknown tz with a 400 naming query.tz', async () => {
      const res = await call(`/v1/accounts/${account.id}/events/export?tz=Mars/Olympus`, { token: account.exporter });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.errors).toEqual([{ path: 'query.tz', message: expect.stringContaining('IANA') }]);
    });
  });

  describe('values that could hurt', () => {
    it('never lets text become a formula, in any format', async () => {
      const filters = 'objectType=profile';
      const rows = (await csv(account, filters)).slice(1);
      expect(rows).toHaveLength(FORMULAS.length);
      for (const row of rows) {
        // Object name "=cmd|…", originator "@Bob" and both values are guarded.
        for (const i of [1, 4, 5, 7]) expect(row[i]).toMatch(/^'[=+\-@\t\r]/);
      }
      const { sheet, bytes } = await xlsx(account, filters);
      const sheetXml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!);
      expect(sheetXml).not.toMatch(/<f[ >]/);
      sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
      expect(sheet.getCell('B2').value).toBe('=cmd|"/c calc"!A1');
      const lines = await ndjson(account, filters);
      expect(lines.map((e) => e.oldValue).sort()).toEqual([...FORMULAS].sort());
    });

    it('keeps multi-line and non-ASCII text intact', async () => {
      const filters = 'objectType=predefinedContent';
      const [, textRow] = await csv(account, `${filters}&element=Text`);
      expect(textRow![1]).toBe('Begrüßung 你好');
      expect(textRow![4]).toBe(MULTILINE);
      expect(textRow![7]).toBe('Zoë Ångström');
      const { rows } = await xlsx(account, `${filters}&element=Text`);
      expect(rows[1]![1]).toBe('Begrüßung 你好');
      expect(rows[1]![4]).toBe(MULTILINE);
      expect(rows[1]![5]).toBe('Line 1\nLine 2');
      const [line] = await ndjson(account, `${filters}&element=Text`);
      expect(line.oldValue).toBe(MULTILINE);
    });

    it('cuts xlsx cells at 32,767 characters with a mark; CSV and NDJSON keep it all', async () => {
      const filters = 'element=Signature';
      const { rows } = await xlsx(account, filters);
      const cell = rows[1]![5] as string;
      expect(cell).toHaveLength(32_767);
      expect(cell.endsWith('… [truncated]')).toBe(true);
      expect((await csv(account, filters))[1]![5]).toBe(LONG);
      expect((await ndjson(account, filters))[0].newValue).toBe(LONG);
    });
  });

  it('opens as a finished sheet: frozen bold header, widths, autofilter', async () => {
    const { sheet } = await xlsx(account, '');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:M${(await apiEvents(account, '')).length + 1}`);
    expect(sheet.getColumn(5).width).toBe(40);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('A2').font?.bold).toBeFalsy();
  });

  describe('input and access', () => {
    it('refuses a bad format and parameters the export does not take', async () => {
      for (const [query, path] of [
        ['format=pdf', 'query.format'],
        ['limit=5', ''],
        ['cursor=abc', ''],
        ['objectType=robot', 'query.objectType'],
        ['from=2026-10-01&to=2026-09-01', 'query.from'],
      ] as const) {
        const res = await call(`/v1/accounts/${account.id}/events/export?${query}`, { token: account.exporter });
        expect(res.status, query).toBe(400);
        if (path) expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
    });

    it('needs a token with audit:export on this account', async () => {
      const path = `/v1/accounts/${account.id}/events/export?format=csv`;
      expect((await call(path)).status).toBe(401);
      expect((await call(path, { token: 'not-a-token' })).status).toBe(401);
      const reader = await call(path, { token: account.reader });
      expect(reader.status).toBe(403);
      expect(reader.json.detail).toContain('audit:export');
      expect((await call(path, { token: account.admin })).status).toBe(403);
      const other = await newAccount();
      expect((await call(path, { token: other.exporter })).status).toBe(404);
      const both = await account.token(['audit:read', 'audit:export']);
      expect((await call(path, { token: both })).status).toBe(200);
    });
  });

  it('is in the OpenAPI document with its problems and content types', async () => {
    const doc = await call('/openapi.json');
    const operation = doc.json.paths['/v1/accounts/{accountId}/events/export'].get;
    expect(operation.operationId).toBe('exportEvents');
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404', '422', '429', '503']);
    expect(Object.keys(operation.responses['200'].content)).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv; charset=utf-8; header=present',
      'application/x-ndjson; charset=utf-8',
    ]);
    expect(operation.responses['422'].content['application/problem+json']).toBeDefined();
    const names = operation.parameters.map((p: { name: string }) => p.name);
    for (const name of ['accountId', 'format', 'tz', 'objectType', 'objectId', 'action', 'element', 'originatorId', 'q', 'from', 'to'])
      expect(names).toContain(name);
    expect(names).not.toContain('cursor');
  });
});
