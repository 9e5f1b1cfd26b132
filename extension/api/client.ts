// The Audit Trail API as the background service worker calls it. Plain functions of
// (settings, fetch): no browser APIs here, so tests run them against a fake fetch.
import type { ExportFormat, ObjectType } from '../../shared/vocabulary';
import type {
  Account,
  EventPage,
  EventFilters,
  EventOrder,
  ExportLink,
  Facets,
  LivePersonConnect,
  LivePersonStatus,
  LivePersonSyncQueued,
  Me,
} from './types';

export interface Connection {
  apiUrl: string;
  accountId: string;
  token: string;
}

/** Why a call failed, in the terms the UI needs to say what to do. */
export type ApiErrorKind =
  | 'not-configured' // no API URL or token yet: go to the options page
  | 'unauthorized' // 401: the token is wrong, expired or revoked
  | 'forbidden' // 403: the token lacks the scope
  | 'not-found' // 404: another account's token, or an unknown object
  | 'offline' // the network or the API cannot be reached
  | 'permission' // the browser has not granted the extension access to the API origin
  | 'invalid' // 400/409/413/422: the request was refused as asked
  | 'server'; // 5xx or an answer that is not the API's

export interface ApiError {
  kind: ApiErrorKind;
  status?: number;
  detail: string;
  /** A problem's `errors`: which field (a JSON pointer such as /auth/token) and what is wrong with it. */
  errors?: { path: string; message: string }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (kind: ApiErrorKind, detail: string, status?: number): Result<never> => ({
  ok: false,
  error: status === undefined ? { kind, detail } : { kind, detail, status },
});

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const KIND_BY_STATUS: Record<number, ApiErrorKind> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' };

/** "https://audit.example.com/" → "https://audit.example.com"; anything but http(s) is refused. */
export function normalizeApiUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

/** The match pattern a browser grants for the API: the host, any port (ports are not part of patterns). */
export function originPattern(apiUrl: string): string {
  const url = new URL(apiUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

export function eventQuery(filters: EventFilters, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const query = new URLSearchParams();
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') query.set(key, value.trim());
  };
  set('objectType', filters.objectType?.join(','));
  set('objectId', filters.objectId);
  set('action', filters.action?.join(','));
  set('element', filters.element);
  set('originatorId', filters.originatorId);
  set('q', filters.q);
  set('from', filters.from);
  set('to', filters.to);
  set('tz', filters.tz);
  for (const [key, value] of Object.entries(extra)) set(key, value);
  return query;
}

async function problemOf(response: Response): Promise<{ detail: string; errors?: ApiError['errors'] }> {
  try {
    const body = (await response.json()) as { detail?: unknown; title?: unknown; errors?: unknown };
    const errors = Array.isArray(body.errors)
      ? body.errors.filter((e): e is { path: string; message: string } => typeof e?.path === 'string' && typeof e?.message === 'string')
      : [];
    const listed = errors.length ? { errors: errors.map(({ path, message }) => ({ path, message })) } : {};
    if (typeof body.detail === 'string' && body.detail) return { detail: body.detail, ...listed };
    if (typeof body.title === 'string' && body.title) return { detail: body.title, ...listed };
  } catch {
    // not problem+json: fall through
  }
  return { detail: `The API answered ${response.status} ${response.statusText}`.trim() + '.' };
}

export async function call(
  fetcher: Fetch,
  connection: Connection,
  path: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' = 'GET',
  body?: unknown,
): Promise<Result<Response>> {
  if (!connection.apiUrl || !connection.token) return fail('not-configured', 'Set the API URL and token on the options page.');
  let response: Response;
  try {
    response = await fetcher(connection.apiUrl + path, {
      method,
      headers: {
        Authorization: `Bearer ${connection.token}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    return fail(
      'offline',
      `The API at ${connection.apiUrl} cannot be reached (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (response.ok) return ok(response);
  const { detail, errors } = await problemOf(response);
  const kind = KIND_BY_STATUS[response.status] ?? (response.status >= 500 ? 'server' : 'invalid');
  return { ok: false, error: { kind, detail, status: response.status, ...(errors ? { errors } : {}) } };
}

async function json<T>(pending: Promise<Result<Response>>): Promise<Result<T>> {
  const result = await pending;
  if (!result.ok) return result;
  try {
    return ok((await result.value.json()) as T);
  } catch {
    return fail('server', 'The API answered with something that is not JSON.');
  }
}

const accountPath = (accountId: string) => `/v1/accounts/${encodeURIComponent(accountId)}`;

export const getMe = (fetcher: Fetch, c: Connection) => json<Me>(call(fetcher, c, `${accountPath(c.accountId)}/me`));

/** The account's settings; the extension needs its time zone (the default of day filters and dates). */
export const getAccount = (fetcher: Fetch, c: Connection) => json<Account>(call(fetcher, c, accountPath(c.accountId)));

/** What a listing may ask beyond its filters: the order, and the number of matches. */
export interface ListOptions {
  order?: EventOrder;
  count?: boolean;
}

const listExtras = (cursor: string | undefined, limit: number, options: ListOptions) => ({
  cursor,
  limit: String(limit),
  order: options.order === 'asc' ? 'asc' : undefined,
  count: options.count ? 'true' : undefined,
});

/** Whether `answer` is an API refusing one of `names` as a query parameter it does not know
 *  (a 400 naming query.<name>): an older API, to be asked again without them. Any other
 *  400 (a bad cursor, a bad filter) is the answer to show. */
export function refusesParameters(answer: Result<unknown>, names: string[]): boolean {
  if (answer.ok || answer.error.status !== 400) return false;
  return (answer.error.errors ?? []).some(({ path }) => names.some((name) => path === `query.${name}`));
}

/** A listing that asks for order or count; an API too old for them refuses the query (400),
 *  so it is asked again without them: newest first, no count shown, rather than no page. */
async function listing(
  fetcher: Fetch,
  c: Connection,
  path: string,
  filters: EventFilters,
  cursor: string | undefined,
  limit: number,
  options: ListOptions,
) {
  const answer = await json<EventPage>(call(fetcher, c, `${path}?${eventQuery(filters, listExtras(cursor, limit, options))}`));
  if (!refusesParameters(answer, ['order', 'count'])) return answer;
  return json<EventPage>(call(fetcher, c, `${path}?${eventQuery(filters, listExtras(cursor, limit, {}))}`));
}

export function listEvents(fetcher: Fetch, c: Connection, filters: EventFilters, cursor?: string, limit = 50, options: ListOptions = {}) {
  return listing(fetcher, c, `${accountPath(c.accountId)}/events`, filters, cursor, limit, options);
}

const objectPath = (c: Connection, object: { objectType: ObjectType; objectId: string }) =>
  `${accountPath(c.accountId)}/objects/${encodeURIComponent(object.objectType)}/${encodeURIComponent(object.objectId)}/events`;

export function objectHistory(
  fetcher: Fetch,
  c: Connection,
  object: { objectType: ObjectType; objectId: string },
  filters: { element?: string; tz?: string },
  cursor?: string,
  limit = 20,
  options: ListOptions = {},
) {
  return listing(fetcher, c, objectPath(c, object), filters, cursor, limit, options);
}

/** Counts of what the filters match, by element, originator, object type, action and day
 *  (GET .../events/facets, or the object's); `prefix` narrows elements and originators. */
export function eventFacets(
  fetcher: Fetch,
  c: Connection,
  object: { objectType: ObjectType; objectId: string } | null,
  filters: EventFilters,
  options: { prefix?: string; limit?: number } = {},
) {
  const path = object ? objectPath(c, object) : `${accountPath(c.accountId)}/events`;
  const query = eventQuery(filters, { prefix: options.prefix, limit: options.limit === undefined ? undefined : String(options.limit) });
  return json<Facets>(call(fetcher, c, `${path}/facets?${query}`));
}

/** Asks for a link to exactly these filters; the browser's downloads API fetches it, so the
 *  file streams to disk instead of travelling through extension messaging. */
export function createExportLink(
  fetcher: Fetch,
  c: Connection,
  filters: EventFilters,
  format: ExportFormat,
  filename?: string,
): Promise<Result<ExportLink>> {
  // The file name travels with the link: the Worker names the download with it (Content-Disposition).
  const query = eventQuery(filters, { format, filename });
  return json<ExportLink>(call(fetcher, c, `${accountPath(c.accountId)}/events/export-links?${query}`, 'POST'));
}

// The account's LivePerson connection (account:admin). The API key goes to the Worker once,
// which checks it with LivePerson and keeps it encrypted; no answer ever carries it back.
const livePersonPath = (accountId: string) => `${accountPath(accountId)}/sources/liveperson`;

export const livePersonStatus = (fetcher: Fetch, c: Connection) => json<LivePersonStatus>(call(fetcher, c, livePersonPath(c.accountId)));

export const connectLivePerson = (fetcher: Fetch, c: Connection, input: LivePersonConnect) =>
  json<LivePersonStatus>(call(fetcher, c, livePersonPath(c.accountId), 'PUT', input));

export const syncLivePerson = (fetcher: Fetch, c: Connection) =>
  json<LivePersonSyncQueued>(call(fetcher, c, `${livePersonPath(c.accountId)}/sync`, 'POST'));

export async function disconnectLivePerson(fetcher: Fetch, c: Connection): Promise<Result<null>> {
  const result = await call(fetcher, c, livePersonPath(c.accountId), 'DELETE');
  return result.ok ? ok(null) : result;
}
