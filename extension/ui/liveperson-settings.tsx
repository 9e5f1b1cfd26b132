// The options page's LivePerson section: paste LivePerson's API key (four strings), "Test and
// connect", then watch the import: a progress bar while the history is backfilled, the last
// sync, what went wrong and what was skipped; "Sync now" and "Disconnect". The key goes to the
// background and on to the Worker, which checks it with LivePerson and keeps it encrypted;
// this page never sees it again. Needs a token with account:admin, and says so otherwise.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import type { LivePersonStatus } from '../api/types';
import { formatDateTime } from '../format/time';
import type { Client, LivePersonView } from '../messaging/protocol';
import { explain } from './problem';

/** How often the status is read again while the history is being imported. */
export const POLL_MS = 3000;

export interface LivePersonSettingsProps {
  client: Pick<Client, 'livePerson' | 'connectLivePerson' | 'syncLivePerson' | 'disconnectLivePerson'>;
  /** Changes when the API settings were saved: the section reads the connection again. */
  settingsKey: number;
  /** Where visibility is watched: no polling while the page is hidden. */
  doc?: Document;
  /** Today, for "→ today" (tests pin it). */
  now?: () => Date;
}

const KEY_FIELDS = [
  { name: 'consumerKey', label: 'App key' },
  { name: 'consumerSecret', label: 'App secret' },
  { name: 'token', label: 'Access token' },
  { name: 'tokenSecret', label: 'Access token secret' },
] as const;
type KeyField = (typeof KEY_FIELDS)[number]['name'];
const EMPTY_KEY: Record<KeyField, string> = { consumerKey: '', consumerSecret: '', token: '', tokenSecret: '' };

const STATE_LABELS: Record<NonNullable<LivePersonStatus['state']>, string> = {
  backfilling: 'Importing the history',
  syncing: 'Connected: in sync (checked every five minutes)',
  error: 'Stopped',
};

const month = (day: string) =>
  new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
const count = (n: number) => n.toLocaleString('en-US');

/** "Imported 48,210 changes · Jan 2026 → today · 64 %" */
export function progressText(status: LivePersonStatus, today: string): string {
  const backfill = status.backfill;
  const imported = `Imported ${count(status.importedEvents)} change${status.importedEvents === 1 ? '' : 's'}`;
  if (!backfill) return imported;
  const to = backfill.to >= today ? 'today' : month(backfill.to);
  const percent = backfill.daysTotal > 0 ? Math.floor((backfill.daysDone / backfill.daysTotal) * 100) : 100;
  return `${imported} · ${month(backfill.from)} → ${to} · ${percent} %`;
}

type View = { kind: 'loading' } | { kind: 'error'; error: ApiError } | { kind: 'ready'; view: LivePersonView };
type Action = { busy: string } | { error: ApiError } | { done: string } | null;

/** A refused key, a missing permission, LivePerson down: in words, with the fields named. */
function Problem({ error }: { error: ApiError }) {
  const { title, advice } = explain(error);
  const own = error.kind === 'invalid' || error.kind === 'server' || error.kind === 'forbidden';
  return (
    <div class="problem" role="alert" data-state={error.kind}>
      <p class="problem-title">{error.status === 422 ? 'LivePerson did not accept the API key' : title}</p>
      <p>{own ? error.detail : advice}</p>
      {error.errors && (
        <ul>
          {error.errors.map((e) => (
            <li key={e.path}>
              {fieldName(e.path)}: {e.message}
            </li>
          ))}
        </ul>
      )}
      {error.status === 503 && <p>Try again in a moment.</p>}
    </div>
  );
}

/** "/auth/consumerKey" → "App key"; other paths as they are. */
function fieldName(path: string): string {
  const last = path.split('/').pop() ?? path;
  return KEY_FIELDS.find((f) => f.name === last)?.label ?? (last === 'backfillFrom' ? 'Import history from' : path);
}

export function LivePersonSettings({ client, settingsKey, doc = document, now = () => new Date() }: LivePersonSettingsProps) {
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [key, setKey] = useState(EMPTY_KEY);
  const [backfillFrom, setBackfillFrom] = useState('');
  const [action, setAction] = useState<Action>(null);
  const [reads, setReads] = useState(0);
  const latest = useRef(0);

  const status = view.kind === 'ready' ? view.view.status : null;
  const backfilling = status?.connected === true && status.state === 'backfilling';

  useEffect(() => {
    const id = ++latest.current;
    void client.livePerson({}).then((result) => {
      if (id !== latest.current) return;
      setView(result.ok ? { kind: 'ready', view: result.value } : { kind: 'error', error: result.error });
    });
  }, [settingsKey, reads]);

  // While the history is imported, read the status every few seconds, but only while the page is seen.
  useEffect(() => {
    if (!backfilling) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = doc.visibilityState === 'hidden' ? undefined : setTimeout(() => setReads((n) => n + 1), POLL_MS);
    };
    schedule();
    doc.addEventListener('visibilitychange', schedule);
    return () => {
      clearTimeout(timer);
      doc.removeEventListener('visibilitychange', schedule);
    };
  }, [backfilling, reads, doc]);

  const connect = async (event: Event) => {
    event.preventDefault();
    setAction({ busy: 'Checking the API key with LivePerson…' });
    const auth = { type: 'oauth1' as const, ...key };
    const result = await client.connectLivePerson(backfillFrom ? { auth, backfillFrom } : { auth });
    if (!result.ok) return setAction({ error: result.error });
    setKey(EMPTY_KEY);
    setAction({ done: 'Connected. The history is being imported.' });
    if (view.kind === 'ready') setView({ kind: 'ready', view: { ...view.view, status: result.value } });
  };

  const sync = async () => {
    setAction({ busy: 'Asking for a sync…' });
    const result = await client.syncLivePerson({});
    if (!result.ok) return setAction({ error: result.error });
    setAction({
      done: result.value.queued ? 'Sync queued: changes from today and yesterday arrive within a minute.' : 'A sync is already on its way.',
    });
    setReads((n) => n + 1);
  };

  const disconnect = async () => {
    setAction({ busy: 'Disconnecting…' });
    const result = await client.disconnectLivePerson({});
    if (!result.ok) return setAction({ error: result.error });
    setAction({ done: 'Disconnected. The history imported so far stays.' });
    setReads((n) => n + 1);
  };

  const busy = action !== null && 'busy' in action;
  return (
    <section class="liveperson" aria-labelledby="liveperson-title">
      <h2 id="liveperson-title">LivePerson</h2>
      <p class="intro">
        Import this account’s audit trail from LivePerson (its last 13 months) and keep it in sync. Create an API key in LivePerson
        (Campaign Builder → Data Sources → API, with the Audit Trail permission) and paste its four strings here.
      </p>
      {view.kind === 'loading' && <p role="status">Reading the LivePerson connection…</p>}
      {view.kind === 'error' &&
        (view.error.kind === 'not-configured' ? (
          <p class="state">Save the API URL, account ID and token above first.</p>
        ) : (
          <Problem error={view.error} />
        ))}
      {view.kind === 'ready' && !view.view.canAdmin && (
        <div class="state" data-state="needs-admin">
          <p class="problem-title">Connecting LivePerson takes an account admin’s token</p>
          <p>
            This token has {view.view.scopes.join(', ') || 'no scopes'}. Save a token with the account:admin scope above to connect
            LivePerson or see its sync status.
          </p>
        </div>
      )}
      {status?.connected && <StatusView status={status} today={now().toISOString().slice(0, 10)} />}
      {status?.connected && (
        <p class="actions">
          <button type="button" onClick={sync} disabled={busy || status.state === 'error'}>
            Sync now
          </button>
          <button type="button" class="link" onClick={disconnect} disabled={busy}>
            Disconnect
          </button>
        </p>
      )}
      {view.kind === 'ready' && view.view.canAdmin && (!status?.connected || status.state === 'error') && (
        <form class="liveperson-key" onSubmit={connect} noValidate>
          {KEY_FIELDS.map((field) => (
            <label key={field.name}>
              {field.label}
              <input
                name={field.name}
                type="password"
                autocomplete="off"
                spellcheck={false}
                required
                value={key[field.name]}
                onInput={(e) => {
                  const value = (e.target as HTMLInputElement).value;
                  setKey((typed) => ({ ...typed, [field.name]: value }));
                }}
              />
            </label>
          ))}
          <label>
            Import history from (optional; default 13 months back)
            <input
              name="backfillFrom"
              type="date"
              value={backfillFrom}
              onInput={(e) => setBackfillFrom((e.target as HTMLInputElement).value)}
            />
          </label>
          <p class="actions">
            <button type="submit" disabled={busy}>
              Test and connect
            </button>
          </p>
        </form>
      )}
      <div class="status" aria-live="polite">
        {action && 'busy' in action && <p role="status">{action.busy}</p>}
        {action && 'done' in action && (
          <p role="status" class="success">
            {action.done}
          </p>
        )}
        {action && 'error' in action && <Problem error={action.error} />}
      </div>
    </section>
  );
}

function StatusView({ status, today }: { status: LivePersonStatus; today: string }) {
  const skipped = Object.entries(status.skipped);
  return (
    <div class="liveperson-status" data-state={status.state ?? 'none'}>
      <p class="problem-title" data-testid="liveperson-state">
        {status.state ? STATE_LABELS[status.state] : 'Not connected'}
      </p>
      {status.state === 'backfilling' && status.backfill && (
        <progress max={status.backfill.daysTotal} value={status.backfill.daysDone} aria-label="Import of LivePerson’s history" />
      )}
      <p class="progress-text">{progressText(status, today)}</p>
      <p>Last sync: {status.lastSyncAt ? formatDateTime(status.lastSyncAt) : 'not yet'}</p>
      {status.lastError && (
        <div class="problem" role="alert" data-state="liveperson-error">
          <p class="problem-title">What went wrong</p>
          <p>{status.lastError}</p>
          {status.state === 'error' && <p>Paste a working API key below and connect again to resume.</p>}
        </div>
      )}
      {skipped.length > 0 && (
        <div class="skipped">
          <p>Not imported (LivePerson rows Audit Trail cannot store):</p>
          <ul>
            {skipped.map(([reason, n]) => (
              <li key={reason}>
                {reason}: {count(n)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
