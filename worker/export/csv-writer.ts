// CSV as RFC 4180 says (comma, CRLF, quoted fields with doubled quotes, newlines kept
// inside quotes), with a UTF-8 BOM so Excel reads accents right, and OWASP's guard against
// CSV injection: a field a spreadsheet would start evaluating gets a leading apostrophe.
import { exportCells, type Cell, type Column } from './columns';
import type { Emit, ExportWriter } from './stream';
import type { ZoneClock } from './zone-clock';

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
// A bare number cannot run anything; guarding it would turn -5 into the text '-5.
const INERT_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: guarded, then quoted if it holds a comma, quote or line break. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) && !INERT_NUMBER.test(value) ? "'" + value : value;
  return NEEDS_QUOTES.test(safe) ? '"' + safe.replaceAll('"', '""') + '"' : safe;
}

export function csvCellText(cell: Cell, clock: ZoneClock): string {
  if (cell === undefined) return '';
  switch (cell.kind) {
    case 'text':
      return cell.text;
    case 'number':
      return cell.text;
    case 'boolean':
      // What Excel shows for a boolean cell, so both formats read the same.
      return cell.value ? 'TRUE' : 'FALSE';
    case 'date':
      return clock.iso(cell.at);
  }
}

export const csvLine = (fields: string[]) => fields.map(csvField).join(',') + '\r\n';

export function csvWriter(emit: Emit, columns: Column[], clock: ZoneClock): ExportWriter {
  const encoder = new TextEncoder();
  return {
    start() {
      emit(encoder.encode(BOM + csvLine(columns.map((column) => column.header))));
    },
    rows(rows) {
      let text = '';
      for (const row of rows) text += csvLine(exportCells(row).map((cell) => csvCellText(cell, clock)));
      emit(encoder.encode(text));
    },
    end() {},
  };
}
