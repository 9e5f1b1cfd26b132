// Delivering an account's events to a destination, in seq order, at least once. One delivery
// at a time per destination (a lease in D1); a delivery is the next ≤100 matching events past
// the cursor, POSTed signed; a 2xx moves the cursor past them, anything else leaves the
// cursor where it is and tries the same events, under the same webhook-id, after the backoff
// (worker/domain/delivery-backoff.ts). A 410 Gone disables the destination. Events that do
// not match the destination's filter are skipped by moving the cursor past them.
import type { AuditEventRow } from '../../drizzle/schema';
import { credentialsKey, openCredentials, type CredentialsKey } from '../domain/credentials';
import { isFailing, retryDelaySeconds } from '../domain/delivery-backoff';
import { destinationUrlProblem } from '../domain/destination-url';
import { eventView } from '../domain/event-view';
import { webhookHeaders } from '../domain/webhook-signing';
import { readChainState } from '../store/chain';
import {
  claimLease,
  findDestinationById,
  logAttempt,
  matchingEventsAfter,
  recordDelivered,
  recordFailed,
  releaseLease,
  type DestinationFilter,
  type DestinationRow,
} from '../store/destinations';
import { kickDestinations } from './kick';
import { postDelivery, type PostOutcome } from './post';

export const EVENTS_PER_DELIVERY = 100;
/** How far past the cursor one query looks for matching events: a filter that matches
 *  rarely never makes one query scan the whole chain. */
const SCAN_SEQS = 10_000;
/** How long one consumer invocation keeps delivering before it hands over to a new kick. */
const INVOCATION_BUDGET_MS = 20_000;
/** Longer than the budget plus one delivery's timeout: a crashed consumer's lease runs out. */
const LEASE_MS = 60_000;

export const allowInsecure = (env: Env) => String(env.DESTINATIONS_ALLOW_INSECURE) === 'true';

export type DeliveryRun =
  | 'busy' // another delivery holds the lease, or the next attempt is not due
  | 'gone' // no such destination, or it is disabled
  | 'caught-up'
  | 'more' // the budget ran out with events left: kicked again
  | 'retrying'; // an attempt failed: kicked again after the backoff

/** The secrets a delivery is signed with: the current one, and the previous one while it
 *  overlaps (left out if it no longer opens); undefined when the current one does not open
 *  (the deployment's CREDENTIALS_KEY changed: rotating the secret repairs it). */
export async function signingSecrets(key: CredentialsKey, destination: DestinationRow, now: number): Promise<string[] | undefined> {
  const current = await openCredentials(key, destination.accountId, destination.secretEnc);
  if (typeof current !== 'string') return undefined;
  if (!destination.previousSecretEnc || (destination.previousSecretUntil ?? 0) <= now) return [current];
  const previous = await openCredentials(key, destination.accountId, destination.previousSecretEnc);
  return typeof previous === 'string' ? [current, previous] : [current];
}

export const SECRET_UNREADABLE =
  "not sent: the signing secret cannot be decrypted (the deployment's CREDENTIALS_KEY changed); rotate it with POST …/rotate-secret";

/** One signed POST of `body`, unless the URL is no longer allowed or the secret does not open. */
export async function signedPost(env: Env, key: CredentialsKey, destination: DestinationRow, id: string, at: number, body: string) {
  const refused = destinationUrlProblem(destination.url, allowInsecure(env));
  if (refused) return { status: null, latencyMs: 0, error: `not sent: the URL ${refused}` };
  const secrets = await signingSecrets(key, destination, at);
  if (!secrets) return { status: null, latencyMs: 0, error: SECRET_UNREADABLE };
  return postDelivery(destination.url, webhookHeaders(secrets, id, new Date(at), body), body);
}

/** Delivers what lies past the destination's cursor, until it is caught up, an attempt fails or the budget runs out. */
export async function deliverDestination(env: Env, destinationId: string): Promise<DeliveryRun> {
  const leaseId = crypto.randomUUID();
  const started = Date.now();
  if (!(await claimLease(env.DB, destinationId, leaseId, started, started + LEASE_MS))) {
    const row = await findDestinationById(env.DB, destinationId);
    return !row || row.state === 'disabled' ? 'gone' : 'busy';
  }
  let run: DeliveryRun;
  let retryIn: number | undefined;
  try {
    const key = await credentialsKey(env.CREDENTIALS_KEY);
    for (;;) {
      const destination = await findDestinationById(env.DB, destinationId);
      if (!destination || destination.state === 'disabled' || destination.leaseId !== leaseId) {
        run = 'gone';
        break;
      }
      const step = await deliverOnce(env, key, destination, leaseId);
      if (step.kind === 'caught-up' || step.kind === 'gone') {
        run = step.kind;
        break;
      }
      if (step.kind === 'failed') {
        run = 'retrying';
        retryIn = step.retryInSeconds;
        break;
      }
      if (Date.now() - started > INVOCATION_BUDGET_MS) {
        run = 'more';
        break;
      }
    }
  } finally {
    await releaseLease(env.DB, destinationId, leaseId);
  }
  if (run === 'retrying') await kickDestinations(env, [destinationId], retryIn);
  // 'caught-up' too: a kick for events committed while the lease was held found it taken and
  // was dropped; the chain's head, read after the release, tells whether there are such events.
  else if (run === 'more' || (run === 'caught-up' && (await behind(env, destinationId)))) await kickDestinations(env, [destinationId]);
  return run;
}

async function behind(env: Env, destinationId: string): Promise<boolean> {
  const destination = await findDestinationById(env.DB, destinationId);
  if (!destination || destination.state === 'disabled') return false;
  const { head } = await readChainState(env.DB, destination.accountId);
  return head.seq > destination.deliveredThroughSeq;
}

type Step = { kind: 'delivered' | 'caught-up' | 'gone' } | { kind: 'failed'; retryInSeconds: number };

/** The next batch of the destination: the pending one again, or the next ≤100 matching events. */
async function nextBatch(env: Env, destination: DestinationRow) {
  const filter = JSON.parse(destination.filter) as DestinationFilter;
  const after = destination.deliveredThroughSeq;
  if (destination.pendingId !== null && destination.pendingThroughSeq !== null) {
    const events = await matchingEventsAfter(
      env.DB,
      destination.accountId,
      after,
      destination.pendingThroughSeq,
      filter,
      EVENTS_PER_DELIVERY,
    );
    return { id: destination.pendingId, throughSeq: destination.pendingThroughSeq, events };
  }
  const { head } = await readChainState(env.DB, destination.accountId);
  if (head.seq <= after) return undefined;
  const window = Math.min(head.seq, after + SCAN_SEQS);
  const events = await matchingEventsAfter(env.DB, destination.accountId, after, window, filter, EVENTS_PER_DELIVERY);
  // A full batch ends at its last event; a short one covers the whole window.
  const throughSeq = events.length === EVENTS_PER_DELIVERY ? events.at(-1)!.seq : window;
  return { id: `dlv_${destination.id.slice(4)}_${after + 1}-${throughSeq}`, throughSeq, events };
}

export const eventsBody = (accountId: string, events: AuditEventRow[]) =>
  JSON.stringify({ type: 'audit.events', accountId, events: events.map(eventView) });

async function deliverOnce(env: Env, key: CredentialsKey, destination: DestinationRow, leaseId: string): Promise<Step> {
  const batch = await nextBatch(env, destination);
  if (!batch) return { kind: 'caught-up' };
  if (!batch.events.length) {
    // Nothing in the window matched: skip it.
    await recordDelivered(env.DB, destination.id, leaseId, batch.throughSeq, undefined);
    return { kind: 'delivered' };
  }
  const at = Date.now();
  const body = eventsBody(destination.accountId, batch.events);
  const outcome: PostOutcome = await signedPost(env, key, destination, batch.id, at, body);
  await logAttempt(env.DB, {
    destinationId: destination.id,
    deliveryId: batch.id,
    at,
    kind: 'events',
    fromSeq: batch.events[0]!.seq,
    throughSeq: batch.events.at(-1)!.seq,
    events: batch.events.length,
    status: outcome.status,
    latencyMs: outcome.latencyMs,
    error: outcome.error,
  });
  const attempt = { at, status: outcome.status, error: outcome.error };
  if (outcome.error === null) {
    await recordDelivered(env.DB, destination.id, leaseId, batch.throughSeq, attempt);
    return { kind: 'delivered' };
  }
  if (outcome.status === 410) {
    await recordFailed(env.DB, destination.id, leaseId, {
      ...attempt,
      error: 'answered 410 Gone: the destination is disabled (POST …/resume to deliver again)',
      pendingId: batch.id,
      pendingThroughSeq: batch.throughSeq,
      nextAttemptAt: at,
      state: 'disabled',
    });
    return { kind: 'gone' };
  }
  // The backoff follows the destination as it is now: resumed while this attempt was in
  // flight, its failures start again from this one rather than continuing the old run.
  for (let basis: DestinationRow | undefined = destination; basis; basis = await stillLeased(env, destination.id, leaseId)) {
    const retryInSeconds = retryDelaySeconds(basis.failures + 1);
    const failure = {
      ...attempt,
      pendingId: batch.id,
      pendingThroughSeq: batch.throughSeq,
      nextAttemptAt: at + retryInSeconds * 1000,
      state: isFailing(basis.failingSince ?? at, at) ? ('failing' as const) : basis.state,
    };
    if (await recordFailed(env.DB, destination.id, leaseId, failure, basis.failures)) return { kind: 'failed', retryInSeconds };
  }
  // Deleted, or the lease ran out: whoever holds it now decides.
  return { kind: 'failed', retryInSeconds: retryDelaySeconds(1) };
}

async function stillLeased(env: Env, destinationId: string, leaseId: string): Promise<DestinationRow | undefined> {
  const destination = await findDestinationById(env.DB, destinationId);
  return destination?.leaseId === leaseId ? destination : undefined;
}
