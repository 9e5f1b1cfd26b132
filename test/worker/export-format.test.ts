// The export's pieces on their own: cell values, CSV and XML encoding, time zones, page
// sizes, the pull-driven stream, file names, and the query plan of a page.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type AuditEventRow } from '../../drizzle/schema';
import { ACTION_LABELS, LIST_LABELS, OBJECT_TYPE_LABELS, REDACTED_LABEL } from '../../shared/vocabulary';
import { xlsxTooLarge } from '../../worker/export/cap';
import { domainProblem } from '../../worker/http/problem';
import { exportCells, valueCells } from '../../worker/export/columns';
import { csvField, csvLine } from '../../worker/export/csv-writer';
import { exportFilename } from '../../worker/export/download';
import { PAGE_SIZES, nextPageSize, pageQuery } from '../../worker/export/row-source';
import { exportStream, type ExportWriter } from '../../worker/export/stream';
import { TRUNCATION_MARK } from '../../worker/domain/truncate';
import { EXCEL_CELL_CHARS, cellText, sheetRow, xmlText } from '../../worker/export/xlsx-sheet';
import { zoneClock } from '../../worker/export/zone-clock';

const row = (overrides: Partial<AuditEventRow> = {}): AuditEventRow => ({
  id: '01J',
  accountId: 'a',
  seq: 1,
  changeId: 'c-1',
  objectType: 'user',
  objectId: '4711',
  objectName: 'Jane Doe',
  action: 'edit',
  element: 'Member of',
  valueType: 'text',
  oldValue: 'Tier 1',
  newValue: 'Tier 2',
  redacted: false,
  occurredAt: Date.parse('2026-11-26T09:15:00Z'),
  recordedAt: Date.parse('2026-11-26T09:15:01Z'),
  originatorId: '17',
  originatorName: 'Admin Amy',
  source: 'api',
  prevHash: '0'.repeat(64),
  hash: 'f'.repeat(64),
  ...overrides,
});

describe('cell values', () => {
  it('labels object types, actions, secrets and lists with the vocabulary the extension shows', () => {
    const text = (cells: unknown[], i: number) => (cells[i] as { text: string } | undefined)?.text;
    const added = exportCells(row({ action: 'add', objectType: 'agentGroup' }));
    expect([text(added, 0), text(added, 2)]).toEqual([OBJECT_TYPE_LABELS.agentGroup, ACTION_LABELS.add]);
    expect(text(added, 2)).toBe('Add new');
    expect(valueCells(row({ redacted: true, oldValue: null, newValue: null }))[1]).toEqual({ kind: 'text', text: REDACTED_LABEL });
    expect(valueCells(row({ valueType: 'list', oldValue: '["a"]', newValue: '["b"]' }))).toEqual([
      { kind: 'text', text: `${LIST_LABELS.removed}: a` },
      { kind: 'text', text: `${LIST_LABELS.added}: b` },
    ]);
  });

  it('shows lists as removed (old) and added (new) items', () => {
    expect(valueCells(row({ valueType: 'list', oldValue: '["Sales (12)"]', newValue: '["Support (14)","VIP (3)"]' }))).toEqual([
      { kind: 'text', text: 'removed: Sales (12)' },
      { kind: 'text', text: 'added: Support (14), VIP (3)' },
    ]);
    expect(valueCells(row({ valueType: 'list', oldValue: '[]', newValue: '["a"]' }))).toEqual([
      undefined,
      { kind: 'text', text: 'added: a' },
    ]);
  });

  it('shows a secret as "(changed)" and nothing else', () => {
    expect(valueCells(row({ redacted: true, oldValue: null, newValue: null }))).toEqual([undefined, { kind: 'text', text: '(changed)' }]);
  });

  it('keeps numbers and booleans typed, and long numbers as text', () => {
    expect(valueCells(row({ valueType: 'number', oldValue: '3', newValue: '-2.5' }))).toEqual([
      { kind: 'number', value: 3, text: '3' },
      { kind: 'number', value: -2.5, text: '-2.5' },
    ]);
    expect(valueCells(row({ valueType: 'number', oldValue: '1234567890123456', newValue: null }))).toEqual([
      { kind: 'text', text: '1234567890123456' },
      undefined,
    ]);
    expect(valueCells(row({ valueType: 'boolean', oldValue: 'false', newValue: 'true' }))).toEqual([
      { kind: 'boolean', value: false },
      { kind: 'boolean', value: true },
    ]);
  });

  it('labels object types and actions as the reference page does', () => {
    const cells = exportCells(row({ objectType: 'agentGroup', action: 'delete' }));
    expect(cells.slice(0, 4)).toEqual([
      { kind: 'text', text: 'Agent group' },
      { kind: 'text', text: 'Jane Doe' },
      { kind: 'text', text: 'Delete' },
      { kind: 'text', text: 'Member of' },
    ]);
    expect(cells).toHaveLength(13);
    expect(cells[10]).toEqual({ kind: 'text', text: 'API' });
    expect(exportCells(row({ source: 'liveperson' }))[10]).toEqual({ kind: 'text', text: 'LivePerson' });
  });
});

describe('readable value columns', () => {
  it('say the values as the screen does where that differs from the stored value, else stay empty', () => {
    const readable = (overrides: Partial<AuditEventRow>) => exportCells(row(overrides)).slice(11);
    expect(
      readable({ objectType: 'skill', element: 'SLA default response time', valueType: 'number', oldValue: '3600', newValue: '1800' }),
    ).toEqual([
      { kind: 'text', text: '1 h' },
      { kind: 'text', text: '30 min' },
    ]);
    // The value columns keep the number itself, for sums and filters.
    expect(
      exportCells(
        row({ objectType: 'skill', element: 'SLA default response time', valueType: 'number', oldValue: '3600', newValue: '1800' }),
      )[4],
    ).toEqual({
      kind: 'number',
      value: 3600,
      text: '3600',
    });
    expect(readable({ element: 'User type', valueType: 'number', oldValue: '1', newValue: '2' })).toEqual([
      { kind: 'text', text: 'Human' },
      { kind: 'text', text: 'Bot' },
    ]);
    expect(readable({ element: 'API user', valueType: 'boolean', oldValue: 'false', newValue: 'true' })).toEqual([
      { kind: 'text', text: 'No' },
      { kind: 'text', text: 'Yes' },
    ]);
    expect(readable({ element: 'Member of', oldValue: 'Tier 1 (2101)', newValue: null })).toEqual([
      { kind: 'text', text: 'Tier 1' },
      undefined,
    ]);
    expect(readable({ element: 'Skills', valueType: 'list', oldValue: '[]', newValue: '["Billing (3101)","3999"]' })).toEqual([
      undefined,
      { kind: 'text', text: `${LIST_LABELS.added}: Billing, 3999` },
    ]);
    expect(readable({ element: 'Nickname', oldValue: 'Jo', newValue: 'Jojo' })).toEqual([undefined, undefined]);
    expect(readable({ element: 'Password', redacted: true, oldValue: null, newValue: null })).toEqual([undefined, undefined]);
  });
});

describe('CSV encoding', () => {
  it('guards every formula-like start (OWASP) but not plain numbers', () => {
    for (const value of ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1']) expect(csvField(value).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField('-5')).toBe('-5');
    expect(csvField('+3.5e2')).toBe('+3.5e2');
    expect(csvField('Tier 2')).toBe('Tier 2');
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line 1\r\nline 2')).toBe('"line 1\r\nline 2"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvLine(['a', '', 'b'])).toBe('a,,b\r\n');
  });
});

describe('xlsx cells', () => {
  it('escapes markup, control characters and literal _xHHHH_ escapes', () => {
    expect(xmlText('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(xmlText('a\u0001b\u001fc')).toBe('a_x0001_b_x001F_c');
    expect(xmlText('x\r\ny')).toBe('x&#13;\ny');
    expect(xmlText('_x0041_')).toBe('_x005F_x0041_');
  });

  it('cuts text at 32,767 characters with a mark, never inside a surrogate pair', () => {
    const long = 'a'.repeat(40_000);
    const cut = cellText(long);
    expect(cut).toHaveLength(EXCEL_CELL_CHARS);
    expect(cut.endsWith(TRUNCATION_MARK)).toBe(true);
    const emoji = 'a' + '😀'.repeat(20_000);
    expect(cellText(emoji).length).toBeLessThanOrEqual(EXCEL_CELL_CHARS);
    expect(cellText(emoji)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(cellText('short')).toBe('short');
  });

  it('writes values as inline strings, numbers, booleans and styled dates, never formulas', () => {
    const clock = zoneClock('UTC')!;
    const xml = sheetRow(2, exportCells(row({ valueType: 'number', oldValue: '3', newValue: '4', objectName: '=cmd|calc' })), clock);
    expect(xml).not.toContain('<f>');
    expect(xml).toContain('<c r="B2" t="inlineStr"><is><t>=cmd|calc</t></is></c>');
    expect(xml).toContain('<c r="E2"><v>3</v></c>');
    expect(xml).toContain('<c r="G2" s="2"><v>');
    expect(sheetRow(3, exportCells(row({ valueType: 'boolean', oldValue: 'true', newValue: 'false' })), clock)).toContain(
      '<c r="E3" t="b"><v>1</v></c>',
    );
  });
});

describe('time zones', () => {
  it('knows IANA names, canonically spelled, and refuses others', () => {
    expect(zoneClock('europe/berlin')?.zone).toBe('Europe/Berlin');
    expect(zoneClock('Mars/Olympus')).toBeUndefined();
  });

  it('follows daylight saving time, also across the hour of the switch', () => {
    const berlin = zoneClock('Europe/Berlin')!;
    expect(berlin.iso(Date.parse('2026-03-29T00:59:59Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(berlin.iso(Date.parse('2026-03-29T01:00:00Z'))).toBe('2026-03-29T03:00:00+02:00');
    expect(berlin.iso(Date.parse('2026-10-25T00:30:00Z'))).toBe('2026-10-25T02:30:00+02:00');
    expect(berlin.iso(Date.parse('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
    expect(berlin.iso(Date.parse('2026-07-01T12:00:00.250Z'))).toBe('2026-07-01T14:00:00.250+02:00');
    expect(zoneClock('Asia/Kathmandu')!.iso(Date.parse('2026-01-01T00:00:00Z'))).toBe('2026-01-01T05:45:00+05:45');
    expect(zoneClock('America/New_York')!.iso(Date.parse('2026-01-01T00:00:00Z'))).toBe('2025-12-31T19:00:00-05:00');
    expect(zoneClock('UTC')!.iso(Date.parse('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00+00:00');
  });

  it('gives Excel serials of the wall time, to the second', () => {
    const berlin = zoneClock('Europe/Berlin')!;
    // 2026-07-01 14:00 wall time: 46204 days after 1899-12-30, plus 14/24.
    expect(berlin.excelSerial(Date.parse('2026-07-01T12:00:00.900Z'))).toBeCloseTo(46204 + 14 / 24, 9);
    expect(zoneClock('UTC')!.excelSerial(Date.parse('1970-01-01T00:00:00Z'))).toBe(25569);
  });
});

describe('pages and streaming', () => {
  it('sizes pages by the largest row seen, within bounds', () => {
    expect(nextPageSize(500)).toBe(PAGE_SIZES.max);
    expect(nextPageSize(131_072 + 400)).toBeGreaterThanOrEqual(PAGE_SIZES.min);
    expect(nextPageSize(131_072 + 400) * (131_072 + 400)).toBeLessThanOrEqual(4_000_000);
  });

  it('reads a page only when the reader asks for more', async () => {
    let pagesRead = 0;
    async function* pages() {
      for (let i = 0; i < 10; i++) {
        pagesRead++;
        yield [row({ seq: i })];
      }
    }
    const writer = (emit: (chunk: Uint8Array) => void): ExportWriter => ({
      start: () => emit(new TextEncoder().encode('head\n')),
      rows: (rows) => emit(new TextEncoder().encode(rows.map((r) => r.seq).join('\n') + '\n')),
      end: () => emit(new TextEncoder().encode('tail\n')),
    });
    const reader = exportStream(pages(), writer).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('head\n');
    await new Promise((resolve) => setTimeout(resolve, 10));
    // At most one page read ahead of what was taken.
    expect(pagesRead).toBeLessThanOrEqual(1);
    expect(decoder.decode((await reader.read()).value)).toBe('0\n');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pagesRead).toBeLessThanOrEqual(2);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pagesRead).toBeLessThanOrEqual(2);
  });

  it('reads pages in index order, without sorting, whatever the filter', async () => {
    const filter = { accountId: 'a', notBefore: 0 };
    const plans = [
      { ...filter },
      { ...filter, objectTypes: ['user' as const], objectId: '4711' },
      { ...filter, originatorId: '17', from: 1, to: 2 },
    ];
    for (const f of plans) {
      const { sql, params } = pageQuery(env.DB, { filter: f, maxSeq: 10 }, { occurredAt: 5, seq: 3 }, 100).toSQL();
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      const plan = results.map((r) => r.detail).join('\n');
      expect(plan).toMatch(/USING INDEX audit_events_(account|object|originator)_time/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(plan).not.toMatch(/audit_events_account_seq/);
    }
    // order=seq (the whole chain, for verification) walks the (account, seq) index.
    const { sql, params } = pageQuery(env.DB, { filter, maxSeq: 10, order: 'seq' }, { occurredAt: 5, seq: 3 }, 100).toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join('\n');
    expect(plan).toMatch(/USING INDEX audit_events_account_seq/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});

describe('downloads', () => {
  it('names files by account, range and format', () => {
    const berlin = zoneClock('Europe/Berlin')!;
    expect(exportFilename('acme', {}, berlin, 'xlsx')).toBe('audit-trail_acme_all.xlsx');
    expect(exportFilename('acme', { from: '2026-01-01', to: '2026-01-31' }, berlin, 'csv')).toBe(
      'audit-trail_acme_2026-01-01_2026-01-31.csv',
    );
    expect(exportFilename('a/b"c_d', { from: '2026-01-01T23:30:00Z' }, berlin, 'ndjson')).toBe('audit-trail_a-b-c-d_2026-01-02_now.ndjson');
  });

  it('says how many matched and what to do instead', () => {
    const problem = domainProblem(xlsxTooLarge(123_456))!;
    expect(problem.status).toBe(422);
    expect(problem.detail).toMatch(/123,456 events match/);
    expect(problem.detail).toMatch(/format=csv/);
    expect(problem.detail).toMatch(/time range/);
    expect(domainProblem(xlsxTooLarge(10_000_001))!.detail).toMatch(/^More than 10,000,000 events match/);
  });
});
