// OAuth 1.0 (RFC 5849) HMAC-SHA1 checking of LivePerson API-key requests. The signature base
// string and signing key come from the `oauth-1.0a` library, the HMAC from node:crypto; this
// file only reads the Authorization header and compares.
import { createHmac, timingSafeEqual } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export type OAuthVerdict = { ok: true } | { ok: false; reason: string };

const MAX_CLOCK_SKEW_MS = 5 * 60_000;

const hmacSha1 = (base: string, key: string) => createHmac('sha1', key).update(base).digest('base64');

/** `OAuth k="v", k2="v2"` → its parameters, percent-decoded (RFC 5849 §3.5.1). */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"/g)) {
    try {
      params[decodeURIComponent(match[1]!)] = decodeURIComponent(match[2]!);
    } catch {
      return undefined;
    }
  }
  return params;
}

const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The query decoded as a server does (application/x-www-form-urlencoded: `+` is a space,
 *  RFC 5849 §3.4.1.3.1) and re-encoded unambiguously, since the library decodes it with
 *  decodeURIComponent only: `a+b` and `a%20b` are then the same parameter, as on the wire. */
function normalizedUrl(url: string): string {
  const parsed = new URL(url);
  const query = [...parsed.searchParams].map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`).join('&');
  return `${parsed.origin}${parsed.pathname}${query ? `?${query}` : ''}`;
}

/** Checks a request signed the way LivePerson's API keys sign: the full request URL (its query
 *  included in the base string), HMAC-SHA1, the app's key and secret and the access token's. */
export function verifyOAuth1(
  request: { method: string; url: string; authorization: string | undefined },
  credentials: Credentials,
): OAuthVerdict {
  const params = parseOAuthHeader(request.authorization);
  if (!params) return { ok: false, reason: 'missing OAuth Authorization header' };
  if (params.oauth_signature_method !== 'HMAC-SHA1') return { ok: false, reason: 'oauth_signature_method must be HMAC-SHA1' };
  if (params.oauth_consumer_key !== credentials.consumerKey) return { ok: false, reason: 'unknown consumer key' };
  if (params.oauth_token !== credentials.token) return { ok: false, reason: 'unknown access token' };
  if (!params.oauth_nonce || !params.oauth_timestamp || !params.oauth_signature)
    return { ok: false, reason: 'incomplete OAuth parameters' };
  // RFC 5849 §3.3: the server may refuse stale requests. Nonces are not remembered, so a
  // client's retry of the same signed request still passes.
  if (Math.abs(Number(params.oauth_timestamp) * 1000 - Date.now()) > MAX_CLOCK_SKEW_MS || !/^\d+$/.test(params.oauth_timestamp)) {
    return { ok: false, reason: 'oauth_timestamp is not within 5 minutes of the server clock' };
  }

  const oauth = new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: hmacSha1,
  });
  const { oauth_signature: given, realm: _realm, ...oauthData } = params;
  const expected = oauth.getSignature(
    { url: normalizedUrl(request.url), method: request.method },
    credentials.tokenSecret,
    oauthData as unknown as OAuth.Data,
  );
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
