// Hashing and random material: node:crypto's hash (workerd's nodejs_compat and Node alike)
// and WebCrypto.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { toBase64Url } from './base64url';

const encoder = new TextEncoder();

/** SHA-256 (hex), synchronous: the chain hashes every event in turn, and an awaited
 *  WebCrypto digest per event cost several times the hashing itself (docs/BENCHMARKS.md). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** RFC 8785 canonical JSON: the form that hashes are computed over, so anyone can recompute them. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no canonical JSON form');
  return text;
}

export function randomBase64Url(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  return toBase64Url(buffer);
}

/** Compares secrets without leaking where they differ through timing. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}
