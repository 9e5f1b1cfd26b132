// The full audit trail: the account's history with the reference page's columns, filters,
// cursor paging and export of exactly what is filtered. What it offers follows the token's
// scopes (no audit:read: one message; no audit:export: no Export). Dates are shown, and day
// filters meant, in one zone the admin picks (default the account's), named on screen.
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
import type { AuditEvent, EventFilters } from '../api/types';
import { formatDateTime, isTimeZone, timeZoneChoices } from '../format/time';
import { cellValue } from '../format/values';
import type { Access, Client } from '../messaging/protocol';
import { ProblemMessage } from './problem';
import { SourceBadge } from './source-badge';

const isObjectType = (value: string): value is ObjectType => (OBJECT_TYPES as readonly string[]).includes(value);

export const TABLE_PAGE_SIZE = 50;

export interface AuditTrailPageProps {
  client: Pick<Client, 'access' | 'events' | 'export' | 'openOptions' | 'getSettings'>;
  /** From the page address (?account=…); else the account of the options. */
  accountId: string | null;
  initialFilters: EventFilters;
  /** This browser's zone: offered in the zone picker beside the account's. */
  browserTimeZone: string;
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
    tz: [text('tz')].find((zone) => zone !== undefined && isTimeZone(zone)),
  };
  for (const key of Object.keys(filters) as (keyof EventFilters)[]) {
    const value = filters[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete filters[key];
  }
  return { accountId: params.get('account') || null, filters };
}

type Load =
  { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; events: AuditEvent[]; nextCursor: string | null };
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

export function AuditTrailPage(props: AuditTrailPageProps) {
  const { client } = props;
  const [accountId, setAccountId] = useState<string | null>(props.accountId);
  const [check, setCheck] = useState<Check>({ status: 'loading' });
  const [checkAttempt, setCheckAttempt] = useState(0);
  const [filters, setFilters] = useState<EventFilters>(props.initialFilters);
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.initialFilters, ''));
  // Cursors of the pages before the current one: "Previous page" pops one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  // "Try again" bumps this: the same page is read again.
  const [attempt, setAttempt] = useState(0);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [exporting, setExporting] = useState<{ busy: boolean; error?: ApiError; done?: string }>({ busy: false });
  const latest = useRef(0);

  useEffect(() => {
    if (accountId) return;
    void client.getSettings({}).then((settings) => {
      if (settings.accountId) setAccountId(settings.accountId);
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

  useEffect(() => {
    if (!accountId || !access?.canRead) return;
    const id = ++latest.current;
    setLoad({ status: 'loading' });
    void client.events({ accountId, filters: asked, cursor, limit: TABLE_PAGE_SIZE }).then((result) => {
      if (id !== latest.current) return;
      setLoad(result.ok ? { status: 'ready', ...result.value } : { status: 'error', error: result.error });
    });
  }, [accountId, access, JSON.stringify(asked), cursor, attempt]);

  const edit = (key: keyof Draft) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setDraft((current) => ({ ...current, [key]: value }));
  };

  const apply = (event: Event) => {
    event.preventDefault();
    setFilters(filtersOf(draft, filters));
    setCursors([]);
    setCursor(undefined);
  };

  const reset = () => {
    setFilters({});
    setDraft(draftOf({}, access?.timeZone ?? ''));
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
    const result = await client.export({ accountId, filters: asked, format });
    if (!result.ok) return setExporting({ busy: false, error: result.error });
    setExporting({ busy: false, done: `Downloading ${result.value.filename}` });
  };

  const openOptions = () => void client.openOptions({});
  const pageNumber = cursors.length + 1;
  const heading = <h1>Audit trail{accountId ? ` — account ${accountId}` : ''}</h1>;

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
                {OBJECT_TYPE_LABELS[type]}
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
                {ACTION_LABELS[action]}
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
          <input name="originatorId" value={draft.originatorId} onInput={edit('originatorId')} size={8} />
        </label>
        <label>
          Element
          <input name="element" value={draft.element} onInput={edit('element')} placeholder="Member of" size={12} />
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
      </form>

      {check.access.canExport && (
        <>
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
          {exporting.error && <ProblemMessage error={exporting.error} onRetry={runExport} onOptions={openOptions} />}
        </>
      )}

      <div aria-live="polite" aria-busy={load.status === 'loading'}>
        {load.status === 'loading' && (
          <p class="state" role="status" data-state="loading">
            Loading…
          </p>
        )}
        {load.status === 'error' && <ProblemMessage error={load.error} onRetry={() => setAttempt((n) => n + 1)} onOptions={openOptions} />}
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
                <th scope="col">Date ({zone})</th>
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
                    <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt, zone)}</time>
                  </td>
                  <td>
                    {event.originator.name}
                    <SourceBadge source={event.source} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {load.status !== 'error' && (
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
