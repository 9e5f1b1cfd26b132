// How an event's values read: lists as added/removed, secrets as "changed", worded as the
// exported files word them (the labels come from the shared vocabulary).
import { LIST_LABELS, REDACTED_LABEL } from '../../shared/vocabulary';
import type { AuditEvent } from '../api/types';

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
