// The in-context panel: the open element's history (or the account's latest changes),
// grouped by change, with "Load more", an element filter, export and a way to the full page.
// Pure UI: everything it needs comes in through props, so tests render it with a fake client.
import { useEffect, useRef, useState } from 'preact/hooks';
import { OBJECT_TYPE_LABELS } from '../../shared/vocabulary';
import type { ApiError } from '../api/client';
import type { AuditEvent } from '../api/types';
import { appendPage } from '../format/changes';
import type { Client, ObjectRef } from '../messaging/protocol';
import { ChangeList } from './change-list';
import { ProblemMessage } from './problem';

export const PAGE_SIZE = 20;

/** After a save that reaches us through LivePerson's connector (a sync was asked for), the
 *  history is read again after these waits until the new change is there: doubling from 3 s,
 *  two minutes in all (LivePerson's audit trail has it within a minute or so). */
export const IMPORT_WAITS_MS = [3_000, 6_000, 12_000, 24_000, 48_000, 27_000];

export interface PanelProps {
  client: Pick<Client, 'history' | 'export' | 'openAuditTrail' | 'openOptions'>;
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

type View =
  { status: 'loading' } | { status: 'error'; error: ApiError } | { status: 'ready'; events: AuditEvent[]; nextCursor: string | null };

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

  const remember = (events: AuditEvent[]) =>
    setElements((seen) => {
      const next = new Set(seen);
      for (const event of events) next.add(event.element);
      return next.size === seen.length ? seen : [...next].sort((a, b) => a.localeCompare(b));
    });

  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    const id = ++latest.current;
    setView((current) => (current.status === 'ready' && (props.refreshKey > 0 || polls > 0) ? current : { status: 'loading' }));
    setMore({ busy: false });
    client.history({ accountId, object, element: element || undefined, tz: props.timeZone, limit: PAGE_SIZE }).then((result) => {
      if (id !== latest.current) return;
      if (!result.ok) return setView({ status: 'error', error: result.error });
      remember(result.value.events);
      setView({ status: 'ready', events: result.value.events, nextCursor: result.value.nextCursor });
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
    const result = await client.history({
      accountId,
      object,
      element: element || undefined,
      tz: props.timeZone,
      cursor: view.nextCursor,
      limit: PAGE_SIZE,
    });
    if (id !== latest.current) return;
    if (!result.ok) return setMore({ busy: false, error: result.error });
    remember(result.value.events);
    setMore({ busy: false });
    setView({ status: 'ready', events: appendPage(view.events, result.value.events), nextCursor: result.value.nextCursor });
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
        <label>
          Element
          <select value={element} onChange={(event) => setElement((event.target as HTMLSelectElement).value)}>
            <option value="">All elements</option>
            {elements.map((name) => (
              <option value={name} key={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {props.canExport && (
          <button type="button" onClick={exportExcel} disabled={exporting.busy} aria-busy={exporting.busy}>
            {exporting.busy ? 'Exporting…' : 'Export to Excel'}
          </button>
        )}
        <button
          type="button"
          class="link"
          onClick={() =>
            void client.openAuditTrail({
              accountId,
              filters: object ? { objectType: [object.objectType], objectId: object.objectId } : undefined,
            })
          }
        >
          Open full audit trail
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
