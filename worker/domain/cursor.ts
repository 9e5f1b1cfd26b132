// Keyset cursors: the position of the last event of a page (occurredAt, seq), or the last
// id of an access-log page, bound to the account and the filters of the query, signed with
// HMAC-SHA-256 so a forged or edited cursor is refused instead of silently reading
// somewhere else.
import { fromBase64Url, toBase64Url } from './base64url';
import { canonicalJson } from './crypto';
import type { Position } from '../store/event-reader';
import { InvalidCursor, MisconfiguredSetting } from './errors';

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string) {
  if (!secret) throw new MisconfiguredSetting('CURSOR_SECRET', 'missing');
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

/** What a cursor is bound to: the same query with another cursor position. */
export const queryScope = (accountId: string, filters: Record<string, unknown>) => canonicalJson({ accountId, ...filters });

export async function encodeCursor(secret: string, scope: string, position: Position): Promise<string> {
  return signPayload(secret, scope, { o: position.occurredAt, s: position.seq });
}

export async function decodeCursor(secret: string, scope: string, cursor: string): Promise<Position> {
  const { o, s } = (await verifyPayload(secret, scope, cursor)) as { o: number; s: number };
  return { occurredAt: o, seq: s };
}

/** A cursor on a single integer key (the access log's id), signed the same way. The scope
 *  must name what is paged, so a cursor of one listing is never valid for another. */
export async function encodeIdCursor(secret: string, scope: string, id: number): Promise<string> {
  return signPayload(secret, scope, { i: id });
}

export async function decodeIdCursor(secret: string, scope: string, cursor: string): Promise<number> {
  const { i } = (await verifyPayload(secret, scope, cursor)) as { i?: unknown };
  if (!Number.isSafeInteger(i)) throw new InvalidCursor();
  return i as number;
}

async function signPayload(secret: string, scope: string, value: object): Promise<string> {
  const payload = encoder.encode(JSON.stringify(value));
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), concat(payload, encoder.encode(scope)));
  return `${toBase64Url(payload)}.${toBase64Url(new Uint8Array(signature))}`;
}

async function verifyPayload(secret: string, scope: string, cursor: string): Promise<unknown> {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(cursor);
  if (!match) throw new InvalidCursor();
  let payload: Uint8Array, signature: Uint8Array;
  try {
    payload = fromBase64Url(match[1]!);
    signature = fromBase64Url(match[2]!);
  } catch {
    throw new InvalidCursor();
  }
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(secret), signature, concat(payload, encoder.encode(scope)));
  if (!ok) throw new InvalidCursor();
  return JSON.parse(new TextDecoder().decode(payload));
}

function concat(a: Uint8Array, b: Uint8Array) {
  const out = new Uint8Array(a.byteLength + 1 + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength + 1);
  return out;
}
