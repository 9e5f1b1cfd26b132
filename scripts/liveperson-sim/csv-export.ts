// The export's CSV: three blocks as LivePerson documents them ("Search Criteria" — a header and
// one row; "Total Items" — a count; "Results" — one row per changed element), separated by a
// blank line, CRLF records, fields quoted per RFC 4180. Produced lazily, a few hundred rows per
// chunk, so a large day is never one string in memory.
import { OBJECT_TYPES } from './contract';
import { internalTypeName, type StoredRecord } from './records';

export const RESULT_COLUMNS = [
  'Object type',
  'Object ID',
  'Object name',
  'Action type',
  'Element',
  'Old value',
  'New value',
  'Date and time',
  'Originator',
  'Originator Employee ID',
  'Originator Profiles',
] as const;

export const SEARCH_CRITERIA_COLUMNS = ['From Date', 'To Date', 'Users', 'Component Types', 'Time Zone', 'Language'] as const;

export interface ExportCriteria {
  fromDate: string;
  toDate: string;
  users: readonly string[];
  /** Display names or internal names, as asked; empty = all. */
  componentTypes: readonly string[];
  timeZone: string;
  language: string;
}

const CRLF = '\r\n';
const ROWS_PER_CHUNK = 500;

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const csvLine = (fields: readonly string[]) => fields.map(csvField).join(',') + CRLF;

/** The CSV as chunks: `records` is iterated once, after `total` is known. */
export function* exportCsv(
  criteria: ExportCriteria,
  total: number,
  records: Iterable<StoredRecord>,
  wallTime: (epochMs: number) => string,
): Generator<string> {
  const componentTypes = criteria.componentTypes.length ? criteria.componentTypes.map(internalTypeName) : Object.values(OBJECT_TYPES);
  yield (
    'Search Criteria' +
    CRLF +
    csvLine(SEARCH_CRITERIA_COLUMNS) +
    csvLine([
      criteria.fromDate,
      criteria.toDate,
      criteria.users.length ? criteria.users.join(',') : 'All',
      componentTypes.join(','),
      criteria.timeZone,
      criteria.language,
    ]) +
    CRLF +
    'Total Items' +
    CRLF +
    `${total}${CRLF}` +
    CRLF +
    'Results' +
    CRLF +
    csvLine(RESULT_COLUMNS)
  );
  let chunk = '';
  let rows = 0;
  for (const r of records) {
    chunk += csvLine([
      r.objectType,
      r.objectId,
      r.objectName,
      r.actionType,
      r.element,
      r.oldValue,
      r.newValue,
      wallTime(r.at),
      r.originator,
      r.originatorEmployeeId,
      r.originatorProfiles,
    ]);
    if (++rows === ROWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      rows = 0;
    }
  }
  if (chunk) yield chunk;
}
