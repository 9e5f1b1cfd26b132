// Reading LivePerson's Audit Trail export as it streams in: csv-parse's web TransformStream
// (records as they arrive, never the whole body in memory), then the export's three blocks —
// "Search Criteria" (a header and a row), "Total Items" (a count), "Results" (a header and one
// row per changed element). Result columns are found by their names, not their positions.
// An export whose Results hold fewer or more rows than its Total Items was cut off: an error,
// so the day is fetched again rather than half-imported as if whole.
import { Buffer } from 'node:buffer';
import { parse } from 'csv-parse/stream';
import { LivePersonError } from './client';
import type { LivePersonRow } from './mapping';

const COLUMNS: Record<keyof LivePersonRow, string> = {
  objectType: 'Object type',
  objectId: 'Object ID',
  objectName: 'Object name',
  actionType: 'Action type',
  element: 'Element',
  oldValue: 'Old value',
  newValue: 'New value',
  dateAndTime: 'Date and time',
  originator: 'Originator',
  originatorEmployeeId: 'Originator Employee ID',
  originatorProfiles: 'Originator Profiles',
};
const REQUIRED: (keyof LivePersonRow)[] = ['objectType', 'objectId', 'actionType', 'element', 'dateAndTime'];

const unreadable = (why: string) => new LivePersonError('rejected', `LivePerson's Audit Trail export could not be read: ${why}`, '');
const label = (text: string) => text.trim().toLowerCase();

/** The Results rows of an export, in order, as they stream in. */
export async function* exportRows(body: ReadableStream<Uint8Array>): AsyncGenerator<LivePersonRow> {
  // csv-parse reads bytes as Buffers (it decodes UTF-8 itself, also across chunk boundaries).
  const asBuffers = new TransformStream<Uint8Array, Buffer>({
    transform: (chunk, controller) => controller.enqueue(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
  });
  const records = body
    .pipeThrough(asBuffers)
    .pipeThrough(
      parse({ bom: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false }) as unknown as TransformStream<
        Buffer,
        string[]
      >,
    );
  let block: 'start' | 'criteria' | 'total' | 'results' = 'start';
  let total: number | undefined;
  let index: Map<keyof LivePersonRow, number> | undefined;
  let rows = 0;
  const reader = records.getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<string[]>;
      try {
        next = await reader.read();
      } catch (error) {
        if (error instanceof LivePersonError) throw error;
        throw unreadable(error instanceof Error && error.name === 'CsvError' ? error.message : 'the answer broke off');
      }
      if (next.done) break;
      const record = next.value;
      const first = label(record[0] ?? '');
      if (block !== 'results' || index) {
        if (record.length === 1 && first === 'search criteria') {
          block = 'criteria';
          continue;
        }
        if (record.length === 1 && first === 'total items') {
          block = 'total';
          continue;
        }
        if (record.length === 1 && first === 'results' && block !== 'results') {
          block = 'results';
          continue;
        }
      }
      if (block === 'total' && total === undefined) {
        total = Number(record[0]?.replace(/[,\s]/g, ''));
        if (!Number.isSafeInteger(total) || total < 0) throw unreadable(`"Total Items" is ${JSON.stringify(record[0])}`);
        continue;
      }
      if (block !== 'results') continue;
      if (!index) {
        const found = new Map<string, number>(record.map((name, i) => [label(name), i]));
        index = new Map((Object.keys(COLUMNS) as (keyof LivePersonRow)[]).map((key) => [key, found.get(label(COLUMNS[key])) ?? -1]));
        const missing = REQUIRED.filter((key) => index!.get(key)! < 0);
        if (missing.length) throw unreadable(`the Results block lacks the columns ${missing.map((key) => COLUMNS[key]).join(', ')}`);
        continue;
      }
      rows++;
      const cell = (key: keyof LivePersonRow) => {
        const i = index!.get(key)!;
        return i < 0 ? '' : (record[i] ?? '');
      };
      yield {
        objectType: cell('objectType'),
        objectId: cell('objectId'),
        objectName: cell('objectName'),
        actionType: cell('actionType'),
        element: cell('element'),
        oldValue: cell('oldValue'),
        newValue: cell('newValue'),
        dateAndTime: cell('dateAndTime'),
        originator: cell('originator'),
        originatorEmployeeId: cell('originatorEmployeeId'),
        originatorProfiles: cell('originatorProfiles'),
      };
    }
  } finally {
    reader.releaseLock();
    await records.cancel().catch(() => {});
  }
  if (total === undefined) throw unreadable('it has no "Total Items" block');
  if (!index && total > 0) throw unreadable('it has no "Results" block');
  if (rows !== total) throw unreadable(`"Total Items" says ${total} but ${rows} rows arrived (the answer was cut off)`);
}
