// What an exported file is called: what was exported (the element, or the filters and the
// range), so a folder of downloads tells one export from another.
import type { ExportFormat } from '../../shared/vocabulary';
import type { EventFilters } from '../api/types';

/** Characters every file system and the downloads API accept; runs of others become "-". */
const safe = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40);

/**
 * audit-trail_<account>_<what>_<range>.<format>, e.g.
 * audit-trail_12345678_user-4711-Jane-Doe_all.xlsx or
 * audit-trail_12345678_skill_delete_q-billing_2026-10-01_2026-10-31.csv.
 */
export function exportFileName(accountId: string, filters: EventFilters, format: ExportFormat, objectName?: string | null): string {
  const parts: string[] = [];
  const what = [
    filters.objectType?.map(safe).join('+'),
    filters.objectId && safe(filters.objectId),
    filters.objectId && objectName && safe(objectName),
  ];
  if (what.some(Boolean)) parts.push(what.filter(Boolean).join('-'));
  if (filters.action?.length) parts.push(filters.action.join('+'));
  if (filters.element) parts.push(`element-${safe(filters.element)}`);
  if (filters.originatorId) parts.push(`by-${safe(filters.originatorId)}`);
  if (filters.q) parts.push(`q-${safe(filters.q)}`);
  parts.push(
    filters.from || filters.to ? `${filters.from ? safe(filters.from) : 'start'}_${filters.to ? safe(filters.to) : 'now'}` : 'all',
  );
  return `audit-trail_${safe(accountId) || 'account'}_${parts.filter(Boolean).join('_')}.${format}`;
}
