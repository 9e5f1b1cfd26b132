// Talking to LivePerson: the account's domain from the Domain API (CSDS) at the deployment's
// LIVEPERSON_CSDS_URL — never a host an admin gives —, OAuth 1.0a HMAC-SHA1 signed requests
// (the `oauth-1.0a` library builds the base string, node:crypto the HMAC), and the Audit Trail
// export of whole days as a byte stream. Every failure becomes a LivePersonError that says
// whether retrying helps and how long to wait.
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { randomBase64Url } from '../../domain/crypto';
import { LivePersonError } from '../../domain/errors';

export { LivePersonError };

export interface LivePersonCredentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/** Waits of a request: CSDS answers small JSON, an export of a busy day streams for a while. */
const CSDS_TIMEOUT_MS = 15_000;
export const EXPORT_TIMEOUT_MS = 120_000;

/** Retry-After in seconds (delta or HTTP date), at least 1 (LivePerson's guidance for 429). */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (header) {
    const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now) / 1000;
    if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  }
  return 1;
}

function failureOf(response: Response, what: string, siteId: string): LivePersonError {
  const { status } = response;
  if (status === 401) return new LivePersonError('auth', `LivePerson refused the API key (401) for ${what}`, siteId);
  if (status === 403) return new LivePersonError('forbidden', `LivePerson denied the API key the permission (403) for ${what}`, siteId);
  if (status === 429)
    return new LivePersonError(
      'rateLimited',
      `LivePerson asked to slow down (429) for ${what}`,
      siteId,
      retryAfterSeconds(response.headers.get('retry-after')),
    );
  if (status >= 500) return new LivePersonError('unavailable', `LivePerson answered ${status} for ${what}`, siteId);
  return new LivePersonError('rejected', `LivePerson answered ${status} for ${what}`, siteId);
}

async function send(url: string, init: RequestInit, timeoutMs: number, what: string, siteId: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = (error as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : 'the connection failed';
    throw new LivePersonError('unavailable', `LivePerson could not be reached for ${what}: ${reason}`, siteId);
  }
}

/** The account's base URL for the Account Config read-only service, from CSDS. An http:// CSDS
 *  (development, tests) means http:// domains; otherwise https://. */
export async function accountDomain(csdsUrl: string, siteId: string): Promise<string> {
  const base = new URL(csdsUrl);
  const url = new URL(`/api/account/${encodeURIComponent(siteId)}/service/accountConfigReadOnly/baseURI.json?version=1.0`, base);
  const response = await send(url.href, { headers: { accept: 'application/json' } }, CSDS_TIMEOUT_MS, 'the Domain API (CSDS)', siteId);
  if (response.status === 404 || response.status === 400) {
    await response.body?.cancel();
    throw new LivePersonError('unknownAccount', `LivePerson's Domain API does not know account ${siteId}`, siteId);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw failureOf(response, 'the Domain API (CSDS)', siteId);
  }
  const body = (await response.json().catch(() => undefined)) as { baseURI?: unknown } | undefined;
  const host = typeof body?.baseURI === 'string' ? body.baseURI.trim() : '';
  // A host (and port) only: CSDS names hosts, and nothing in its answer may add a path or credentials.
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host))
    throw new LivePersonError('rejected', "LivePerson's Domain API answered no usable baseURI for accountConfigReadOnly", siteId);
  return `${base.protocol === 'http:' ? 'http' : 'https'}://${host}`;
}

/** The Authorization header of a request signed with the account's API key. */
export function oauthHeader(credentials: LivePersonCredentials, method: string, url: string): string {
  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  // The library's nonce uses Math.random; a nonce from the platform's CSPRNG costs nothing.
  (oauth as unknown as { getNonce: () => string }).getNonce = () => randomBase64Url(24).replace(/[-_]/g, 'x');
  const data = oauth.authorize({ url, method }, { key: credentials.token, secret: credentials.tokenSecret });
  return oauth.toHeader(data).Authorization;
}

export interface ExportQuery {
  fromDate: string;
  toDate: string;
  /** Rows at most; LivePerson's default is 1,000,000. */
  limit?: number;
}

/** The Audit Trail export of whole UTC days as a stream of CSV bytes. */
export async function exportStream(
  csdsUrl: string,
  siteId: string,
  credentials: LivePersonCredentials,
  query: ExportQuery,
): Promise<ReadableStream<Uint8Array>> {
  const domain = await accountDomain(csdsUrl, siteId);
  const url = new URL(`/api/account/${encodeURIComponent(siteId)}/configuration/metadata/audit/export`, domain);
  url.searchParams.set('fromDate', query.fromDate);
  url.searchParams.set('toDate', query.toDate);
  url.searchParams.set('timezone', 'UTC');
  if (query.limit !== undefined) url.searchParams.set('limit', String(query.limit));
  const what = `the Audit Trail export of ${query.fromDate === query.toDate ? query.fromDate : `${query.fromDate}..${query.toDate}`}`;
  const response = await send(
    url.href,
    { headers: { accept: 'text/csv', authorization: oauthHeader(credentials, 'GET', url.href) } },
    EXPORT_TIMEOUT_MS,
    what,
    siteId,
  );
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw failureOf(response, what, siteId);
  }
  return response.body;
}
