// What a download is called and how it is labelled: content type and file name per format.
import type { ExportFormat } from '../../shared/vocabulary';
import type { ZoneClock } from './zone-clock';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** audit-trail_<account>_<from>_<to>.<format>, or audit-trail_<account>_all.<format> without a
 *  range. Date-times are shown as their day in the export's time zone; an open end is
 *  "start" or "now". Only characters every file system and header accepts survive. */
export function exportFilename(accountId: string, range: { from?: string; to?: string }, clock: ZoneClock, format: ExportFormat) {
  const day = (value: string) => (BARE_DATE.test(value) ? value : clock.iso(Date.parse(value)).slice(0, 10));
  const span =
    range.from === undefined && range.to === undefined
      ? 'all'
      : `${range.from === undefined ? 'start' : day(range.from)}_${range.to === undefined ? 'now' : day(range.to)}`;
  const account = accountId.replace(/[^A-Za-z0-9.-]+/g, '-');
  return `audit-trail_${account}_${span}.${format}`;
}

export function downloadHeaders(format: ExportFormat, filename: string): Record<string, string> {
  return {
    'Content-Type': CONTENT_TYPES[format],
    'Content-Disposition': `attachment; filename="${filename}"`,
    // Audit data: never kept by shared caches or browsers' caches.
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}
