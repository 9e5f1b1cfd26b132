// Why the xlsx export of issue 11 on is 1.14× the time of ac540b0's: it writes an 11th column
// (Source). This times the xlsx writer's own work — cells → sheet XML → deflate into the zip, as
// worker/export/xlsx-writer.ts does it page by page — on the same 100,000 rows with the first 10
// cells of each row and with 11 (the two readable value columns added later are left out), alternating, in one process.
// Run: npx tsx test/bench/probe/xlsx-columns.ts
import { Zip, ZipDeflate } from 'fflate';
import type { AuditEventRow } from '../../../drizzle/schema';
import { exportCells } from '../../../worker/export/columns';
import { sheetRow } from '../../../worker/export/xlsx-sheet';
import { zoneClock } from '../../../worker/export/zone-clock';

const ROWS = 100_000;
const PAGE = 2_000;
const ELEMENTS = [
  ['Skills', 'list', '["Sales"]', '["Support"]'],
  ['Nickname', 'text', 'Old nickname', 'New nickname'],
  ['Max chats', 'number', '3', '4'],
  ['Enabled', 'boolean', 'true', 'false'],
] as const;

const rows: AuditEventRow[] = Array.from({ length: ROWS }, (_, i) => {
  const [element, valueType, oldValue, newValue] = ELEMENTS[i % ELEMENTS.length]!;
  return {
    id: `e${i}`,
    accountId: 'bench',
    seq: i + 1,
    changeId: `change-${i >> 1}-0123456789`,
    objectType: 'user',
    objectId: String(4_000_000_000 + (i % 5_000)),
    objectName: `Agent ${i % 5_000}`,
    action: 'edit',
    element,
    valueType,
    oldValue: `${oldValue}`,
    newValue: `${newValue}`,
    redacted: false,
    occurredAt: 1_764_000_000_000 + i * 60_000,
    recordedAt: 1_764_000_000_000 + i * 60_000,
    originatorId: 'admin-1',
    originatorName: 'Jane Admin',
    source: 'api',
    prevHash: '',
    hash: '',
  } as AuditEventRow;
});
const clock = zoneClock('Europe/Berlin')!;
const encoder = new TextEncoder();

function exportOnce(cells: number): { ms: number; sheetBytes: number } {
  let sheetBytes = 0;
  const started = performance.now();
  const zip = new Zip(() => {});
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 1 });
  zip.add(sheet);
  for (let first = 0; first < ROWS; first += PAGE) {
    let xml = '';
    for (let i = first; i < first + PAGE; i++) xml += sheetRow(i + 2, exportCells(rows[i]!).slice(0, cells), clock);
    const bytes = encoder.encode(xml);
    sheetBytes += bytes.byteLength;
    sheet.push(bytes, first + PAGE >= ROWS);
  }
  zip.end();
  return { ms: performance.now() - started, sheetBytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
for (let warm = 0; warm < 2; warm++) for (const cells of [10, 11]) exportOnce(cells);
const times: Record<number, number[]> = { 10: [], 11: [] };
const bytes: Record<number, number> = {};
for (let round = 0; round < 9; round++)
  for (const cells of round % 2 ? [10, 11] : [11, 10]) {
    const { ms, sheetBytes } = exportOnce(cells);
    times[cells]!.push(ms);
    bytes[cells] = sheetBytes;
  }
for (const cells of [10, 11])
  console.log(`${cells} columns: median ${median(times[cells]!).toFixed(0)} ms, sheet XML ${bytes[cells]} bytes`);
console.log(
  `11 / 10 columns: time ${(median(times[11]!) / median(times[10]!)).toFixed(2)}×, sheet XML ${(bytes[11]! / bytes[10]!).toFixed(2)}×`,
);
