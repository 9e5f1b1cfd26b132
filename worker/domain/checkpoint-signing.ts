// Signed checkpoints: the Worker signs an account's chain head with Ed25519, so a verifier
// who kept a checkpoint can later prove that nothing after it was deleted or rewritten.
// Pure WebCrypto: the same code runs in the Worker and in the offline verifier (Node).
import { fromBase64Url, toBase64Url } from './base64url';
import type { Checkpoint, PublicKeyJwk } from '../schemas/verify';
import { canonicalJson, sha256Hex } from './crypto';

export type { Checkpoint, PublicKeyJwk };

export interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: PublicKeyJwk;
}

const encoder = new TextEncoder();

/** What is signed: the checkpoint's RFC 8785 canonical JSON without its signature. */
export function checkpointPayload(checkpoint: Omit<Checkpoint, 'signature'> | Checkpoint): string {
  const { accountId, seq, hash, signedAt, keyId } = checkpoint;
  return canonicalJson({ accountId, seq, hash, signedAt, keyId });
}

/** A stable id for a public key: its RFC 7638 thumbprint (SHA-256 over the required members
 *  in canonical JSON), written in hex and cut to the first 128 bits. So a truncated
 *  thumbprint, not the full one RFC 7638 defines; kept so that every key id already issued,
 *  and every checkpoint naming one, stays verifiable. */
function keyIdOf(x: string): string {
  return sha256Hex(canonicalJson({ crv: 'Ed25519', kty: 'OKP', x })).slice(0, 32);
}

const cache = new Map<string, Promise<SigningKey>>();

/** The Worker's signing key from its secret (a private Ed25519 JWK as JSON). */
export function signingKey(secret: string): Promise<SigningKey> {
  let key = cache.get(secret);
  if (!key) {
    key = (async () => {
      const jwk = JSON.parse(secret) as JsonWebKey & { x: string };
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x)
        throw new Error('CHECKPOINT_PRIVATE_KEY is not an Ed25519 private JWK');
      const privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['sign']);
      const key: SigningKey = {
        privateKey,
        publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: keyIdOf(jwk.x), alg: 'EdDSA', use: 'sig' },
      };
      // A JWK whose public half does not match its private half would sign checkpoints
      // no one can verify: refuse it before it signs anything.
      const probe = await signCheckpoint(key, { accountId: 'probe', seq: 0, hash: '' }, new Date(0));
      if (!(await verifyCheckpoint(probe, key.publicJwk))) throw new Error('CHECKPOINT_PRIVATE_KEY: x is not the public key of d');
      return key;
    })();
    cache.set(secret, key);
    key.catch(() => cache.delete(secret));
  }
  return key;
}

export async function signCheckpoint(
  key: SigningKey,
  head: { accountId: string; seq: number; hash: string },
  signedAt: Date,
): Promise<Checkpoint> {
  const unsigned = { ...head, signedAt: signedAt.toISOString(), keyId: key.publicJwk.kid };
  return { ...unsigned, signature: await sign(key, checkpointPayload(unsigned)) };
}

/** Checks a checkpoint's signature against a public key (which must be the one it names). */
export function verifyCheckpoint(checkpoint: Checkpoint, publicJwk: PublicKeyJwk): Promise<boolean> {
  return verifySigned(() => checkpointPayload(checkpoint), checkpoint.keyId, checkpoint.signature, publicJwk);
}

/** Signs any JSON value (its RFC 8785 form): the export header, which carries more than a
 *  checkpoint (where the chain starts, the filters). */
export async function signJson(key: SigningKey, value: unknown): Promise<{ keyId: string; value: string }> {
  return { keyId: key.publicJwk.kid, value: await sign(key, canonicalJson(value)) };
}

export function verifyJson(value: unknown, signature: { keyId: string; value: string }, publicJwk: PublicKeyJwk): Promise<boolean> {
  return verifySigned(() => canonicalJson(value), signature.keyId, signature.value, publicJwk);
}

/** Ed25519 over the text's UTF-8, as base64url. */
async function sign(key: SigningKey, text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, encoder.encode(text))));
}

/** False for a signature by another key, a key whose id is not its own, or any malformed part
 *  (`signed` is computed inside the guard: a value with no canonical form is false too). */
async function verifySigned(signed: () => string, keyId: string, signature: string, publicJwk: PublicKeyJwk): Promise<boolean> {
  if (keyId !== publicJwk.kid || keyIdOf(publicJwk.x) !== publicJwk.kid) return false;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x }, { name: 'Ed25519' }, false, [
      'verify',
    ]);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64Url(signature), encoder.encode(signed()));
  } catch {
    return false;
  }
}
