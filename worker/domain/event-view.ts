// The API's view of a stored event. The same shape, without `hash`, is what the hash is
// computed over, so a client holding an event (or an NDJSON export line) can recompute it.
import type { AuditEventRow } from '../../drizzle/schema';
import { canonicalJson, sha256Hex } from './crypto';

export function eventView(row: AuditEventRow) {
  return {
    id: row.id,
    accountId: row.accountId,
    seq: row.seq,
    changeId: row.changeId,
    objectType: row.objectType,
    objectId: row.objectId,
    objectName: row.objectName,
    action: row.action,
    element: row.element,
    valueType: row.valueType,
    oldValue: row.oldValue,
    newValue: row.newValue,
    redacted: !!row.redacted,
    occurredAt: new Date(row.occurredAt).toISOString(),
    recordedAt: new Date(row.recordedAt).toISOString(),
    originator: { id: row.originatorId, name: row.originatorName },
    source: row.source,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
export type EventView = ReturnType<typeof eventView>;

/** hash = SHA-256 (hex) of the RFC 8785 canonical JSON of the event without its `hash`
 *  (so including `prevHash`, which links it to the event before).
 *  `source` is hashed only when it is not "api": every event stored before the field existed
 *  was hashed without it and is "api", so its hash stays what it was and old chains (and old
 *  NDJSON exports, which lack the field) still verify, while an imported event's "liveperson"
 *  is covered like any other field — turning it into "api" (or back) breaks the hash. One
 *  rule instead of a hash version: nothing to store, nothing for a verifier to choose. */
export function eventHash(event: HashableEvent): string {
  return sha256Hex(eventHashInput(event));
}

type HashableEvent = Omit<EventView, 'hash' | 'source'> & { source?: EventView['source']; hash?: string };

/** The text `eventHash` digests: for timing the digest alone (test/bench/lib/hash-speed.ts). */
export function eventHashInput(event: HashableEvent): string {
  const { hash: _ignored, source, ...rest } = event;
  return canonicalJson(source === undefined || source === 'api' ? rest : { ...rest, source });
}
