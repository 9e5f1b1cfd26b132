// The full page's view in its address: filters, time zone, order, page size and columns, so a
// link shows a colleague exactly this view and a reload restores it. Anything unknown in an
// address is dropped, never trusted.
import { ACTIONS, OBJECT_TYPES, type Action, type ObjectType } from '../../shared/vocabulary';
import type { EventFilters, EventOrder } from '../api/types';
import { isTimeZone } from '../format/time';

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 50;

/** The table's columns, in the order they stand; the reference page's first, then the ids. */
export const COLUMNS = [
  { id: 'objectType', label: 'Object type' },
  { id: 'objectName', label: 'Object name' },
  { id: 'objectId', label: 'Object ID' },
  { id: 'action', label: 'Action type' },
  { id: 'element', label: 'Element' },
  { id: 'old', label: 'Old value' },
  { id: 'new', label: 'New value' },
  { id: 'date', label: 'Date' },
  { id: 'originator', label: 'Originator' },
  { id: 'changeId', label: 'Change ID' },
] as const;
export type ColumnId = (typeof COLUMNS)[number]['id'];
const COLUMN_IDS: readonly string[] = COLUMNS.map((column) => column.id);
/** The reference page's columns; the ids are one choice away. */
export const DEFAULT_COLUMNS: readonly ColumnId[] = COLUMNS.map((column) => column.id).filter(
  (id) => id !== 'objectId' && id !== 'changeId',
);

export interface PageView {
  accountId: string | null;
  filters: EventFilters;
  order: EventOrder;
  pageSize: PageSize;
  columns: readonly ColumnId[];
}

const isObjectType = (value: string): value is ObjectType => (OBJECT_TYPES as readonly string[]).includes(value);
const isAction = (value: string): value is Action => (ACTIONS as readonly string[]).includes(value);

/** Filters from the address: ?account=…&filters={json}; anything unknown is dropped. */
export function filtersFromSearch(search: string): { accountId: string | null; filters: EventFilters } {
  const params = new URLSearchParams(search);
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(params.get('filters') ?? '{}');
    if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
  } catch {
    // ignore a broken address
  }
  const text = (key: string) => (typeof raw[key] === 'string' && raw[key] ? (raw[key] as string) : undefined);
  const list = <T extends string>(key: string, ok: (v: string) => v is T) =>
    Array.isArray(raw[key]) ? (raw[key] as unknown[]).filter((v): v is T => typeof v === 'string' && ok(v)) : undefined;
  const filters: EventFilters = {
    objectType: list('objectType', isObjectType),
    objectId: text('objectId'),
    action: list('action', isAction),
    element: text('element'),
    originatorId: text('originatorId'),
    q: text('q'),
    from: text('from'),
    to: text('to'),
    tz: [text('tz')].find((zone) => zone !== undefined && isTimeZone(zone)),
  };
  for (const key of Object.keys(filters) as (keyof EventFilters)[]) {
    const value = filters[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete filters[key];
  }
  return { accountId: params.get('account') || null, filters };
}

/** The whole view from the address; defaults for what it does not say (or says wrong). */
export function viewFromSearch(search: string): PageView {
  const params = new URLSearchParams(search);
  const size = Number(params.get('size'));
  const columns = (params.get('columns') ?? '').split(',').filter((id): id is ColumnId => COLUMN_IDS.includes(id));
  return {
    ...filtersFromSearch(search),
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : DEFAULT_PAGE_SIZE,
    columns: columns.length ? COLUMNS.map((column) => column.id).filter((id) => columns.includes(id)) : DEFAULT_COLUMNS,
  };
}

/** The address of a view: only what differs from the defaults, so plain links stay short. */
export function searchOfView(view: PageView): string {
  const params = new URLSearchParams();
  if (view.accountId) params.set('account', view.accountId);
  if (Object.keys(view.filters).length) params.set('filters', JSON.stringify(view.filters));
  if (view.order !== 'desc') params.set('order', view.order);
  if (view.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(view.pageSize));
  const columns = COLUMNS.map((column) => column.id).filter((id) => view.columns.includes(id));
  if (columns.join(',') !== DEFAULT_COLUMNS.join(',')) params.set('columns', columns.join(','));
  const search = params.toString();
  return search ? `?${search}` : '';
}
