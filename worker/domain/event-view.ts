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
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
export type EventView = ReturnType<typeof eventView>;

/** hash = SHA-256 (hex) of the RFC 8785 canonical JSON of the event without its `hash`
 *  (so including `prevHash`, which links it to the event before). */
export function eventHash(event: Omit<EventView, 'hash'> | EventView): string {
  const { hash: _ignored, ...hashed } = event as EventView;
  return sha256Hex(canonicalJson(hashed));
}
