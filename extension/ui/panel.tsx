// The in-context panel: the open element's history (or the account's latest changes),
// grouped by change, with "Load more", an element filter, export and a way to the full page.
// A change is never shown half: a page's last change waits for the next page (readComplete).
// Pure UI: everything it needs comes in through props, so tests render it with a fake client.
import { useEffect, useRef, useState } from 'preact/hooks';
import { OBJECT_TYPE_LABELS } from '../../shared/vocabulary';
import { ok, refusesParameters, type ApiError, type Result } from '../api/client';
import type { AuditEvent } from '../api/types';
import { appendPage, splitTrailingChange } from '../format/changes';
import type { Client, ObjectRef } from '../messaging/protocol';
import { ChangeList } from './change-list';
import { ProblemMessage } from './problem';

export const PAGE_SIZE = 20;
/** Pages read at most to complete one change (a change has at most a few hundred rows). */
const MAX_PAGES_PER_CHANGE = 30;
/** Elements asked of the facets route for the filter: every one an element's history has. */
export const ELEMENT_FACETS_LIMIT = 100;

/** After a save that reaches us through LivePerson's connector (a sync was asked for), the
 *  history is read again after these waits until the new change is there: doubling from 3 s,
 *  two minutes in all (LivePerson's audit trail has it within a minute or so). */
export const IMPORT_WAITS_MS = [3_000, 6_000, 12_000, 24_000, 48_000, 27_000];

export interface PanelProps {
  client: Pick<Client, 'history' | 'facets' | 'export' | 'openAuditTrail' | 'openOptions'>;
  accountId: string;
  object: ObjectRef | null;
  objectName: string | null;
  canExport: boolean;
  /** Changes when the host saved a form: the history is read again. */
  refreshKey: number;
  /** Changes when a save was sent on to LivePerson's connector: the history is read again
   *  after growing waits (IMPORT_WAITS_MS) until a newer change is shown. 0: none. */
  awaitImport?: number;
  /** The account's zone: dates are shown in it and it is named on screen. */
  timeZone: string;
  /** Pixels from the top of the window: the drawer starts below the host's top bar. */
  top?: number;
  onClose: () => void;
}

/** What is shown, and the rows of the last change read, held back until the rest of it is read. */
interface Shown {
  events: AuditEvent[];
  held: AuditEvent[];
  nextCursor: string | null;
}

type View = { status: 'loading' } | { status: 'error'; error: ApiError } | ({ status: 'ready' } & Shown);

/** The newest change shown when the wait began (undefined: nothing was loaded yet, so the first read sets it), and the timer. */
interface ImportWait {
  baseline: string | null | undefined;
  timer?: ReturnType<typeof setTimeout>;
}

export function subject(object: ObjectRef | null, objectName: string | null): string {
  if (!object) return 'Latest changes in this account';
  return `${OBJECT_TYPE_LABELS[object.objectType]}: ${objectName ?? object.objectId}`;
}

export function Panel(props: PanelProps) {
  const { client, accountId, object } = props;
  const [view, setView] = useState<View>({ status: 'loading' });
  const [element, setElement] = useState('');
  const [elements, setElements] = useState<string[]>([]);
  const [more, setMore] = useState<{ busy: boolean; error?: ApiError }>({ busy: false });
  const [exporting, setExporting] = useState<{ busy: boolean; error?: ApiError; done?: string }>({ busy: false });
  const [attempt, setAttempt] = useState(0);
  // Reads of an import being waited for: the newest change when the wait began, and its timer.
  const [polls, setPolls] = useState(0);
  const importWait = useRef<ImportWait | null>(null);
  const latest = useRef(0);
  const heading = useRef<HTMLHeadingElement>(null);

  // Every element of this history with its count, from the facets route; null: the API does not offer it, the loaded ones are listed.
  const [allElements, setAllElements] = useState<{ value: string; count?: number }[] | null>(null);

  const remember = (events: AuditEvent[]) =>
    setElements((seen) => {
      const next = new Set(seen);
      for (const event of events) next.add(event.element);
      return next.size === seen.length ? seen : [...next].sort((a, b) => a.localeCompare(b));
    });

  useEffect(() => heading.current?.focus(), []);

  // The panel follows the admin to another element: its filter and element list start afresh.
  const objectKey = object ? `${object.objectType}:${object.objectId}` : '';
  const shownFor = useRef(objectKey);
  const loadedFor = useRef<string | null>(null);
  if (shownFor.current !== objectKey) {
    shownFor.current = objectKey;
    if (element) setElement('');
    setElements([]);
    setAllElements(null);
  }

  useEffect(() => {
    let live = true;
    const filters = { tz: props.timeZone };
    void (async () => {
      // An element's history has a few dozen elements at most: all of them, not the top 20 (an API refusing the limit is asked without).
      let result = await client.facets({ accountId, object, filters, limit: ELEMENT_FACETS_LIMIT });
      if (refusesParameters(result, ['limit'])) result = await client.facets({ accountId, object, filters });
      if (!live) return;
      setAllElements(result.ok ? [...result.value.elements].sort((a, b) => a.value.localeCompare(b.value)) : null);
    })();
    return () => {
      live = false;
    };
  }, [accountId, objectKey, props.timeZone, props.refreshKey]);

  /** Reads from `cursor` on until a change ends: the pages' rows with the last change held back (`carried` goes first). */
  const readComplete = async (cursor: string | undefined, carried: AuditEvent[], filter: string): Promise<Result<Shown>> => {
    let events = carried;
    let next = cursor;
    for (let pages = 0; ; pages++) {
      const result = await client.history({
        accountId,
        object,
        element: filter || undefined,
        tz: props.timeZone,
        cursor: next,
        limit: PAGE_SIZE,
      });
      if (!result.ok) return result;
      events = appendPage(events, result.value.events);
      next = result.value.nextCursor ?? undefined;
      if (!next || pages + 1 >= MAX_PAGES_PER_CHANGE) return ok({ events, held: [], nextCursor: next ?? null });
      const { complete, partial } = splitTrailingChange(events);
      if (complete.length > 0) return ok({ events: complete, held: partial, nextCursor: next });
    }
  };

  useEffect(() => {
    const id = ++latest.current;
    // A save or an import wait reads the same history again: what is shown stays until the new read arrives.
    const again = loadedFor.current === `${objectKey}|${element}`;
    loadedFor.current = `${objectKey}|${element}`;
    setView((current) => (current.status === 'ready' && again && (props.refreshKey > 0 || polls > 0) ? current : { status: 'loading' }));
    setMore({ busy: false });
    void readComplete(undefined, [], element).then((result) => {
      if (id !== latest.current) return;
      if (!result.ok) return setView({ status: 'error', error: result.error });
      remember(result.value.events);
      setView({ status: 'ready', ...result.value });
      const newest = result.value.events[0]?.id;
      const wait = importWait.current;
      if (wait && wait.baseline === undefined) wait.baseline = newest ?? null;
      else if (wait && newest !== undefined && newest !== wait.baseline) {
        clearTimeout(wait.timer);
        importWait.current = null;
      }
    });
  }, [accountId, object?.objectType, object?.objectId, element, props.timeZone, props.refreshKey, attempt, polls]);

  // Wait for the import: read again after each wait until a newer change is shown; closing the
  // panel (unmounting it) ends the wait.
  useEffect(() => {
    if (!props.awaitImport) return;
    const wait: ImportWait = { baseline: view.status === 'ready' ? (view.events[0]?.id ?? null) : undefined };
    importWait.current = wait;
    let step = 0;
    const arm = () => {
      if (step >= IMPORT_WAITS_MS.length || importWait.current !== wait) return;
      wait.timer = setTimeout(() => {
        step++;
        setPolls((n) => n + 1);
        arm();
      }, IMPORT_WAITS_MS[step]);
    };
    arm();
    return () => {
      clearTimeout(wait.timer);
      if (importWait.current === wait) importWait.current = null;
    };
  }, [props.awaitImport]);

  const loadMore = async () => {
    if (view.status !== 'ready' || !view.nextCursor || more.busy) return;
    const id = latest.current;
    setMore({ busy: true });
    const result = await readComplete(view.nextCursor, view.held, element);
    if (id !== latest.current) return;
    if (!result.ok) return setMore({ busy: false, error: result.error });
    remember(result.value.events);
    setMore({ busy: false });
    setView({ status: 'ready', ...result.value, events: appendPage(view.events, result.value.events) });
  };

  const exportExcel = async () => {
    setExporting({ busy: true });
    const filters = {
      ...(object ? { objectType: [object.objectType], objectId: object.objectId } : {}),
      ...(element ? { element } : {}),
      tz: props.timeZone,
    };
    const result = await client.export({ accountId, filters, format: 'xlsx', objectName: props.objectName });
    if (!result.ok) return setExporting({ busy: false, error: result.error });
    setExporting({ busy: false, done: `Downloading ${result.value.filename}` });
  };

  const openOptions = () => void client.openOptions({});
  const what = object ? `this ${OBJECT_TYPE_LABELS[object.objectType].toLowerCase()}` : 'this account';

  return (
    <div
      class="panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="audit-trail-title"
      aria-describedby="audit-trail-subject"
      style={props.top ? { top: `${props.top}px` } : undefined}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
    >
      <header class="panel-head">
        <div>
          <h2 id="audit-trail-title" ref={heading} tabIndex={-1}>
            Audit trail
          </h2>
          <p id="audit-trail-subject" class="subject">
            {subject(object, props.objectName)}
          </p>
          <p class="zone" data-zone={props.timeZone}>
            Times in {props.timeZone}
          </p>
        </div>
        <button type="button" class="close" aria-label="Close audit trail" onClick={props.onClose}>
          ×
        </button>
      </header>

      <div class="toolbar">
        <label class="inline">
          Element
          <select value={element} onChange={(event) => setElement((event.target as HTMLSelectElement).value)}>
            <option value="">All elements</option>
            {(allElements ?? elements.map((value) => ({ value, count: undefined }))).map(({ value, count }) => (
              <option value={value} key={value}>
                {count === undefined ? value : `${value} (${count.toLocaleString('en-US')})`}
              </option>
            ))}
          </select>
        </label>
        {props.canExport && (
          <button
            type="button"
            onClick={exportExcel}
            disabled={exporting.busy}
            aria-busy={exporting.busy}
            aria-label="Export to Excel"
            title="Export to Excel (.xlsx)"
          >
            {exporting.busy ? 'Exporting…' : 'Excel'}
          </button>
        )}
        <button
          type="button"
          class="link"
          aria-label="Open full audit trail"
          title="Open the full audit trail in a new tab"
          onClick={() =>
            void client.openAuditTrail({
              accountId,
              filters: object ? { objectType: [object.objectType], objectId: object.objectId } : undefined,
            })
          }
        >
          Full audit trail
        </button>
      </div>
      {exporting.done && (
        <p class="state" role="status">
          {exporting.done}
        </p>
      )}
      {exporting.error && <ProblemMessage error={exporting.error} onRetry={exportExcel} onOptions={openOptions} />}

      <div class="body" aria-live="polite" aria-busy={view.status === 'loading'}>
        {view.status === 'loading' && (
          <p class="state" role="status" data-state="loading">
            Loading history…
          </p>
        )}
        {view.status === 'error' && <ProblemMessage error={view.error} onRetry={() => setAttempt((n) => n + 1)} onOptions={openOptions} />}
        {view.status === 'ready' && view.events.length === 0 && (
          <div class="state" data-state="empty">
            <p class="problem-title">{element ? `No changes of “${element}”` : `No changes recorded for ${what} yet`}</p>
            <p>
              {element
                ? 'Choose “All elements” to see every change.'
                : 'Changes appear here once they are saved. History starts when auditing was enabled for the account.'}
            </p>
          </div>
        )}
        {view.status === 'ready' && view.events.length > 0 && (
          <>
            <ChangeList events={view.events} timeZone={props.timeZone} showObject={!object} />
            {more.error && <ProblemMessage error={more.error} onRetry={loadMore} onOptions={openOptions} />}
            {view.nextCursor && (
              <button type="button" class="more" onClick={loadMore} disabled={more.busy} aria-busy={more.busy}>
                {more.busy ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}
