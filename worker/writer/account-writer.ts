// The account's writer: one Durable Object per account (idFromName(accountId)), through which
// every write of that account goes. It keeps the chain head in memory and group-commits:
// while one D1 batch is in flight, arriving requests queue, and the next batch carries all of
// them, each request answered with its own outcome once its batch committed. D1 stays the
// store and the source of truth: the head is read again from D1 after a restart, an eviction
// or a failed batch, and each batch's compare-and-set on the head guards against a second
// writer. Being the one place that writes an account's events, it is also where an account's
// database would be chosen once accounts spread over several — and where the account's
// destinations (webhooks) are told that there are new events: after each committed batch it
// kicks them (their ids cached here; routes that add or remove one call destinationsChanged).
import { DurableObject } from 'cloudflare:workers';
import type { AuditEventRow } from '../../drizzle/schema';
import { WriteRefused, type WriteRefusal } from '../domain/errors';
import { busy, writeGroup, type ChangeOutcome, type CheckedRequest, type RequestResult } from '../domain/record-changes';
import type { ChainHead } from '../store/chain';
import { kickDestinations } from '../destinations/kick';
import { isTransientD1Error } from '../store/d1-errors';
import { deliveringDestinationIds } from '../store/destinations';
import { GROUP_CHANGES, MAX_QUEUED_CHANGES, TRANSIENT_RETRY_DELAYS_MS } from './queue-limits';

/** What crosses the RPC boundary: plain data (an error's class does not survive it). */
export type WriteReply =
  { ok: true; outcomes: ChangeOutcome[]; events: AuditEventRow[] } | { ok: false; refused: WriteRefusal } | { ok: false; internal: true };

/** How long the writer trusts its list of the account's destinations without reading it again. */
const DESTINATIONS_CACHE_MS = 60_000;

interface Queued {
  accountId: string;
  request: CheckedRequest;
  returnEvents: boolean;
  answer: (reply: WriteReply) => void;
}

export class AccountWriter extends DurableObject<Env> {
  /** The chain head as of the last committed batch; undefined means "read it from D1". */
  #head: ChainHead | undefined;
  #queue: Queued[] = [];
  #queuedChanges = 0;
  #draining = false;
  /** The account's destinations that take deliveries, and when they were read. */
  #destinations: { ids: string[]; readAt: number } | undefined;

  /** A destination was added, removed, resumed or disabled: read them again before the next kick. */
  destinationsChanged(): void {
    this.#destinations = undefined;
  }

  /** Records one request's changes (already checked by the Worker) as one unit. */
  write(accountId: string, request: CheckedRequest, returnEvents: boolean): Promise<WriteReply> {
    const size = request.changes.length;
    // An empty queue takes any request, so that a full batch is never refused on its own.
    if (this.#queuedChanges && this.#queuedChanges + size > MAX_QUEUED_CHANGES)
      return Promise.resolve(reply({ ok: false, error: busy() }, returnEvents));
    return new Promise((answer) => {
      this.#queue.push({ accountId, request, returnEvents, answer });
      this.#queuedChanges += size;
      if (!this.#draining) void this.#drain();
    });
  }

  /** Commits queued requests group by group until the queue is empty. */
  async #drain() {
    this.#draining = true;
    try {
      while (this.#queue.length) {
        const group = this.#takeGroup();
        const results = await this.#commit(group);
        // Requests the group had no room for go back to the front of the queue, in order.
        const deferred = group.slice(results.length);
        this.#queue.unshift(...deferred);
        for (const q of deferred) this.#queuedChanges += q.request.changes.length;
        results.forEach((result, i) => group[i]!.answer(reply(result, group[i]!.returnEvents)));
        if (results.some((r) => r.ok)) this.#kick(group[0]!.accountId);
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Writes one group. A failure D1 says may pass is retried a few times from D1's head (the
   *  batch is all or nothing and its changeIds make a replay of a batch that did commit a
   *  no-op); if it persists, each request of the group is told to retry later. */
  async #commit(group: Queued[]): Promise<RequestResult[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await writeGroup(
          this.env.DB,
          group[0]!.accountId,
          this.#head,
          group.map((q) => q.request),
        );
        this.#head = outcome.head;
        return outcome.results;
      } catch (error) {
        this.#head = undefined;
        if (!isTransientD1Error(error)) return group.map(() => ({ ok: false, error }));
        if (attempt >= TRANSIENT_RETRY_DELAYS_MS.length) {
          console.error('account writer: the database stayed unavailable', error);
          return group.map(() => ({ ok: false, error: new WriteRefused({ reason: 'unavailable' }) }));
        }
        await scheduler.wait(TRANSIENT_RETRY_DELAYS_MS[attempt]!);
      }
    }
  }

  /** Tells the account's destinations there are new events. Not awaited: the next group's
   *  commit does not wait for the queue; a kick lost here is made up by the cron. */
  #kick(accountId: string) {
    void (async () => {
      const now = Date.now();
      if (!this.#destinations || now - this.#destinations.readAt > DESTINATIONS_CACHE_MS)
        this.#destinations = { ids: await deliveringDestinationIds(this.env.DB, accountId), readAt: now };
      if (this.#destinations.ids.length) await kickDestinations(this.env, this.#destinations.ids);
    })().catch((error) => console.error('account writer: kicking destinations failed', error));
  }

  /** The oldest queued requests of one account, up to GROUP_CHANGES changes (at least one). */
  #takeGroup(): Queued[] {
    const group: Queued[] = [];
    let changes = 0;
    while (this.#queue.length) {
      const next = this.#queue[0]!;
      if (group.length && (next.accountId !== group[0]!.accountId || changes + next.request.changes.length > GROUP_CHANGES)) break;
      group.push(this.#queue.shift()!);
      changes += next.request.changes.length;
    }
    this.#queuedChanges -= changes;
    return group;
  }
}

function reply(result: RequestResult, returnEvents: boolean): WriteReply {
  if (result.ok) return { ok: true, outcomes: result.outcomes, events: returnEvents ? result.events : [] };
  if (result.error instanceof WriteRefused) return { ok: false, refused: result.error.refusal };
  // The cause stays in the log; the client gets the router's 500, which names nothing internal.
  console.error('account writer: write failed', result.error);
  return { ok: false, internal: true };
}
