// The worksheet as XML text, piece by piece so it can be streamed: the head (frozen header
// row, column widths), one <row> per event, the tail (autofilter). Every value is a
// string, number, boolean or date cell: never a formula, whatever the text says.
import { truncate } from '../domain/truncate';
import type { Cell, Column } from './columns';
import { COLUMN_LETTERS, LAST_COLUMN, MAIN_NS, XLSX_STYLE, XML_DECL } from './xlsx-parts';
import type { ZoneClock } from './zone-clock';

/** Excel's limit for the text of one cell; longer text makes it refuse the file. */
export const EXCEL_CELL_CHARS = 32_767;

/** Text cut to what a cell holds, saying so at its end. */
export const cellText = (text: string): string => truncate(text, EXCEL_CELL_CHARS);

// Besides markup, XML 1.0 cannot carry most control characters, and a bare CR would be read
// back as LF; SpreadsheetML spells such characters _xHHHH_, so a literal "_x0041_" in user
// text has to be escaped too (as _x005F_x0041_) or Excel would show "A".
// eslint-disable-next-line no-control-regex -- these control characters are the ones to escape
const XML_SPECIAL = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

export function xmlText(text: string): string {
  return text.replace(XML_SPECIAL, (match) => {
    if (match.length > 1) return '_x005F' + match;
    return ENTITIES[match] ?? `_x${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`;
  });
}

const NEEDS_PRESERVE = /^\s|\s$|[\n\t]/;

function cellXml(ref: string, cell: Cell, clock: ZoneClock): string {
  if (cell === undefined) return '';
  switch (cell.kind) {
    case 'text': {
      const text = cellText(cell.text);
      const space = NEEDS_PRESERVE.test(text) ? ' xml:space="preserve"' : '';
      return `<c r="${ref}" t="inlineStr"><is><t${space}>${xmlText(text)}</t></is></c>`;
    }
    case 'number':
      return `<c r="${ref}"><v>${cell.value}</v></c>`;
    case 'boolean':
      return `<c r="${ref}" t="b"><v>${cell.value ? 1 : 0}</v></c>`;
    case 'date':
      return `<c r="${ref}" s="${XLSX_STYLE.date}"><v>${clock.excelSerial(cell.at)}</v></c>`;
  }
}

/** `lastRow`: the 1-based number of the last row, header included. */
export function sheetHead(columns: Column[], lastRow: number): string {
  const widths = columns.map((column, i) => `<col min="${i + 1}" max="${i + 1}" width="${column.width}" customWidth="1"/>`).join('');
  return (
    XML_DECL +
    `<worksheet xmlns="${MAIN_NS}">` +
    `<dimension ref="A1:${LAST_COLUMN}${lastRow}"/>` +
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">' +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' +
    '</sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    `<cols>${widths}</cols>` +
    '<sheetData>' +
    headerRow(columns)
  );
}

function headerRow(columns: Column[]): string {
  const cells = columns.map(
    (column, i) => `<c r="${COLUMN_LETTERS[i]}1" t="inlineStr" s="${XLSX_STYLE.header}"><is><t>${xmlText(column.header)}</t></is></c>`,
  );
  return `<row r="1">${cells.join('')}</row>`;
}

export function sheetRow(rowNumber: number, cells: Cell[], clock: ZoneClock): string {
  let xml = `<row r="${rowNumber}">`;
  for (let i = 0; i < cells.length; i++) xml += cellXml(COLUMN_LETTERS[i]! + rowNumber, cells[i], clock);
  return xml + '</row>';
}

export function sheetTail(lastRow: number): string {
  return `</sheetData><autoFilter ref="A1:${LAST_COLUMN}${lastRow}"/></worksheet>`;
}
