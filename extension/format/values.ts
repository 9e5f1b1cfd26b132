// How an event's values read: lists as added/removed, secrets as "changed", numbers with their
// units, codes as their labels, yes/no, references by name (their ids one click away), long
// texts as a word diff, worded as the exported files word them (labels from shared/).
import { diffWords } from 'diff';
import { fieldDisplay, readableValue, splitReference } from '../../shared/field-display';
import { LIST_LABELS, REDACTED_LABEL } from '../../shared/vocabulary';
import type { AuditEvent } from '../api/types';

/** A text at least this long on either side is shown as a word diff rather than struck through in full. */
export const LONG_TEXT_CHARS = 40;

type ValueEvent = Pick<AuditEvent, 'redacted' | 'valueType' | 'oldValue' | 'newValue' | 'objectType' | 'element'>;

/** One value as shown: the readable text, the stored one (when it differs), and a reference's id. */
export interface ShownValue {
  text: string;
  raw: string;
  id?: string;
}

/** A piece of a word diff: kept, removed (old side only) or added (new side only). */
export interface DiffPart {
  text: string;
  change: 'same' | 'removed' | 'added';
}

/** What one event's values say, ready to render. */
export type ValueView =
  | { kind: 'redacted' }
  | { kind: 'list'; added: ShownValue[]; removed: ShownValue[] }
  | { kind: 'scalar'; oldValue: ShownValue | null; newValue: ShownValue | null }
  | { kind: 'words'; parts: DiffPart[] };

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

function shown(event: ValueEvent, raw: string, valueType: string = event.valueType): ShownValue {
  const text = readableValue(event.objectType, event.element, valueType, raw);
  const value: ShownValue = { text, raw };
  if (fieldDisplay(event.objectType, event.element)?.kind === 'ref') {
    const { id } = splitReference(raw);
    if (id !== text) value.id = id;
  }
  return value;
}

/** Word diff of two texts: what stayed, what went, what came. */
export function wordDiff(oldText: string, newText: string): DiffPart[] {
  return diffWords(oldText, newText).map((part) => ({
    text: part.value,
    change: part.added ? 'added' : part.removed ? 'removed' : 'same',
  }));
}

function isLongText(event: ValueEvent): boolean {
  if (event.valueType !== 'text' || event.oldValue === null || event.newValue === null) return false;
  if (fieldDisplay(event.objectType, event.element)) return false;
  return Math.max(event.oldValue.length, event.newValue.length) >= LONG_TEXT_CHARS;
}

export function valueView(event: ValueEvent): ValueView {
  if (event.redacted) return { kind: 'redacted' };
  if (event.valueType === 'list')
    return {
      kind: 'list',
      removed: parseList(event.oldValue).map((item) => shown(event, item, 'text')),
      added: parseList(event.newValue).map((item) => shown(event, item, 'text')),
    };
  if (isLongText(event)) return { kind: 'words', parts: wordDiff(event.oldValue!, event.newValue!) };
  return {
    kind: 'scalar',
    oldValue: event.oldValue === null ? null : shown(event, event.oldValue),
    newValue: event.newValue === null ? null : shown(event, event.newValue),
  };
}

const texts = (values: readonly ShownValue[]) => values.map((value) => value.text).join(', ');

/** One line of text for a value view (tables, titles, tests). */
export function valueText(view: ValueView): string {
  switch (view.kind) {
    case 'redacted':
      return REDACTED_LABEL;
    case 'list': {
      const parts = [];
      if (view.added.length) parts.push(`${LIST_LABELS.added}: ${texts(view.added)}`);
      if (view.removed.length) parts.push(`${LIST_LABELS.removed}: ${texts(view.removed)}`);
      return parts.join('; ') || 'no change';
    }
    case 'scalar':
      return `${view.oldValue?.text ?? '(empty)'} → ${view.newValue?.text ?? '(empty)'}`;
    case 'words':
      return view.parts
        .map((part) => (part.change === 'same' ? part.text : `[${part.change === 'added' ? '+' : '−'}${part.text}]`))
        .join('');
  }
}

/** A cell of the full table: old or new value alone, readable (or `as: 'stored'`, as recorded: ids, codes, seconds), worded as the exported files word it. */
export function cellValue(event: AuditEvent, side: 'old' | 'new', as: 'readable' | 'stored' = 'readable'): string {
  if (event.redacted) return side === 'new' ? REDACTED_LABEL : '';
  const pick = (value: ShownValue) => (as === 'readable' ? value.text : value.raw);
  if (event.valueType === 'list') {
    const items = parseList(side === 'old' ? event.oldValue : event.newValue).map((item) => shown(event, item, 'text'));
    return items.length ? `${LIST_LABELS[side === 'old' ? 'removed' : 'added']}: ${items.map(pick).join(', ')}` : '';
  }
  const raw = side === 'old' ? event.oldValue : event.newValue;
  return raw === null ? '' : pick(shown(event, raw));
}

/** The state an object was in before it was deleted: each element's last value, readable. */
export function lastState(events: readonly ValueEvent[]): { element: string; text: string }[] {
  return events.map((event) => {
    if (event.redacted) return { element: event.element, text: REDACTED_LABEL };
    if (event.valueType === 'list')
      return { element: event.element, text: texts(parseList(event.oldValue).map((i) => shown(event, i, 'text'))) };
    return { element: event.element, text: event.oldValue === null ? '' : shown(event, event.oldValue).text };
  });
}
