// How events read: values (lists as added/removed, secrets as "changed"), dates in the
// admin's time zone, and events grouped into the changes they came from.
import { LIST_LABELS, REDACTED_LABEL, type AuditEvent } from './vocabulary';

/** One change as the panel shows it: who, when, what, and each element's old → new. */
export interface ChangeGroup {
  changeId: string;
  occurredAt: string;
  action: AuditEvent['action'];
  originator: AuditEvent['originator'];
  objectType: AuditEvent['objectType'];
  objectId: string;
  objectName: string;
  events: AuditEvent[];
}

/** Consecutive events of the same change (the API returns them newest first, a change's rows together). */
export function groupByChange(events: readonly AuditEvent[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  for (const event of events) {
    const last = groups[groups.length - 1];
    if (last && last.changeId === event.changeId && last.objectId === event.objectId && last.objectType === event.objectType) {
      last.events.push(event);
      continue;
    }
    groups.push({
      changeId: event.changeId,
      occurredAt: event.occurredAt,
      action: event.action,
      originator: event.originator,
      objectType: event.objectType,
      objectId: event.objectId,
      objectName: event.objectName,
      events: [event],
    });
  }
  return groups;
}

/** Adds a page to what is shown, dropping events already there (a page boundary may repeat none, but be safe). */
export function appendPage(shown: readonly AuditEvent[], page: readonly AuditEvent[]): AuditEvent[] {
  const seen = new Set(shown.map((event) => event.id));
  return [...shown, ...page.filter((event) => !seen.has(event.id))];
}

export function formatDateTime(iso: string, timeZone?: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether the runtime knows `zone` as an IANA time zone (the API checks the same way). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zones a picker offers: the ones that matter first (account's, this browser's, UTC), then every zone the browser knows. */
export function timeZoneChoices(first: readonly string[]): string[] {
  const intl = Intl as { supportedValuesOf?: (key: 'timeZone') => string[] };
  const all = intl.supportedValuesOf?.('timeZone') ?? [];
  return [...new Set([...first, 'UTC', ...all])];
}

function parseList(text: string | null): string[] {
  if (text === null || text === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  } catch {
    // not JSON: show as one item
  }
  return [text];
}

/** What one event's values say, ready to render. */
export type ValueView =
  | { kind: 'redacted' }
  | { kind: 'list'; added: string[]; removed: string[] }
  | { kind: 'scalar'; oldValue: string | null; newValue: string | null };

export function valueView(event: Pick<AuditEvent, 'redacted' | 'valueType' | 'oldValue' | 'newValue'>): ValueView {
  if (event.redacted) return { kind: 'redacted' };
  if (event.valueType === 'list') return { kind: 'list', removed: parseList(event.oldValue), added: parseList(event.newValue) };
  return { kind: 'scalar', oldValue: event.oldValue, newValue: event.newValue };
}

/** One line of text for a value view (tables, titles, tests). */
export function valueText(view: ValueView): string {
  switch (view.kind) {
    case 'redacted':
      return REDACTED_LABEL;
    case 'list': {
      const parts = [];
      if (view.added.length) parts.push(`${LIST_LABELS.added}: ${view.added.join(', ')}`);
      if (view.removed.length) parts.push(`${LIST_LABELS.removed}: ${view.removed.join(', ')}`);
      return parts.join('; ') || 'no change';
    }
    case 'scalar':
      return `${view.oldValue ?? '(empty)'} → ${view.newValue ?? '(empty)'}`;
  }
}

/** A cell of the full table: old or new value alone, worded as the exported files word it. */
export function cellValue(event: AuditEvent, side: 'old' | 'new'): string {
  const view = valueView(event);
  if (view.kind === 'redacted') return side === 'new' ? REDACTED_LABEL : '';
  if (view.kind === 'list') {
    const items = side === 'old' ? view.removed : view.added;
    return items.length ? `${LIST_LABELS[side === 'old' ? 'removed' : 'added']}: ${items.join(', ')}` : '';
  }
  return (side === 'old' ? view.oldValue : view.newValue) ?? '';
}
