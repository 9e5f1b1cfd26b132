// The xlsx file, streamed: fflate's streaming Zip with the fixed parts first and the
// worksheet deflated page by page behind them. Nothing holds the workbook; memory is one
// page of XML and deflate's window, which is how 100,000 rows fit a Worker's 128 MB
// (a library that builds the workbook in memory needed +485 MB; see docs/EXPORTS.md).
import { Zip, ZipDeflate } from 'fflate';
import { exportCells, type Column } from './columns';
import type { Emit, ExportWriter } from './stream';
import { SHEET_PATH, fixedParts } from './xlsx-parts';
import { sheetHead, sheetRow, sheetTail } from './xlsx-sheet';
import type { ZoneClock } from './zone-clock';

/** Deflate level: the sheet is repetitive XML, so level 1 already shrinks it ~10× and costs far less CPU than the default 6. */
const LEVEL = 1;
/** fflate writes no Zip64: a part past 4 GiB would be a corrupt file, so it is an error instead. */
const MAX_PART_BYTES = 0xffff_ffff;

/** `rowCount` is known before the first row (the cap needs the count anyway): the sheet's
 *  dimension and autofilter name it up front, and more rows than that are refused. */
export function xlsxWriter(emit: Emit, columns: Column[], clock: ZoneClock, rowCount: number): ExportWriter {
  const lastRow = rowCount + 1;
  const encoder = new TextEncoder();
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else emit(chunk);
  });
  const sheet = new ZipDeflate(SHEET_PATH, { level: LEVEL });
  let sheetBytes = 0;
  let rowNumber = 1;

  const pushSheet = (xml: string, final = false) => {
    const bytes = encoder.encode(xml);
    sheetBytes += bytes.byteLength;
    if (sheetBytes > MAX_PART_BYTES) throw new Error('xlsx worksheet larger than 4 GiB');
    sheet.push(bytes, final);
    if (failure) throw failure;
  };

  return {
    start() {
      for (const [path, xml] of fixedParts(lastRow)) {
        const part = new ZipDeflate(path, { level: LEVEL });
        zip.add(part);
        part.push(encoder.encode(xml), true);
      }
      zip.add(sheet);
      pushSheet(sheetHead(columns, lastRow));
    },
    rows(rows) {
      if (rowNumber + rows.length > lastRow) throw new Error(`xlsx export got more than the ${rowCount} rows it announced`);
      let xml = '';
      for (const row of rows) xml += sheetRow(++rowNumber, exportCells(row), clock);
      pushSheet(xml);
    },
    end() {
      pushSheet(sheetTail(lastRow), true);
      zip.end();
      if (failure) throw failure;
    },
  };
}
