// The full audit trail: the account's history with the reference page's columns (and the ids
// on request), filters with counts and suggestions, a chart of changes per day, cursor paging
// in either order and export of exactly what is filtered. What it offers follows the token's
// scopes (no audit:read: one message; no audit:export: no Export). Dates are shown, and day
// filters meant, in one zone the admin picks (default the account's), named on every date.
// The whole view lives in the address (page-address.ts), so a link shows exactly this.
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ACTION_LABELS,
  ACTIONS,
  OBJECT_TYPE_LABELS,
  OBJECT_TYPES,
  type Action,
  type ExportFormat,
  type ObjectType,
} from '../../shared/vocabulary';
import type { ApiError } from '../api/client';
import type { AuditEvent, EventFilters, EventOrder, Facets, Total } from '../api/types';
import { formatDateTimeWithZone, timeZoneChoices } from '../format/time';
import { cellValue } from '../format/values';
import type { Access, Client } from '../messaging/protocol';
import { DayChart } from './day-chart';
import {
  COLUMNS,
  DEFAULT_COLUMNS,
  DEFAULT_PAGE_SIZE,
  filtersFromSearch,
  PAGE_SIZES,
  searchOfView,
  type ColumnId,
  type PageSize,
  type PageView,
} from './page-address';
import { ProblemMessage } from './problem';
import { SourceBadge } from './source-badge';

const isObjectType = (value: string): value is ObjectType => (OBJECT_TYPES as readonly string[]).includes(value);

export { filtersFromSearch };

export interface AuditTrailPageProps {
  client: Pick<Client, 'access' | 'events' | 'facets' | 'export' | 'openOptions' | 'getSettings'>;
  /** From the page address (?account=…); else the account of the options. */
  accountId: string | null;
  initialFilters: EventFilters;
  /** Order, page size and columns from the address (viewFromSearch); defaults otherwise. */
  initialView?: Partial<Pick<PageView, 'order' | 'pageSize' | 'columns'>>;
  /** This browser's zone: offered in the zone picker beside the account's. */
  browserTimeZone: string;
  /** Called with the address of the view whenever it changes (the entry point puts it in the location). */
  onAddress?: (search: string) => void;
}

type Load =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; events: AuditEvent[]; nextCursor: string | null; total?: Total };
type Check = { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; access: Access };

/** The form's values: every field as text, the way the inputs hold them. */
type Draft = Record<'objectType' | 'action' | 'objectId' | 'originatorId' | 'element' | 'q' | 'from' | 'to' | 'tz', string>;

const draftOf = (filters: EventFilters, zone: string): Draft => ({
  objectType: filters.objectType?.[0] ?? '',
  action: filters.action?.[0] ?? '',
  objectId: filters.objectId ?? '',
  originatorId: filters.originatorId ?? '',
  element: filters.element ?? '',
  q: filters.q ?? '',
  from: filters.from ?? '',
  to: filters.to ?? '',
  tz: filters.tz ?? zone,
});

/** The filters a draft asks for; the account's zone is the default and is sent as such. */
function filtersOf(draft: Draft, previous: EventFilters): EventFilters {
  const next: EventFilters = {};
  const objectType = draft.objectType.trim();
  // A list that came from the address (several types) stays as it was unless the admin picked one.
  if (objectType && isObjectType(objectType))
    next.objectType = objectType === previous.objectType?.[0] ? previous.objectType : [objectType];
  const action = draft.action.trim();
  if (action && (ACTIONS as readonly string[]).includes(action))
    next.action = action === previous.action?.[0] ? previous.action : [action as Action];
  for (const key of ['objectId', 'originatorId', 'element', 'q', 'from', 'to', 'tz'] as const) {
    const value = draft[key].trim();
    if (value) next[key] = value;
  }
  return next;
}

/** "1,234 changes", "100,000+ changes". */
export function totalText(total: Total): string {
  if (total === '100000+') return `${(100_000).toLocaleString('en-US')}+ changes`;
  return `${total.toLocaleString('en-US')} ${total === 1 ? 'change' : 'changes'}`;
}

const withCount = (label: string, count: number | undefined) =>
  count === undefined ? label : `${label} (${count.toLocaleString('en-US')})`;

/** How long a typed prefix waits before suggestions are asked for. */
const SUGGEST_DELAY_MS = 250;

export function AuditTrailPage(props: AuditTrailPageProps) {
  const { client } = props;
  const [accountId, setAccountId] = useState<string | null>(props.accountId);
  const [check, setCheck] = useState<Check>({ status: 'loading' });
  const [checkAttempt, setCheckAttempt] = useState(0);
  const [filters, setFilters] = useState<EventFilters>(props.initialFilters);
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.initialFilters, ''));
  const [order, setOrder] = useState<EventOrder>(props.initialView?.order ?? 'desc');
  const [pageSize, setPageSize] = useState<PageSize>(props.initialView?.pageSize ?? DEFAULT_PAGE_SIZE);
  const [columns, setColumns] = useState<readonly ColumnId[]>(props.initialView?.columns ?? DEFAULT_COLUMNS);
  // Cursors of the pages before the current one: "Previous page" pops one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  // "Try again" bumps this: the same page is read again.
  const [attempt, setAttempt] = useState(0);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  // The count of the filtered set, from its first page (the cursor's pages share it).
  const [total, setTotal] = useState<Total | undefined>(undefined);
  // Counts by facet of the filtered set; null: the API does not offer them (or failed), the page goes without.
  const [facets, setFacets] = useState<Facets | null>(null);
  // Elements starting with what is typed in the element filter (the facets by prefix).
  const [suggestions, setSuggestions] = useState<Facets['elements'] | null>(null);
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [exporting, setExporting] = useState<{ busy: boolean; error?: ApiError; done?: string }>({ busy: false });
  const latest = useRef(0);
  const latestFacets = useRef(0);

  useEffect(() => {
    if (accountId) return;
    void client.getSettings({}).then((result) => {
      if (!result.ok) setCheck({ status: 'error', error: result.error });
      else if (result.value.accountId) setAccountId(result.value.accountId);
      else setCheck({ status: 'error', error: { kind: 'not-configured', detail: 'No account set.' } });
    });
  }, []);

  // What may this token do here, and what is the account's zone?
  useEffect(() => {
    if (!accountId) return;
    setCheck({ status: 'loading' });
    void client.access({ accountId }).then((result) => {
      if (!result.ok) return setCheck({ status: 'error', error: result.error });
      setCheck({ status: 'ready', access: result.value });
      setDraft((current) => (current.tz ? current : { ...current, tz: result.value.timeZone }));
    });
  }, [accountId, checkAttempt]);

  const access = check.status === 'ready' ? check.access : null;
  const zone = filters.tz ?? access?.timeZone ?? props.browserTimeZone;
  const asked: EventFilters = { ...filters, tz: zone };
  const askedKey = JSON.stringify(asked);

  // The address follows the view.
  useEffect(() => {
    props.onAddress?.(searchOfView({ accountId, filters, order, pageSize, columns }));
  }, [accountId, JSON.stringify(filters), order, pageSize, columns.join(',')]);

  useEffect(() => {
    if (!accountId || !access?.canRead) return;
    const id = ++latest.current;
    setLoad({ status: 'loading' });
    const first = cursor === undefined;
    void client.events({ accountId, filters: asked, cursor, limit: pageSize, order, ...(first ? { count: true } : {}) }).then((result) => {
      if (id !== latest.current) return;
      setLoad(result.ok ? { status: 'ready', ...result.value } : { status: 'error', error: result.error });
      if (result.ok && first) setTotal(result.value.total);
    });
  }, [accountId, access, askedKey, cursor, attempt, pageSize, order]);

  // An API without the facets route answers 404: it is not asked again on this page.
  const facetsMissing = useRef(false);
  useEffect(() => {
    if (!accountId || !access?.canRead || facetsMissing.current) return;
    const id = ++latestFacets.current;
    void client.facets({ accountId, object: null, filters: asked }).then((result) => {
      if (!result.ok && result.error.status === 404) facetsMissing.current = true;
      if (id === latestFacets.current) setFacets(result.ok ? result.value : null);
    });
  }, [accountId, access, askedKey, attempt]);

  // Suggestions for the element being typed: the facets of the other filters, by prefix (the
  // originators' datalist holds the facet's top originators; the browser matches what is typed).
  useEffect(() => {
    if (!accountId || !access?.canRead || facets === null) return;
    const prefix = draft.element.trim();
    if (!prefix) return setSuggestions(null);
    const { element: _typed, ...others } = asked;
    const timer = setTimeout(() => {
      void client.facets({ accountId, object: null, filters: others, prefix, limit: 20 }).then((result) => {
        if (result.ok) setSuggestions(result.value.elements);
      });
    }, SUGGEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [accountId, access, draft.element, facets === null]);

  const restart = () => {
    setCursors([]);
    setCursor(undefined);
  };

  const edit = (key: keyof Draft) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setDraft((current) => ({ ...current, [key]: value }));
  };

  const apply = (event: Event) => {
    event.preventDefault();
    setFilters(filtersOf(draft, filters));
    restart();
  };

  const reset = () => {
    setFilters({});
    setDraft(draftOf({}, access?.timeZone ?? ''));
    restart();
  };

  /** A bar of the chart: that day alone (from = to = the day, in the shown zone). */
  const pickDay = (day: string) => {
    const next = { ...filters, from: day, to: day };
    setFilters(next);
    setDraft((current) => ({ ...current, from: day, to: day }));
    restart();
  };

  const next = () => {
    if (load.status !== 'ready' || !load.nextCursor) return;
    setCursors([...cursors, cursor]);
    setCursor(load.nextCursor);
  };
  const previous = () => {
    setCursor(cursors[cursors.length - 1]);
    setCursors(cursors.slice(0, -1));
  };

  const runExport = async () => {
    if (!accountId) return;
    setExporting({ busy: true });
    const result = await client.export({ accountId, filters: asked, format });
    if (!result.ok) return setExporting({ busy: false, error: result.error });
    setExporting({ busy: false, done: `Downloading ${result.value.filename}` });
  };

  const toggleColumn = (id: ColumnId, shown: boolean) =>
    setColumns((current) => COLUMNS.map((column) => column.id).filter((c) => (c === id ? shown : current.includes(c))));

  const openOptions = () => void client.openOptions({});
  const pageNumber = cursors.length + 1;
  const accountName = access?.accountName;
  const heading = (
    <h1>
      Audit trail
      {accountId && (accountName ? ` — ${accountName} (account ${accountId})` : ` — account ${accountId}`)}
    </h1>
  );

  if (check.status !== 'ready')
    return (
      <main class="page">
        {heading}
        {check.status === 'loading' ? (
          <p class="state" role="status" data-state="loading">
            Loading…
          </p>
        ) : (
          <ProblemMessage error={check.error} onRetry={() => setCheckAttempt((n) => n + 1)} onOptions={openOptions} />
        )}
      </main>
    );

  if (!check.access.canRead)
    return (
      <main class="page">
        {heading}
        <ProblemMessage
          error={{
            kind: 'forbidden',
            detail: `This token may not view the audit trail (it has ${check.access.scopes.join(', ') || 'no scopes'}).`,
          }}
          onOptions={openOptions}
        />
      </main>
    );

  const zones = timeZoneChoices([check.access.timeZone, props.browserTimeZone, zone]);
  const zoneLabel = (name: string) =>
    name === check.access.timeZone ? `${name} (account)` : name === props.browserTimeZone ? `${name} (this browser)` : name;
  const typeCount = (type: ObjectType) => facets?.objectTypes.find((f) => f.value === type)?.count ?? (facets ? 0 : undefined);
  const actionCount = (action: Action) => facets?.actions.find((f) => f.value === action)?.count ?? (facets ? 0 : undefined);
  const shownTotal = total ?? facets?.total;
  // Without the facets route, the elements already loaded are the suggestions.
  const elementOptions =
    suggestions ??
    facets?.elements ??
    [...new Set(load.status === 'ready' ? load.events.map((e) => e.element) : [])].map((value) => ({ value, count: undefined }));
  const originatorOptions =
    facets?.originators ??
    [...new Map(load.status === 'ready' ? load.events.map((e) => [e.originator.id, e.originator] as const) : []).values()].map(
      (originator) => ({ ...originator, count: undefined }),
    );
  const shownColumns = COLUMNS.filter((column) => columns.includes(column.id));
  const empty = load.status === 'ready' && load.events.length === 0;

  const cell = (id: ColumnId, event: AuditEvent) => {
    switch (id) {
      case 'objectType':
        return <td class="nowrap">{OBJECT_TYPE_LABELS[event.objectType]}</td>;
      case 'objectName':
        return <td class="nowrap">{event.objectName}</td>;
      case 'objectId':
        return <td class="nowrap id">{event.objectId}</td>;
      case 'action':
        return <td class="nowrap">{ACTION_LABELS[event.action]}</td>;
      case 'element':
        return <td>{event.element}</td>;
      case 'old':
      case 'new': {
        // The stored value (ids, codes, seconds) is a hover away.
        const side = id === 'old' ? 'old' : 'new';
        const [text, stored] = [cellValue(event, side), cellValue(event, side, 'stored')];
        return <td title={stored !== text ? stored : undefined}>{text}</td>;
      }
      case 'date':
        return (
          <td class="nowrap">
            <time dateTime={event.occurredAt}>{formatDateTimeWithZone(event.occurredAt, zone)}</time>
          </td>
        );
      case 'originator':
        return (
          <td class="nowrap" title={`ID ${event.originator.id}`}>
            {event.originator.name}
            <SourceBadge source={event.source} />
          </td>
        );
      case 'changeId':
        return <td class="nowrap id">{event.changeId}</td>;
    }
  };

  return (
    <main class="page">
      {heading}
      <form class="filters" onSubmit={apply} aria-label="Filters">
        <label>
          Object type
          <select name="objectType" value={draft.objectType} onChange={edit('objectType')}>
            <option value="">All</option>
            {OBJECT_TYPES.map((type) => (
              <option value={type} key={type}>
                {withCount(OBJECT_TYPE_LABELS[type], typeCount(type))}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select name="action" value={draft.action} onChange={edit('action')}>
            <option value="">All</option>
            {ACTIONS.map((action) => (
              <option value={action} key={action}>
                {withCount(ACTION_LABELS[action], actionCount(action))}
              </option>
            ))}
          </select>
        </label>
        <label>
          Object ID
          <input name="objectId" value={draft.objectId} onInput={edit('objectId')} size={8} />
        </label>
        <label>
          Originator ID
          <input
            name="originatorId"
            value={draft.originatorId}
            onInput={edit('originatorId')}
            size={8}
            list="originator-suggestions"
            autocomplete="off"
          />
          <datalist id="originator-suggestions">
            {originatorOptions.map((originator) => (
              <option value={originator.id} key={originator.id} label={withCount(originator.name, originator.count)} />
            ))}
          </datalist>
        </label>
        <label>
          Element
          <input
            name="element"
            value={draft.element}
            onInput={edit('element')}
            placeholder="Member of"
            size={12}
            list="element-suggestions"
            autocomplete="off"
          />
          <datalist id="element-suggestions">
            {elementOptions.map((element) => (
              <option value={element.value} key={element.value} label={withCount(element.value, element.count)} />
            ))}
          </datalist>
        </label>
        <label>
          Text
          <input name="q" type="search" value={draft.q} onInput={edit('q')} size={14} />
        </label>
        <label>
          From
          <input name="from" type="date" value={draft.from} onInput={edit('from')} />
        </label>
        <label>
          To
          <input name="to" type="date" value={draft.to} onInput={edit('to')} />
        </label>
        <label>
          Time zone
          <select name="tz" value={draft.tz || zone} onChange={edit('tz')}>
            {zones.map((name) => (
              <option value={name} key={name}>
                {zoneLabel(name)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply filters</button>
        <button type="button" class="link" onClick={reset}>
          Reset
        </button>
        {shownTotal !== undefined && (
          <p class="total" role="status" data-total={String(shownTotal)}>
            {totalText(shownTotal)}
          </p>
        )}
      </form>

      {facets && facets.days.length > 0 && (
        <DayChart days={facets.days} zone={zone} selected={filters.from === filters.to ? filters.from : undefined} onPick={pickDay} />
      )}

      <div class="view-options">
        <label>
          Order
          <select
            name="order"
            value={order}
            onChange={(e) => {
              setOrder((e.currentTarget as HTMLSelectElement).value === 'asc' ? 'asc' : 'desc');
              restart();
            }}
          >
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
        <label>
          Rows per page
          <select
            name="pageSize"
            value={String(pageSize)}
            onChange={(e) => {
              const size = Number((e.currentTarget as HTMLSelectElement).value);
              setPageSize((PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : DEFAULT_PAGE_SIZE);
              restart();
            }}
          >
            {PAGE_SIZES.map((size) => (
              <option value={String(size)} key={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        <details class="columns">
          <summary>Columns</summary>
          <fieldset>
            <legend class="visually-hidden">Columns shown</legend>
            {COLUMNS.map((column) => (
              <label class="check" key={column.id}>
                <input
                  type="checkbox"
                  name={`column-${column.id}`}
                  checked={columns.includes(column.id)}
                  disabled={columns.length === 1 && columns.includes(column.id)}
                  onChange={(e) => toggleColumn(column.id, (e.currentTarget as HTMLInputElement).checked)}
                />
                {column.label}
              </label>
            ))}
          </fieldset>
        </details>
        {check.access.canExport && (
          <div class="export">
            <label>
              Export format
              <select value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value as ExportFormat)}>
                <option value="xlsx">Excel (.xlsx, up to 100,000 rows)</option>
                <option value="csv">CSV</option>
                <option value="ndjson">NDJSON</option>
              </select>
            </label>
            <button type="button" onClick={runExport} disabled={exporting.busy}>
              {exporting.busy ? 'Exporting…' : 'Export'}
            </button>
            <span role="status">{exporting.done ?? ''}</span>
          </div>
        )}
      </div>
      {exporting.error && <ProblemMessage error={exporting.error} onRetry={runExport} onOptions={openOptions} />}

      <div class="results" aria-live="polite" aria-busy={load.status === 'loading'}>
        {load.status === 'loading' && (
          <p class="state" role="status" data-state="loading">
            Loading…
          </p>
        )}
        {load.status === 'error' && <ProblemMessage error={load.error} onRetry={() => setAttempt((n) => n + 1)} onOptions={openOptions} />}
        {empty && (
          <p class="state" data-state="empty">
            No changes match these filters.
          </p>
        )}
        {load.status === 'ready' && load.events.length > 0 && (
          // Focusable, so a keyboard can scroll a table wider than the window.
          <div class="table-scroll" tabIndex={0} role="region" aria-label="Changes table">
            <table>
              <caption class="visually-hidden">
                Changes, {order === 'asc' ? 'oldest' : 'newest'} first (page {pageNumber})
              </caption>
              <thead>
                <tr>
                  {shownColumns.map((column) => (
                    <th scope="col" key={column.id} class="nowrap">
                      {column.id === 'date' ? `Date (${zone})` : column.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {load.events.map((event) => (
                  <tr key={event.id}>
                    {shownColumns.map((column) => (
                      <Fragment key={column.id}>{cell(column.id, event)}</Fragment>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {load.status !== 'error' && !(empty && pageNumber === 1) && (
        <nav class="pager" aria-label="Pages">
          <button type="button" class="link" onClick={previous} disabled={cursors.length === 0}>
            Previous page
          </button>
          <span>Page {pageNumber}</span>
          <button type="button" class="link" onClick={next} disabled={load.status !== 'ready' || !load.nextCursor}>
            Next page
          </button>
        </nav>
      )}
    </main>
  );
}
