// Keyset cursors: the position of the last event of a page (occurredAt, seq), bound to
// the account and the filters of the query, signed with HMAC-SHA-256 so a forged or
// edited cursor is refused instead of silently reading somewhere else.
import { badRequest } from '../http/problem';
import { canonicalJson } from './crypto';

export interface Position {
  occurredAt: number;
  seq: number;
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string) {
  if (!secret) throw new Error('CURSOR_SECRET is not set');
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const unb64url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));

/** What a cursor is bound to: the same query with another cursor position. */
export const queryScope = (accountId: string, filters: Record<string, unknown>) => canonicalJson({ accountId, ...filters });

export async function encodeCursor(secret: string, scope: string, position: Position): Promise<string> {
  const payload = encoder.encode(JSON.stringify({ o: position.occurredAt, s: position.seq }));
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), concat(payload, encoder.encode(scope)));
  return `${b64url(payload)}.${b64url(new Uint8Array(signature))}`;
}

export async function decodeCursor(secret: string, scope: string, cursor: string): Promise<Position> {
  const invalid = () =>
    badRequest('The cursor is not valid for this query; start again without a cursor.', [
      { path: 'query.cursor', message: 'not a cursor this API issued for these filters' },
    ]);
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(cursor);
  if (!match) throw invalid();
  let payload: Uint8Array, signature: Uint8Array;
  try {
    payload = unb64url(match[1]!);
    signature = unb64url(match[2]!);
  } catch {
    throw invalid();
  }
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(secret), signature, concat(payload, encoder.encode(scope)));
  if (!ok) throw invalid();
  const { o, s } = JSON.parse(new TextDecoder().decode(payload)) as { o: number; s: number };
  return { occurredAt: o, seq: s };
}

function concat(a: Uint8Array, b: Uint8Array) {
  const out = new Uint8Array(a.byteLength + 1 + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength + 1);
  return out;
}

