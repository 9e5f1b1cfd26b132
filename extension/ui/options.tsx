// The options page: where the API is and which token to use. The token goes to the
// background and is never shown again; "Test connection" asks the API what the token may do.
import { useEffect, useState } from 'preact/hooks';
import { normalizeApiUrl, originPattern, type ApiError } from '../api/client';
import type { Me } from '../api/types';
import type { Client, ConnectionInput, SettingsView } from '../messaging/protocol';
import { LivePersonSettings } from './liveperson-settings';
import { explain } from './problem';

export interface OptionsProps {
  client: Pick<
    Client,
    'getSettings' | 'saveSettings' | 'testConnection' | 'livePerson' | 'connectLivePerson' | 'syncLivePerson' | 'disconnectLivePerson'
  >;
  /** Asks the browser for access to the API's origin; must be called straight from the click. */
  requestOrigin: (pattern: string) => Promise<boolean>;
}

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; text: string }
  | { kind: 'saved'; settings: SettingsView }
  | { kind: 'connected'; me: Me }
  | { kind: 'error'; error: ApiError };

export function describeMe(me: Me): string {
  return `Connected to account ${me.accountId} with token “${me.name}”. Scopes: ${me.scopes.join(', ') || 'none'}.`;
}

export function Options({ client, requestOrigin }: OptionsProps) {
  const [apiUrl, setApiUrl] = useState('');
  const [accountId, setAccountId] = useState('');
  const [token, setToken] = useState('');
  const [hasToken, setHasToken] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  // The form waits for the stored settings: text typed before they arrive would be mixed with them.
  const [loaded, setLoaded] = useState(false);
  // Bumped when the settings are saved: the LivePerson section reads the connection again.
  const [saves, setSaves] = useState(0);

  useEffect(() => {
    void client.getSettings({}).then((result) => {
      setLoaded(true);
      if (!result.ok) return setStatus({ kind: 'error', error: result.error });
      setApiUrl(result.value.apiUrl);
      setAccountId(result.value.accountId);
      setHasToken(result.value.hasToken);
    });
  }, []);

  const input = (): ConnectionInput => ({ apiUrl, accountId, token });

  /** Starts the permission request synchronously (browsers want a user gesture), then awaits it. */
  const grant = (): Promise<ApiError | null> => {
    const normalized = normalizeApiUrl(apiUrl);
    if (!normalized) return Promise.resolve(null); // the background explains a bad URL
    return requestOrigin(originPattern(normalized)).then(
      (granted) => (granted ? null : { kind: 'permission', detail: 'The browser did not allow access to the API.' }),
      (error: unknown) => ({ kind: 'permission', detail: String(error) }),
    );
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const permission = grant();
    setStatus({ kind: 'busy', text: 'Saving…' });
    const refused = await permission;
    if (refused) return setStatus({ kind: 'error', error: refused });
    const result = await client.saveSettings(input());
    if (!result.ok) return setStatus({ kind: 'error', error: result.error });
    setToken('');
    setHasToken(result.value.hasToken);
    setApiUrl(result.value.apiUrl);
    setStatus({ kind: 'saved', settings: result.value });
    setSaves((n) => n + 1);
  };

  const test = async () => {
    const permission = grant();
    setStatus({ kind: 'busy', text: 'Testing the connection…' });
    const refused = await permission;
    if (refused) return setStatus({ kind: 'error', error: refused });
    const result = await client.testConnection(input());
    setStatus(result.ok ? { kind: 'connected', me: result.value } : { kind: 'error', error: result.error });
  };

  return (
    <main class="page options">
      <h1>Audit Trail — options</h1>
      <p class="intro">Connect the extension to your Audit Trail API. The token is kept by the extension and sent only to this API.</p>
      <form onSubmit={save} noValidate>
        <fieldset disabled={!loaded}>
          <label>
            API URL
            <input
              name="apiUrl"
              type="url"
              required
              placeholder="https://audit.example.com"
              value={apiUrl}
              onInput={(e) => setApiUrl((e.target as HTMLInputElement).value)}
            />
          </label>
          <label>
            Account ID
            <input name="accountId" required value={accountId} onInput={(e) => setAccountId((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Token
            <input
              name="token"
              type="password"
              autocomplete="off"
              placeholder={hasToken ? 'Saved — leave empty to keep it' : 'atr_…'}
              value={token}
              onInput={(e) => setToken((e.target as HTMLInputElement).value)}
            />
          </label>
          <p class="actions">
            <button type="submit">Save</button>
            <button type="button" class="link" onClick={test}>
              Test connection
            </button>
          </p>
        </fieldset>
      </form>
      <div class="status" role="status" aria-live="polite" data-state={status.kind}>
        {status.kind === 'busy' && <p>{status.text}</p>}
        {status.kind === 'saved' && <p>Saved. Reload open Agent Workspace tabs to use the new settings.</p>}
        {status.kind === 'connected' && <p class="success">{describeMe(status.me)}</p>}
        {status.kind === 'error' && (
          <div class="problem">
            <p class="problem-title">{explain(status.error).title}</p>
            <p>
              {status.error.kind === 'unauthorized' || status.error.kind === 'invalid' || status.error.kind === 'permission'
                ? status.error.detail
                : explain(status.error).advice}
            </p>
          </div>
        )}
      </div>
      <LivePersonSettings client={client} settingsKey={saves} />
    </main>
  );
}
