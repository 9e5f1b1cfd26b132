// What an exported row shows, shared by the xlsx and CSV writers so both read the same:
// the reference page's columns in its order, then Object ID, Change ID and Source, and each stored
// event turned into typed cells (text, number, boolean, date) that a writer only encodes.
// The value columns keep the stored values (numbers stay numbers a spreadsheet can sum); the
// last two say them as the screen does ("1 h", "Human", names without ids) where that differs.
import { type AuditEventRow } from '../../drizzle/schema';
import { readableValue } from '../../shared/field-display';
import { ACTION_LABELS, LIST_LABELS, OBJECT_TYPE_LABELS, REDACTED_LABEL, SOURCE_LABELS } from '../../shared/vocabulary';

export type Cell =
  | { kind: 'text'; text: string }
  /** `text` is the value as stored, for writers that have no number type (CSV). */
  | { kind: 'number'; value: number; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; at: number }
  /** An empty cell. */
  | undefined;

export interface Column {
  header: string;
  /** Excel column width, in characters of the default font. */
  width: number;
}

/** Shown instead of a secret's values, which are never stored (the screen says the same). */
export const REDACTED_TEXT = REDACTED_LABEL;

export function exportColumns(zone: string): Column[] {
  return [
    { header: 'Object type', width: 22 },
    { header: 'Object name', width: 28 },
    { header: 'Action type', width: 12 },
    { header: 'Element', width: 24 },
    { header: 'Old value', width: 40 },
    { header: 'New value', width: 40 },
    { header: `Date (${zone})`, width: 21 },
    { header: 'Originator', width: 22 },
    { header: 'Object ID', width: 16 },
    { header: 'Change ID', width: 30 },
    { header: 'Source', width: 12 },
    { header: 'Old value (readable)', width: 30 },
    { header: 'New value (readable)', width: 30 },
  ];
}

/** One event as the cells of `exportColumns`, in the same order. */
export function exportCells(row: AuditEventRow): Cell[] {
  const [oldValue, newValue] = valueCells(row);
  return [
    text(OBJECT_TYPE_LABELS[row.objectType]),
    text(row.objectName),
    text(ACTION_LABELS[row.action]),
    text(row.element),
    oldValue,
    newValue,
    { kind: 'date', at: row.occurredAt },
    text(row.originatorName),
    text(row.objectId),
    text(row.changeId),
    text(SOURCE_LABELS[row.source]),
    ...readableCells(row),
  ];
}

/** Old and new value as the screen says them, where that differs from the stored value: else empty. */
export function readableCells(
  row: Pick<AuditEventRow, 'objectType' | 'element' | 'valueType' | 'oldValue' | 'newValue' | 'redacted'>,
): [Cell, Cell] {
  if (row.redacted) return [undefined, undefined];
  const readable = (stored: string | null, side: keyof typeof LIST_LABELS): Cell => {
    if (stored === null || stored === '') return undefined;
    if (row.valueType === 'list') {
      const items = listItems(stored);
      if (!items?.length) return undefined;
      const shown = items.map((item) => readableValue(row.objectType, row.element, 'text', item));
      return shown.some((item, i) => item !== items[i]) ? text(`${LIST_LABELS[side]}: ${shown.join(', ')}`) : undefined;
    }
    const shown = readableValue(row.objectType, row.element, row.valueType, stored);
    return shown === stored ? undefined : text(shown);
  };
  return [readable(row.oldValue, 'removed'), readable(row.newValue, 'added')];
}

function listItems(stored: string): string[] | undefined {
  try {
    const items: unknown = JSON.parse(stored);
    return Array.isArray(items) ? items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))) : undefined;
  } catch {
    return undefined;
  }
}

/** Old and new value as readers expect them, by the event's value type. */
export function valueCells(row: Pick<AuditEventRow, 'valueType' | 'oldValue' | 'newValue' | 'redacted'>): [Cell, Cell] {
  // A secret has no values to show, only the fact that it changed.
  if (row.redacted) return [undefined, text(REDACTED_TEXT)];
  switch (row.valueType) {
    // Stored as JSON arrays of the removed (old) and added (new) items; each side stays in
    // its own column so old → new still reads left to right, and a column filter on
    // "New value" finds where an item was added.
    case 'list':
      return [listCell('removed', row.oldValue), listCell('added', row.newValue)];
    case 'number':
      return [numberCell(row.oldValue), numberCell(row.newValue)];
    case 'boolean':
      return [booleanCell(row.oldValue), booleanCell(row.newValue)];
    default:
      return [text(row.oldValue), text(row.newValue)];
  }
}

function text(value: string | null): Cell {
  return value === null || value === '' ? undefined : { kind: 'text', text: value };
}

function listCell(side: keyof typeof LIST_LABELS, stored: string | null): Cell {
  if (stored === null) return undefined;
  let items: unknown;
  try {
    items = JSON.parse(stored);
  } catch {
    return text(stored);
  }
  if (!Array.isArray(items)) return text(stored);
  if (items.length === 0) return undefined;
  return text(`${LIST_LABELS[side]}: ${items.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ')}`);
}

// Excel keeps 15 significant digits: a longer number (an id stored as a number, say) stays text
// rather than being silently rounded.
// The groups are the integer and fraction digits, counted below.
const DECIMAL_DIGITS = /^-?(\d+)(?:\.(\d+))?(?:[eE][+-]?\d+)?$/;

function numberCell(stored: string | null): Cell {
  if (stored === null) return undefined;
  const match = DECIMAL_DIGITS.exec(stored);
  const value = Number(stored);
  if (!match || !Number.isFinite(value)) return text(stored);
  const digits = (match[1]! + (match[2] ?? '')).replace(/^0+/, '').replace(/0+$/, '').length;
  return digits > 15 ? text(stored) : { kind: 'number', value, text: stored };
}

function booleanCell(stored: string | null): Cell {
  if (stored === 'true' || stored === 'false') return { kind: 'boolean', value: stored === 'true' };
  return text(stored);
}
