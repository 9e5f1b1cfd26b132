// How much an account's writer queues and commits at once. Apart from the Durable Object so
// that the routes (and the OpenAPI document built in Node) can state the numbers.
import { LIMITS } from '../schemas/changes';

/** Changes that may wait in one account's queue; beyond it a write is refused at once (503
 *  with Retry-After) rather than waiting for seconds. Five full batches. */
export const MAX_QUEUED_CHANGES = 5 * LIMITS.batchChanges;

/** Changes handed to one group at most (a group also stops early at GROUP_EVENTS events). */
export const GROUP_CHANGES = 2 * LIMITS.batchChanges;

/** Waits before the writer tries a group again after a failure D1 says may pass (D1 restarting,
 *  the network to it lost); after the last, the group's requests are answered 503 unavailable. */
export const TRANSIENT_RETRY_DELAYS_MS = [100, 400, 1_500];
