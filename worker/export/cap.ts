// The reference page's Excel cap: at most 100,000 rows. More is refused before the first
// byte, with the number that matched and the ways to get them all; the streaming formats
// and the paged API have no cap.
import { Problem } from '../http/problem';

export const XLSX_MAX_ROWS = 100_000;
/** Counting stops just past this: beyond it the exact number helps no one, and the count stays cheap. */
export const COUNT_CEILING = 10_000_000;

const number = (n: number) => n.toLocaleString('en-US');

export function xlsxTooLarge(matched: number): Problem {
  const howMany = matched > COUNT_CEILING ? `more than ${number(COUNT_CEILING)}` : number(matched);
  return new Problem(
    422,
    'export-too-large',
    `${howMany.replace(/^m/, 'M')} events match these filters, but an Excel export holds at most ${number(XLSX_MAX_ROWS)} rows. ` +
      'Narrow the time range (from, to) or the filters, or export them all with format=csv or format=ndjson, ' +
      'or read them through the paged API (GET .../events): those have no cap.',
    [{ path: 'query.format', message: `xlsx holds at most ${number(XLSX_MAX_ROWS)} rows; ${howMany} match` }],
  );
}
