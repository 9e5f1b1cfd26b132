// How the API shows a destination and its attempts: never a secret, not even sealed.
import { iso, isoOrNull } from '../store/db';
import type { DestinationDeliveryRow, DestinationFilter, DestinationRow } from '../store/destinations';

export function destinationView(row: DestinationRow, headSeq: number, now = Date.now()) {
  const overlapping = row.previousSecretEnc !== null && (row.previousSecretUntil ?? 0) > now;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    filter: JSON.parse(row.filter) as DestinationFilter,
    state: row.state,
    deliveredThroughSeq: row.deliveredThroughSeq,
    headSeq,
    behind: Math.max(0, headSeq - row.deliveredThroughSeq),
    failures: row.failures,
    failingSince: isoOrNull(row.failingSince),
    nextAttemptAt: isoOrNull(row.nextAttemptAt),
    lastAttemptAt: isoOrNull(row.lastAttemptAt),
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    lastDeliveredAt: isoOrNull(row.lastDeliveredAt),
    previousSecretValidUntil: overlapping ? iso(row.previousSecretUntil!) : null,
    createdAt: iso(row.createdAt),
  };
}

export function attemptView(row: DestinationDeliveryRow) {
  return {
    at: iso(row.at),
    kind: row.kind,
    deliveryId: row.deliveryId,
    fromSeq: row.fromSeq,
    throughSeq: row.throughSeq,
    events: row.events,
    status: row.status,
    latencyMs: row.latencyMs,
    error: row.error,
  };
}
