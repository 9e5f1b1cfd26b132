// Recording changes: validate the whole request, turn each change into element rows,
// then append them to the account's chain in one transaction. Idempotent by changeId.
import type { AuditEventRow } from '../../drizzle/schema';
import { Problem, conflict, tooLarge, unprocessable, type ProblemFieldError } from '../http/problem';
import { LIMITS, type ChangeInput } from '../schemas/changes';
import { appendEvents, findChangeRequests, readChainHead, type ChainHead } from '../store/event-writer';
import { knownNames, refKey, type NamedRef } from '../store/object-names';
import type { AccountSettings } from '../store/accounts';
import { canonicalJson, sha256Hex } from './crypto';
import { eventHash, eventView } from './event-view';
import { newEventIds } from './event-ids';
import { retentionCutoff } from './time';
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

const MAX_ATTEMPTS = 60;

export async function recordChanges(d1: D1Database, account: AccountSettings, incoming: IncomingChange[]): Promise<ChangeOutcome[]> {
  const now = Date.now();
  const hashes = incoming.map(({ raw }) => sha256Hex(canonicalJson(raw)));
  const unique = checkRequest(account, incoming, hashes, now);
  const firstOccurrences = new Set(unique);

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const stored = await findChangeRequests(d1, account.id, unique.map((i) => incoming[i]!.change.changeId));
    const conflicts: ProblemFieldError[] = [];
    for (const i of unique) {
      const previous = stored.get(incoming[i]!.change.changeId);
      if (previous && previous.bodyHash !== hashes[i])
        conflicts.push({ path: `${incoming[i]!.path}/changeId`, message: 'was already used for a different change' });
    }
    if (conflicts.length)
      throw conflict('A changeId was already recorded with a different body; nothing was stored. Use a new changeId for a new change.', conflicts);

    const fresh = unique.filter((i) => !stored.has(incoming[i]!.change.changeId));
    // Only the first occurrence of a freshly written changeId counts as created.
    const outcomes = (written: Map<string, number>) =>
      incoming.map(({ change }, i) => {
        const created = written.has(change.changeId) && firstOccurrences.has(i);
        return {
          changeId: change.changeId,
          replayed: !created,
          eventCount: written.get(change.changeId) ?? stored.get(change.changeId)?.eventCount ?? 0,
        };
      });
    if (!fresh.length) return outcomes(new Map());

    const head = await readChainHead(d1, account.id);
    const rows = await buildRows(d1, account, fresh.map((i) => incoming[i]!.change), head, now);
    const counts = new Map(fresh.map((i) => [incoming[i]!.change.changeId, 0]));
    for (const row of rows.events) counts.set(row.changeId, counts.get(row.changeId)! + 1);
    const requests = fresh.map((i) => ({
      changeId: incoming[i]!.change.changeId,
      bodyHash: hashes[i]!,
      eventCount: counts.get(incoming[i]!.change.changeId)!,
    }));

    try {
      if (await appendEvents(d1, account.id, head, rows.head, rows.events, requests, now)) return outcomes(counts);
    } catch (error) {
      // A concurrent writer stored one of these changeIds first: look again.
      if (!/UNIQUE constraint failed/i.test(String(error))) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
  }
  throw new Problem(503, 'busy', 'Too many concurrent writes to this account; nothing was stored. Retry shortly.', undefined, {
    'Retry-After': '1',
  });
}

/** Checks what can be checked before touching the database; answers the indexes of the
 *  changes to write (the first of each changeId). */
function checkRequest(account: AccountSettings, incoming: IncomingChange[], hashes: string[], now: number): number[] {
  const errors: ProblemFieldError[] = [];
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
  if (errors.length) throw unprocessable('Some changes cannot be recorded; nothing was stored. See errors.', errors);
  return unique;
}

async function buildRows(d1: D1Database, account: AccountSettings, changes: ChangeInput[], head: ChainHead, now: number) {
  const refs: NamedRef[] = [];
  for (const change of changes) {
    // The object's own name is looked up only when the change does not carry one.
    if (!change.objectName && !snapshotName(change.objectType, change.before, change.after))
      refs.push({ objectType: change.objectType, objectId: change.objectId });
    if (!change.elements) refs.push(...referencedObjects(change.objectType, change.before, change.after));
  }
  const names = refs.length ? await knownNames(d1, account.id, refs, now) : new Map<string, string>();

  const events: Omit<AuditEventRow, 'accountId'>[] = [];
  const ids = newEventIds(now);
  let { seq, hash } = head;
  for (const change of changes) {
    const objectName =
      change.objectName ??
      snapshotName(change.objectType, change.before, change.after) ??
      names.get(refKey(change)) ??
      change.objectId;
    // Later changes in the same request see names set by earlier ones.
    names.set(refKey(change), objectName);
    const elements = change.elements
      ? normalizeElements(change.objectType, change.elements)
      : diffSnapshots(change.objectType, change.action, change.before, change.after, (ref) => names.get(refKey(ref)));
    const occurredAt = change.occurredAt ? Date.parse(change.occurredAt) : now;

    const rows = elementsOrMarker(change, objectName, elements);
    if (events.length + rows.length > LIMITS.eventsPerRequest)
      throw tooLarge(
        `These changes would record more than ${LIMITS.eventsPerRequest} events (one per changed element); nothing was stored. Send them in smaller batches.`,
        [{ path: '/', message: `more than ${LIMITS.eventsPerRequest} events` }],
      );
    for (const element of rows) {
      const row = {
        id: ids(),
        accountId: account.id,
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
