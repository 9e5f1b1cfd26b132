// The full audit trail: the account's history with the reference page's columns, filters,
// cursor paging and export of exactly what is filtered.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, ExportedFile } from '../lib/api';
import { cellValue, formatDateTime } from '../lib/format';
import type { Client } from '../lib/messages';
import {
  ACTION_LABELS,
  ACTIONS,
  OBJECT_TYPE_LABELS,
  OBJECT_TYPES,
  isObjectType,
  type Action,
  type AuditEvent,
  type EventFilters,
  type ExportFormat,
} from '../lib/vocabulary';
import { ProblemMessage } from './problem';

export const TABLE_PAGE_SIZE = 50;

export interface AuditTrailPageProps {
  client: Pick<Client, 'events' | 'export' | 'openOptions' | 'getSettings'>;
  /** From the page address (?account=…); else the account of the options. */
  accountId: string | null;
  initialFilters: EventFilters;
  timeZone?: string;
  saveFile: (file: ExportedFile) => void;
}

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
    action: list('action', (v): v is Action => (ACTIONS as readonly string[]).includes(v)),
    element: text('element'),
    originatorId: text('originatorId'),
    q: text('q'),
    from: text('from'),
    to: text('to'),
  };
  for (const key of Object.keys(filters) as (keyof EventFilters)[]) {
    const value = filters[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete filters[key];
  }
  return { accountId: params.get('account') || null, filters };
}

type Load = { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; events: AuditEvent[]; nextCursor: string | null };

const field = (form: HTMLFormElement, name: string) => ((form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '').trim();

export function AuditTrailPage(props: AuditTrailPageProps) {
  const { client } = props;
  const [accountId, setAccountId] = useState<string | null>(props.accountId);
  const [filters, setFilters] = useState<EventFilters>(props.initialFilters);
  // Cursors of the pages before the current one: "Previous page" pops one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [exporting, setExporting] = useState<{ busy: boolean; error?: ApiError; done?: string }>({ busy: false });
  const latest = useRef(0);

  useEffect(() => {
    if (accountId) return;
    void client.getSettings({}).then((settings) => {
      if (settings.accountId) setAccountId(settings.accountId);
      else setLoad({ status: 'error', error: { kind: 'not-configured', detail: 'No account set.' } });
    });
  }, []);

  useEffect(() => {
    if (!accountId) return;
    const id = ++latest.current;
    setLoad({ status: 'loading' });
    void client.events({ accountId, filters, cursor, limit: TABLE_PAGE_SIZE }).then((result) => {
      if (id !== latest.current) return;
      setLoad(result.ok ? { status: 'ready', ...result.value } : { status: 'error', error: result.error });
    });
  }, [accountId, JSON.stringify(filters), cursor]);

  const apply = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const objectType = field(form, 'objectType');
    const action = field(form, 'action');
    const next: EventFilters = {};
    if (objectType && isObjectType(objectType)) next.objectType = [objectType];
    if (action) next.action = [action as Action];
    for (const key of ['objectId', 'originatorId', 'element', 'q', 'from', 'to'] as const) {
      const value = field(form, key);
      if (value) next[key] = value;
    }
    setFilters(next);
    setCursors([]);
    setCursor(undefined);
  };

  const reset = () => {
    setFilters({});
    setCursors([]);
    setCursor(undefined);
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
    const result = await client.export({ accountId, filters, format, tz: props.timeZone });
    if (!result.ok) return setExporting({ busy: false, error: result.error });
    props.saveFile(result.value);
    setExporting({ busy: false, done: `Downloaded ${result.value.filename}.` });
  };

  const openOptions = () => void client.openOptions({});
  const pageNumber = cursors.length + 1;

  return (
    <main class="page">
      <h1>Audit trail{accountId ? ` — account ${accountId}` : ''}</h1>
      <form class="filters" onSubmit={apply} aria-label="Filters" key={JSON.stringify(filters)}>
        <label>
          Object type
          <select name="objectType" defaultValue={filters.objectType?.[0] ?? ''}>
            <option value="">All</option>
            {OBJECT_TYPES.map((type) => (
              <option value={type} key={type}>
                {OBJECT_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action
          <select name="action" defaultValue={filters.action?.[0] ?? ''}>
            <option value="">All</option>
            {ACTIONS.map((action) => (
              <option value={action} key={action}>
                {ACTION_LABELS[action]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Object ID
          <input name="objectId" defaultValue={filters.objectId ?? ''} size={8} />
        </label>
        <label>
          Originator ID
          <input name="originatorId" defaultValue={filters.originatorId ?? ''} size={8} />
        </label>
        <label>
          Element
          <input name="element" defaultValue={filters.element ?? ''} placeholder="Member of" size={12} />
        </label>
        <label>
          Text
          <input name="q" type="search" defaultValue={filters.q ?? ''} size={14} />
        </label>
        <label>
          From
          <input name="from" type="date" defaultValue={filters.from ?? ''} />
        </label>
        <label>
          To
          <input name="to" type="date" defaultValue={filters.to ?? ''} />
        </label>
        <button type="submit">Apply filters</button>
        <button type="button" class="link" onClick={reset}>
          Reset
        </button>
      </form>

      <div class="export">
        <label>
          Export format
          <select value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value as ExportFormat)}>
            <option value="xlsx">Excel (.xlsx, up to 100,000 rows)</option>
            <option value="csv">CSV</option>
            <option value="ndjson">NDJSON</option>
          </select>
        </label>
        <button type="button" onClick={runExport} disabled={exporting.busy || !accountId}>
          {exporting.busy ? 'Exporting…' : 'Export'}
        </button>
        <span role="status">{exporting.done ?? ''}</span>
      </div>
      {exporting.error && <ProblemMessage error={exporting.error} onRetry={runExport} onOptions={openOptions} />}

      <div aria-live="polite" aria-busy={load.status === 'loading'}>
        {load.status === 'loading' && (
          <p class="state" role="status" data-state="loading">
            Loading…
          </p>
        )}
        {load.status === 'error' && <ProblemMessage error={load.error} onRetry={() => setCursor(cursor)} onOptions={openOptions} />}
        {load.status === 'ready' && load.events.length === 0 && (
          <p class="state" data-state="empty">
            No changes match these filters.
          </p>
        )}
        {load.status === 'ready' && load.events.length > 0 && (
          <table>
            <caption class="visually-hidden">Changes, newest first (page {pageNumber})</caption>
            <thead>
              <tr>
                <th scope="col">Object type</th>
                <th scope="col">Object name</th>
                <th scope="col">Action type</th>
                <th scope="col">Element</th>
                <th scope="col">Old value</th>
                <th scope="col">New value</th>
                <th scope="col">Date</th>
                <th scope="col">Originator</th>
              </tr>
            </thead>
            <tbody>
              {load.events.map((event) => (
                <tr key={event.id}>
                  <td>{OBJECT_TYPE_LABELS[event.objectType]}</td>
                  <td>{event.objectName}</td>
                  <td>{ACTION_LABELS[event.action]}</td>
                  <td>{event.element}</td>
                  <td>{cellValue(event, 'old')}</td>
                  <td>{cellValue(event, 'new')}</td>
                  <td>
                    <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt, props.timeZone)}</time>
                  </td>
                  <td>{event.originator.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <nav class="pager" aria-label="Pages">
        <button type="button" class="link" onClick={previous} disabled={cursors.length === 0}>
          Previous page
        </button>
        <span>Page {pageNumber}</span>
        <button type="button" class="link" onClick={next} disabled={load.status !== 'ready' || !load.nextCursor}>
          Next page
        </button>
      </nav>
    </main>
  );
}
