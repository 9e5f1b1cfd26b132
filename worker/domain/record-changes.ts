// Recording changes, in two steps. In the stateless Worker, `checkChanges` validates a
// request and hashes each change as the client sent it (what idempotency compares). In the
// account's writer (worker/writer/account-writer.ts), `writeGroup` turns the changes of
// several requests into element rows and appends them to the chain in one D1 transaction:
// a group commit. Idempotent by changeId, across requests and within a group.
import type { AuditEventRow } from '../../drizzle/schema';
import type { EventSource } from '../../shared/vocabulary';
import { LIMITS, type ChangeInput } from '../schemas/changes';
import { readChainState, type ChainHead } from '../store/chain';
import { appendEvents, findChangeRequests, type NewChangeRequest, type StoredRequest } from '../store/event-writer';
import { knownNames, refKey, type NamedRef } from '../store/object-names';
import type { AccountSettings } from '../store/accounts';
import { isTransientD1Error } from '../store/d1-errors';
import { canonicalJson, sha256Hex } from './crypto';
import { WriteRefused, type FieldError } from './errors';
import { eventHash, eventView } from './event-view';
import { newEventIds } from './event-ids';
import { retentionCutoff } from './time';
import { objectSpec } from './object-catalog';
import { diffSnapshots, normalizeElements, referencedObjects, snapshotName, type DerivedElement } from './snapshot-diff';

export interface IncomingChange {
  change: ChangeInput;
  /** The change as the client sent it: what idempotency compares. */
  raw: unknown;
  /** JSON pointer of the change in the body, for error paths ("" or "/changes/3"). */
  path: string;
}

export interface ChangeOutcome {
  changeId: string;
  replayed: boolean;
  eventCount: number;
}

/** One request's changes, checked and hashed: a unit that is stored all or nothing. */
export interface CheckedRequest {
  changes: { change: ChangeInput; path: string; bodyHash: string }[];
  /** Indexes of the first occurrence of each changeId: the changes to write. */
  unique: number[];
  /** Where the changes come from; "api" when absent. Only the LivePerson importer sets it. */
  source?: EventSource;
}

/** A request's answer from a group: its outcomes and the events it created, or why it failed. */
export type RequestResult = { ok: true; outcomes: ChangeOutcome[]; events: AuditEventRow[] } | { ok: false; error: unknown };

export interface GroupResult {
  /** The chain head after the group, or undefined when it must be read again from D1. */
  head: ChainHead | undefined;
  /** One per request taken, in order: a prefix of the requests given (the rest wait). */
  results: RequestResult[];
}

/** Events one group may carry before the remaining requests wait for the next group. */
export const GROUP_EVENTS = LIMITS.eventsPerRequest;

/** Another writer of the same account (two instances overlapping during a deploy) is the only
 *  way to lose the compare-and-set; a few retries from D1's head settle it. */
const MAX_ATTEMPTS = 5;

export const busy = () => new WriteRefused({ reason: 'busy' });

/** Validates a request before it goes to the account's writer; throws a WriteRefused. */
export function checkChanges(account: AccountSettings, incoming: IncomingChange[], now = Date.now()): CheckedRequest {
  const hashes = incoming.map(({ raw }) => sha256Hex(canonicalJson(raw)));
  const unique = checkRequest(account, incoming, hashes, now);
  return { changes: incoming.map(({ change, path }, i) => ({ change, path, bodyHash: hashes[i]! })), unique };
}

/**
 * Appends the requests' changes to the account's chain in one D1 batch, starting from `head`
 * (read from D1 when undefined). Each request succeeds or fails on its own (a reused changeId
 * or too many events in one request does not touch the others); a failed batch fails exactly the requests whose
 * answer depended on it. The write is optimistic: changeIds are looked up (one query for the
 * group) only once the batch met one already stored, since emitters mostly send new changes;
 * then the group is planned again with what D1 holds. A lost compare-and-set plans it again
 * from the head D1 had. D1 errors outside the batch, and failures D1 says may pass, are thrown.
 */
export async function writeGroup(
  d1: D1Database,
  accountId: string,
  head: ChainHead | undefined,
  requests: CheckedRequest[],
): Promise<GroupResult> {
  /** What D1 is known to hold of the group's changeIds. */
  const stored = new Map<string, StoredRequest>();
  let names: Map<string, string> | undefined;
  let plan: GroupPlan | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const now = Date.now();
    head ??= (await readChainState(d1, accountId)).head;
    names ??= await namesFor(
      d1,
      accountId,
      requests.flatMap(({ changes }) => changes.map(({ change }) => change)),
      now,
    );
    plan = planGroup(accountId, head, requests, stored, names, now);
    if (!plan.requests.length) return { head, results: plan.results };
    try {
      const { committed, found } = await appendEvents(d1, accountId, head, plan.head, plan.events, plan.requests, now);
      if (committed) return { head: plan.head, results: plan.results };
      head = found;
    } catch (error) {
      // A failure that may pass is the writer's to retry (the batch stored nothing of the group).
      if (isTransientD1Error(error)) throw error;
      if (!/UNIQUE constraint failed/i.test(String(error))) return { head: undefined, results: failPending(plan, error) };
      // Some of these changeIds are stored already (replays, or another writer's): look them up.
      const more = await findChangeRequests(
        d1,
        accountId,
        plan.requests.map((r) => r.changeId).filter((id) => !stored.has(id)),
      );
      for (const [changeId, record] of more) stored.set(changeId, record);
      // No idempotency clash after all (rows beyond the head?): read the head again.
      if (!more.size) head = undefined;
    }
  }
  return { head: undefined, results: failPending(plan!, busy()) };
}

interface GroupPlan {
  results: RequestResult[];
  /** Which results wait for the batch (they created or replay a change of this group). */
  pending: boolean[];
  head: ChainHead;
  events: Omit<AuditEventRow, 'accountId'>[];
  requests: NewChangeRequest[];
}

const failPending = (plan: GroupPlan, error: unknown): RequestResult[] =>
  plan.results.map((result, r) => (plan.pending[r] ? { ok: false, error } : result));

/** Each request in order on top of the ones before it, given what D1 is known to hold of the
 *  group's changeIds and the names the group's changes may need. */
function planGroup(
  accountId: string,
  head: ChainHead,
  requests: CheckedRequest[],
  stored: Map<string, StoredRequest>,
  groupNames: Map<string, string>,
  now: number,
): GroupPlan {
  let names = groupNames;

  /** Changes written by earlier requests of this group. */
  const claimed = new Map<string, { bodyHash: string; eventCount: number }>();
  const plan: GroupPlan = { results: [], pending: [], head, events: [], requests: [] };
  const nextId = newEventIds(now);
  for (const { changes, unique, source = 'api' } of requests) {
    if (plan.results.length && plan.events.length >= GROUP_EVENTS) break;
    const known = (changeId: string) => stored.get(changeId) ?? claimed.get(changeId);
    const conflicts: FieldError[] = [];
    for (const i of unique) {
      const previous = known(changes[i]!.change.changeId);
      if (previous && previous.bodyHash !== changes[i]!.bodyHash)
        conflicts.push({ path: `${changes[i]!.path}/changeId`, message: 'was already used for a different change' });
    }
    if (conflicts.length) {
      plan.results.push({
        ok: false,
        error: new WriteRefused({ reason: 'changeId-reused', errors: conflicts }),
      });
      plan.pending.push(false);
      continue;
    }

    const fresh = unique.filter((i) => !known(changes[i]!.change.changeId));
    const firstOccurrences = new Set(unique);
    const replaysThisGroup = changes.some(({ change }) => !stored.has(change.changeId) && claimed.has(change.changeId));
    let built: ReturnType<typeof buildRows>;
    const localNames = fresh.length ? new Map(names) : names;
    try {
      built = buildRows(
        accountId,
        fresh.map((i) => changes[i]!.change),
        plan.head,
        now,
        nextId,
        localNames,
        source,
      );
    } catch (error) {
      plan.results.push({ ok: false, error });
      plan.pending.push(false);
      continue;
    }
    names = localNames;
    const counts = new Map(fresh.map((i) => [changes[i]!.change.changeId, 0]));
    for (const row of built.events) counts.set(row.changeId, counts.get(row.changeId)! + 1);
    for (const i of fresh) {
      const { change, bodyHash } = changes[i]!;
      const eventCount = counts.get(change.changeId)!;
      claimed.set(change.changeId, { bodyHash, eventCount });
      plan.requests.push({ changeId: change.changeId, bodyHash, eventCount });
    }
    // Only the first occurrence of a freshly written changeId counts as created.
    const outcomes = changes.map(({ change }, i) => ({
      changeId: change.changeId,
      replayed: !(counts.has(change.changeId) && firstOccurrences.has(i)),
      eventCount: known(change.changeId)!.eventCount,
    }));
    plan.results.push({ ok: true, outcomes, events: built.events.map((row) => ({ ...row, accountId })) });
    plan.pending.push(fresh.length > 0 || replaysThisGroup);
    plan.events.push(...built.events);
    plan.head = built.head;
  }
  return plan;
}

/** The names the group's changes may need: an object's own name only when the change does
 *  not carry one, and the objects its snapshots refer to. */
async function namesFor(d1: D1Database, accountId: string, changes: ChangeInput[], now: number) {
  const refs: NamedRef[] = [];
  for (const change of changes) {
    const spec = objectSpec(change.objectType);
    if (!change.objectName && !snapshotName(spec, change.before, change.after))
      refs.push({ objectType: change.objectType, objectId: change.objectId });
    if (!change.elements) refs.push(...referencedObjects(spec, change.before, change.after));
  }
  return refs.length ? await knownNames(d1, accountId, refs, now) : new Map<string, string>();
}

/** Checks what can be checked before touching the database; answers the indexes of the
 *  changes to write (the first of each changeId). */
function checkRequest(account: AccountSettings, incoming: IncomingChange[], hashes: string[], now: number): number[] {
  const errors: FieldError[] = [];
  // Reads and exports hide what is older than this; accepting such a write would store an
  // event no one can ever see (and the offline verifier would then miss it).
  const cutoff = retentionCutoff(now, account.retentionMonths);
  const firstIndex = new Map<string, number>();
  const unique: number[] = [];
  incoming.forEach(({ change, path }, i) => {
    const seen = firstIndex.get(change.changeId);
    if (seen !== undefined) {
      if (hashes[seen] !== hashes[i])
        errors.push({ path: `${path}/changeId`, message: `repeats the changeId of ${incoming[seen]!.path} with a different body` });
    } else {
      firstIndex.set(change.changeId, i);
      unique.push(i);
    }
    if (change.occurredAt) {
      const at = Date.parse(change.occurredAt);
      if (at < account.auditEnabledAt)
        errors.push({
          path: `${path}/occurredAt`,
          message: `is before auditing was enabled for this account (${new Date(account.auditEnabledAt).toISOString()}); history is not recorded retroactively`,
        });
      else if (at < cutoff)
        errors.push({
          path: `${path}/occurredAt`,
          message: `is older than the account's ${account.retentionMonths}-month retention (before ${new Date(cutoff).toISOString()}); it could never be read or exported`,
        });
      if (at > now + LIMITS.futureSkewMs) errors.push({ path: `${path}/occurredAt`, message: 'is more than 5 minutes in the future' });
    }
  });
  if (errors.length) throw new WriteRefused({ reason: 'invalid', errors });
  return unique;
}

/** Numbers and hashes the changes' rows from `head`; `names` learns the names they set. */
function buildRows(
  accountId: string,
  changes: ChangeInput[],
  head: ChainHead,
  now: number,
  ids: () => string,
  names: Map<string, string>,
  source: EventSource,
) {
  const events: Omit<AuditEventRow, 'accountId'>[] = [];
  let { seq, hash } = head;
  for (const change of changes) {
    const spec = objectSpec(change.objectType);
    const objectName = change.objectName ?? snapshotName(spec, change.before, change.after) ?? names.get(refKey(change)) ?? change.objectId;
    // Later changes in the same request see names set by earlier ones.
    names.set(refKey(change), objectName);
    const elements = change.elements
      ? normalizeElements(spec, change.elements)
      : diffSnapshots(spec, change.action, change.before, change.after, (ref) => names.get(refKey(ref)));
    const occurredAt = change.occurredAt ? Date.parse(change.occurredAt) : now;

    const rows = elementsOrMarker(change, objectName, elements);
    if (events.length + rows.length > LIMITS.eventsPerRequest)
      throw new WriteRefused({ reason: 'too-many-events', maxEvents: LIMITS.eventsPerRequest });
    for (const element of rows) {
      const row = {
        id: ids(),
        accountId,
        seq: ++seq,
        changeId: change.changeId,
        objectType: change.objectType,
        objectId: change.objectId,
        objectName,
        action: change.action,
        ...element,
        occurredAt,
        recordedAt: now,
        originatorId: change.originator.id,
        originatorName: change.originator.name,
        source,
        prevHash: hash,
        hash: '',
      };
      row.hash = hash = eventHash(eventView(row));
      const { accountId: _a, ...stored } = row;
      events.push(stored);
    }
  }
  return { events, head: { seq, hash } };
}

/** An add or delete always leaves a trace, even of an object with no fields we know. */
function elementsOrMarker(change: ChangeInput, objectName: string, elements: DerivedElement[]): DerivedElement[] {
  if (elements.length || change.action === 'edit') return elements;
  const value = objectName;
  return [
    {
      element: 'Object',
      valueType: 'text',
      oldValue: change.action === 'delete' ? value : null,
      newValue: change.action === 'add' ? value : null,
      redacted: false,
    },
  ];
}
