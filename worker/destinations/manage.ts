// Creating destinations, rotating their secrets, and the signed ping of POST …/test. A new
// destination starts at the chain's head: it receives every event committed after it was
// created. Secrets are sealed under CREDENTIALS_KEY, like the LivePerson connector's key.
import { ulid } from 'ulid';
import type { AccountSettings } from '../store/accounts';
import { sealCredentials, type CredentialsKey } from '../domain/credentials';
import { newSigningSecret } from '../domain/webhook-signing';
import { readChainState } from '../store/chain';
import { insertDestination, logAttempt, rotateSecret, type DestinationFilter, type DestinationRow } from '../store/destinations';
import { signedPost } from './deliver';
import type { PostOutcome } from './post';

/** How long a rotated-out secret still signs deliveries (beside the new one). */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

export async function createDestination(
  env: Env,
  key: CredentialsKey,
  account: AccountSettings,
  input: { url: string; description?: string; filter?: DestinationFilter },
  now = Date.now(),
): Promise<{ row: DestinationRow; secret: string }> {
  const secret = newSigningSecret();
  const { head } = await readChainState(env.DB, account.id);
  const row = await insertDestination(env.DB, {
    id: `dst_${ulid(now).toLowerCase()}`,
    accountId: account.id,
    url: input.url,
    description: input.description ?? null,
    filter: JSON.stringify(input.filter ?? {}),
    secretEnc: await sealCredentials(key, account.id, secret),
    deliveredThroughSeq: head.seq,
    createdAt: now,
  });
  await destinationsChanged(env, account.id);
  return { row, secret };
}

/** A new secret; the current one keeps signing (as a second signature) for ROTATION_OVERLAP_MS. */
export async function rotateDestinationSecret(env: Env, key: CredentialsKey, destination: DestinationRow, now = Date.now()) {
  const secret = newSigningSecret();
  const row = await rotateSecret(env.DB, destination.accountId, destination.id, {
    current: await sealCredentials(key, destination.accountId, secret),
    previous: destination.secretEnc,
    previousUntil: now + ROTATION_OVERLAP_MS,
  });
  return row && { row, secret };
}

/** Sends a signed ping ({"type":"audit.ping"}) now, outside the delivery order, and logs it as a "test" attempt. */
export async function pingDestination(env: Env, key: CredentialsKey, destination: DestinationRow): Promise<PostOutcome> {
  const at = Date.now();
  const id = `ping_${ulid(at).toLowerCase()}`;
  const body = JSON.stringify({ type: 'audit.ping', accountId: destination.accountId, destinationId: destination.id });
  const outcome = await signedPost(env, key, destination, id, at, body);
  await logAttempt(env.DB, { destinationId: destination.id, deliveryId: id, at, kind: 'test', events: 0, ...outcome });
  return outcome;
}

/** Tells the account's writer to read its destinations again (it kicks them after each write). */
export async function destinationsChanged(env: Env, accountId: string): Promise<void> {
  await env.ACCOUNT_WRITER.get(env.ACCOUNT_WRITER.idFromName(accountId)).destinationsChanged();
}
