// The typed messages between the extension's pages and content scripts (who ask) and the
// background service worker (the only context that reads the token and calls the API).
// Every answer is JSON: errors travel as values (`Result`), never as thrown exceptions.
import { browser } from 'wxt/browser';
import type { ExportFormat, ObjectType, Scope } from '../../shared/vocabulary';
import type { ApiError, Result } from '../api/client';
import type {
  EventPage,
  EventFilters,
  EventOrder,
  Facets,
  LivePersonConnect,
  LivePersonStatus,
  LivePersonSyncQueued,
  Me,
} from '../api/types';

export interface ObjectRef {
  objectType: ObjectType;
  objectId: string;
}

/** What the token may do in one account: the UI shows features by these. */
export interface Access {
  accountId: string;
  scopes: Scope[];
  canRead: boolean;
  canExport: boolean;
  /** The account's time zone (GET /v1/accounts/{a}): the default of day filters and dates. */
  timeZone: string;
  /** The account's name (GET /v1/accounts/{a}), shown beside its number. */
  accountName?: string;
}

/** An export the background handed to the browser's downloads API. */
export interface StartedDownload {
  filename: string;
}

/** The stored settings, as anyone but the background may see them: never the token. */
export interface SettingsView {
  apiUrl: string;
  accountId: string;
  hasToken: boolean;
}

export interface ConnectionInput {
  apiUrl: string;
  accountId: string;
  /** Empty or missing: keep (or test) the stored token. */
  token?: string;
}

/** The options page's view of the LivePerson connection of the configured account. */
export interface LivePersonView {
  accountId: string;
  /** The token's scopes: connecting LivePerson takes account:admin. */
  scopes: Scope[];
  canAdmin: boolean;
  /** Null without account:admin (the Worker would refuse to say). */
  status: LivePersonStatus | null;
}

/** What the background did after the host saved an element. */
export interface AfterSave {
  /** True when a LivePerson sync was asked for: the change arrives through the connector, so the panel should look again. */
  syncRequested: boolean;
}

export interface Protocol {
  access: { request: { accountId: string }; response: Result<Access> };
  history: {
    request: { accountId: string; object: ObjectRef | null; element?: string; tz?: string; cursor?: string; limit?: number };
    response: Result<EventPage>;
  };
  events: {
    request: { accountId: string; filters: EventFilters; cursor?: string; limit?: number; order?: EventOrder; count?: boolean };
    response: Result<EventPage>;
  };
  /** Counts by element, originator, object type, action and day, of the account's events or one object's. */
  facets: {
    request: { accountId: string; object: ObjectRef | null; filters: EventFilters; prefix?: string; limit?: number };
    response: Result<Facets>;
  };
  export: {
    /** `objectName` (the element's name, if one is exported) only names the file. */
    request: { accountId: string; filters: EventFilters; format: ExportFormat; objectName?: string | null };
    response: Result<StartedDownload>;
  };
  openAuditTrail: { request: { accountId: string; filters?: EventFilters }; response: Result<null> };
  openOptions: { request: Record<string, never>; response: Result<null> };
  getSettings: { request: Record<string, never>; response: Result<SettingsView> };
  saveSettings: { request: ConnectionInput; response: Result<SettingsView> };
  testConnection: { request: ConnectionInput; response: Result<Me> };
  livePerson: { request: Record<string, never>; response: Result<LivePersonView> };
  connectLivePerson: { request: LivePersonConnect; response: Result<LivePersonStatus> };
  syncLivePerson: { request: Record<string, never>; response: Result<LivePersonSyncQueued> };
  disconnectLivePerson: { request: Record<string, never>; response: Result<null> };
  /** The host saved an element of this account: ask LivePerson's connector to sync, if it is connected and the token may. */
  afterSave: { request: { accountId: string }; response: Result<AfterSave> };
}

export type MessageType = keyof Protocol;
export type Message<K extends MessageType = MessageType> = { [T in K]: { type: T } & Protocol[T]['request'] }[K];
export type Reply<K extends MessageType> = Protocol[K]['response'];
export type Handlers = { [K in MessageType]: (request: Protocol[K]['request']) => Promise<Reply<K>> };

const TYPES: readonly MessageType[] = [
  'access',
  'history',
  'events',
  'facets',
  'export',
  'openAuditTrail',
  'openOptions',
  'getSettings',
  'saveSettings',
  'testConnection',
  'livePerson',
  'connectLivePerson',
  'syncLivePerson',
  'disconnectLivePerson',
  'afterSave',
];

export function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && TYPES.includes((value as { type: MessageType }).type);
}

/** Waits before asking again when no background was there to receive a message: an MV3
 *  service worker that the browser is (re)starting. The message was not delivered, so
 *  sending it again cannot do anything twice. */
export const NO_RECEIVER_RETRY_MS = [50, 250, 1_000];

/** Ask the background. A dead extension context (the extension was updated) becomes an error value. */
export async function send<K extends MessageType>(type: K, request: Protocol[K]['request']): Promise<Reply<K>> {
  for (let attempt = 0; ; attempt++) {
    try {
      const reply = (await browser.runtime.sendMessage({ ...request, type })) as Reply<K> | undefined;
      if (reply !== undefined) return reply;
      break;
    } catch (error) {
      const notDelivered = /Receiving end does not exist/i.test(String(error));
      if (!notDelivered || attempt >= NO_RECEIVER_RETRY_MS.length) break;
      await new Promise((resolve) => setTimeout(resolve, NO_RECEIVER_RETRY_MS[attempt]));
    }
  }
  const error: ApiError = {
    kind: 'server',
    detail: 'The extension did not answer. Reload the page (the extension may have been updated).',
  };
  return { ok: false, error } as Reply<K>;
}

/** Dispatch one message to its handler; unknown messages get no answer. */
export function dispatch(handlers: Handlers, message: unknown): Promise<unknown> | undefined {
  if (!isMessage(message)) return undefined;
  const { type, ...request } = message;
  return (handlers[type] as (request: unknown) => Promise<unknown>)(request);
}

/** The client every UI uses; tests pass a fake with the same shape. */
export type Client = { [K in MessageType]: (request: Protocol[K]['request']) => Promise<Reply<K>> };

export const messageClient: Client = {
  access: (r) => send('access', r),
  history: (r) => send('history', r),
  events: (r) => send('events', r),
  facets: (r) => send('facets', r),
  export: (r) => send('export', r),
  openAuditTrail: (r) => send('openAuditTrail', r),
  openOptions: (r) => send('openOptions', r),
  getSettings: (r) => send('getSettings', r),
  saveSettings: (r) => send('saveSettings', r),
  testConnection: (r) => send('testConnection', r),
  livePerson: (r) => send('livePerson', r),
  connectLivePerson: (r) => send('connectLivePerson', r),
  syncLivePerson: (r) => send('syncLivePerson', r),
  disconnectLivePerson: (r) => send('disconnectLivePerson', r),
  afterSave: (r) => send('afterSave', r),
};
