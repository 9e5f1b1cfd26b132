// The background's message handlers: the one place that reads the token and calls the API.
// Plain functions of their dependencies (no browser APIs), so tests drive them with fakes.
import * as api from '../api/client';
import { fail, normalizeApiUrl, ok, type Connection, type Fetch } from '../api/client';
import { exportFileName } from '../format/export-name';
import type { ConnectionInput, Handlers, SettingsView } from '../messaging/protocol';

export interface BackgroundDeps {
  fetch: Fetch;
  loadConnection: () => Promise<Connection>;
  saveConnection: (connection: Connection) => Promise<void>;
  /** Opens an extension page in a new tab. */
  openTab: (url: string) => Promise<void>;
  pageUrl: (path: string) => string;
  openOptions: () => Promise<void>;
  /** Hands a URL to the browser's downloads API: the file streams to disk under `filename`. */
  download: (options: { url: string; filename: string }) => Promise<void>;
}

const view = (c: Connection): SettingsView => ({ apiUrl: c.apiUrl, accountId: c.accountId, hasToken: !!c.token });

/** The form's values over the stored ones; an empty token field keeps the stored token. */
async function connectionFrom(deps: BackgroundDeps, input: ConnectionInput): Promise<api.Result<Connection>> {
  const apiUrl = normalizeApiUrl(input.apiUrl);
  if (!apiUrl) return fail('invalid', 'The API URL must be an http(s) address, e.g. http://127.0.0.1:8787.');
  const accountId = input.accountId.trim();
  if (!accountId) return fail('invalid', 'Enter the account ID (the number in the Agent Workspace address, /a/{account}/).');
  const token = input.token?.trim() || (await deps.loadConnection()).token;
  if (!token) return fail('invalid', 'Enter a token.');
  return ok({ apiUrl, accountId, token });
}

export function backgroundHandlers(deps: BackgroundDeps): Handlers {
  const connectionFor = async (accountId: string) => ({ ...(await deps.loadConnection()), accountId });
  return {
    async access({ accountId }) {
      const c = await connectionFor(accountId);
      const [me, account] = await Promise.all([api.getMe(deps.fetch, c), api.getAccount(deps.fetch, c)]);
      if (!me.ok) return me;
      if (!account.ok) return account;
      const scopes = me.value.scopes;
      return ok({
        accountId,
        scopes,
        canRead: scopes.includes('audit:read'),
        canExport: scopes.includes('audit:export'),
        timeZone: account.value.timezone,
        accountName: account.value.name,
      });
    },
    async history({ accountId, object, element, tz, cursor, limit }) {
      const c = await connectionFor(accountId);
      return object
        ? api.objectHistory(deps.fetch, c, object, { element, tz }, cursor, limit)
        : api.listEvents(deps.fetch, c, { element, tz }, cursor, limit);
    },
    async events({ accountId, filters, cursor, limit, order, count }) {
      return api.listEvents(deps.fetch, await connectionFor(accountId), filters, cursor, limit, { order, count });
    },
    async facets({ accountId, object, filters, prefix, limit }) {
      return api.eventFacets(deps.fetch, await connectionFor(accountId), object, filters, { prefix, limit });
    },
    async export({ accountId, filters, format, objectName }) {
      const filename = exportFileName(accountId, filters, format, objectName);
      const link = await api.createExportLink(deps.fetch, await connectionFor(accountId), filters, format, filename);
      if (!link.ok) return link;
      try {
        await deps.download({ url: link.value.url, filename });
      } catch (error) {
        return fail('server', `The browser did not start the download (${error instanceof Error ? error.message : String(error)}).`);
      }
      return ok({ filename });
    },
    async openAuditTrail({ accountId, filters }) {
      const query = new URLSearchParams({ account: accountId });
      if (filters) query.set('filters', JSON.stringify(filters));
      await deps.openTab(deps.pageUrl(`/audit-trail.html?${query}`));
      return ok(null);
    },
    async openOptions() {
      await deps.openOptions();
      return ok(null);
    },
    async getSettings() {
      return ok(view(await deps.loadConnection()));
    },
    async saveSettings(input) {
      const connection = await connectionFrom(deps, input);
      if (!connection.ok) return connection;
      await deps.saveConnection(connection.value);
      return ok(view(connection.value));
    },
    async testConnection(input) {
      const connection = await connectionFrom(deps, input);
      if (!connection.ok) return connection;
      return api.getMe(deps.fetch, connection.value);
    },
    // LivePerson: the configured account's connection. The API key passes through here once,
    // to the Worker; it is never stored in the extension nor sent back to a page.
    async livePerson() {
      const c = await deps.loadConnection();
      const me = await api.getMe(deps.fetch, c);
      if (!me.ok) return me;
      const { scopes } = me.value;
      const canAdmin = scopes.includes('account:admin');
      if (!canAdmin) return ok({ accountId: c.accountId, scopes, canAdmin, status: null });
      const status = await api.livePersonStatus(deps.fetch, c);
      if (!status.ok) return status;
      return ok({ accountId: c.accountId, scopes, canAdmin, status: status.value });
    },
    async connectLivePerson(input) {
      return api.connectLivePerson(deps.fetch, await deps.loadConnection(), input);
    },
    async syncLivePerson() {
      return api.syncLivePerson(deps.fetch, await deps.loadConnection());
    },
    async disconnectLivePerson() {
      return api.disconnectLivePerson(deps.fetch, await deps.loadConnection());
    },
    async afterSave({ accountId }) {
      const c = await connectionFor(accountId);
      const me = await api.getMe(deps.fetch, c);
      if (!me.ok) return me;
      // Only an admin token may see or sync the connection; any other token has nothing to ask.
      if (!me.value.scopes.includes('account:admin')) return ok({ syncRequested: false });
      const status = await api.livePersonStatus(deps.fetch, c);
      if (!status.ok) return status;
      if (!status.value.connected || status.value.state === 'error') return ok({ syncRequested: false });
      const queued = await api.syncLivePerson(deps.fetch, c);
      if (!queued.ok) return queued;
      return ok({ syncRequested: true });
    },
  };
}
