// CSV exports read back with a well-kept parser (csv-parse), strictly: RFC 4180 records
// ending in CRLF, quotes only around whole fields, every record as wide as the header.
import { parse } from 'csv-parse/sync';

export function parseCsv(text: string): string[][] {
  if (text && !text.endsWith('\r\n')) throw new Error('the last record does not end with CRLF');
  // A line break outside quotes ends a record, so a field the writer forgot to quote shows
  // up as a record of the wrong width, which csv-parse refuses.
  return parse(text, { record_delimiter: ['\r\n', '\n', '\r'], relax_quotes: false, relax_column_count: false });
}
