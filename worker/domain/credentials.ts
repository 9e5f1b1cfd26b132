// Credentials of connected sources (LivePerson's API key) at rest: AES-256-GCM (WebCrypto)
// under a key derived with HKDF-SHA-256 from the Worker secret CREDENTIALS_KEY. The account id
// is the additional data, so a sealed value copied onto another account's row does not open.
// The stored text says its version and holds the random 96-bit IV and the ciphertext+tag.
import { fromBase64Url, toBase64Url } from './base64url';
import { MisconfiguredSetting } from './errors';

const VERSION = 'v1';
/** A shorter secret is refused as malformed: it could be guessed. */
export const MIN_KEY_CHARS = 32;
const encoder = new TextEncoder();

export type CredentialsKey = CryptoKey & { readonly __sealing: unique symbol };

/** The sealing key from the CREDENTIALS_KEY secret; MisconfiguredSetting when it is missing or short. */
export async function credentialsKey(secret: string | undefined): Promise<CredentialsKey> {
  if (!secret) throw new MisconfiguredSetting('CREDENTIALS_KEY', 'missing');
  if (secret.length < MIN_KEY_CHARS) throw new MisconfiguredSetting('CREDENTIALS_KEY', 'malformed');
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
  return (await crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('audit-trail source credentials v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )) as CredentialsKey;
}

/** Seals `value` (JSON-serialisable) for `accountId`. */
export async function sealCredentials(key: CredentialsKey, accountId: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(accountId) },
    key,
    encoder.encode(JSON.stringify(value)),
  );
  return `${VERSION}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** Opens what `sealCredentials` sealed for this account; undefined when it cannot (another key, another account, edited). */
export async function openCredentials(key: CredentialsKey, accountId: string, sealed: string): Promise<unknown> {
  const [version, iv, data] = sealed.split('.');
  if (version !== VERSION || !iv || !data) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: encoder.encode(accountId) },
      key,
      fromBase64Url(data),
    );
    return JSON.parse(new TextDecoder().decode(plain));
  } catch {
    return undefined;
  }
}
