// base64url without padding (RFC 4648 §5): the alphabet of tokens, cursors and signatures.
// btoa/atob exist in workerd and Node alike, so the offline verifier shares this module.

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Throws (atob's DOMException) on text that is not base64url. */
export function fromBase64Url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (char) => char.charCodeAt(0));
}
