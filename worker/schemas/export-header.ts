// The first line of an NDJSON export: not an event, but what makes the file provable on
// its own — where the account's chain starts (genesis or the retention purge watermark),
// the head the export was read from, the filters and order it was made with, and an
// Ed25519 signature over all of that. Shared by the Worker (writes it) and the offline
// verifier (requires it).
import { z } from 'zod';

export const EXPORT_HEADER_TYPE = 'audit-trail.export';
export const EXPORT_ORDERS = ['occurredAt', 'seq'] as const;
export type ExportOrder = (typeof EXPORT_ORDERS)[number];

const Seq = z.number().int().min(0);
const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits');

export const ExportHeader = z
  .object({
    type: z.literal(EXPORT_HEADER_TYPE),
    version: z.literal(1),
    accountId: z.string(),
    exportedAt: z.string(),
    order: z.enum(EXPORT_ORDERS).meta({ description: 'occurredAt: newest first (the default); seq: ascending seq.' }),
    filters: z.record(z.string(), z.unknown()).meta({ description: 'The filters the export was made with; {} for the whole chain.' }),
    complete: z.boolean().meta({
      description:
        'True when the file holds every seq from chain.from.seq + 1 to chain.head.seq (no filters); a filtered export cannot be proven whole.',
    }),
    retention: z.object({
      months: z.number().int(),
      hiddenBefore: z
        .string()
        .meta({ description: 'Events that occurred before this are past retention: a complete export shows them as hash-only stubs.' }),
    }),
    chain: z.object({
      from: z
        .object({ seq: Seq, hash: Hash })
        .meta({ description: 'The last event before the file: seq 0 and 64 zeros (genesis), or the purge watermark.' }),
      head: z
        .object({ seq: Seq, hash: Hash })
        .meta({ description: 'The chain head the export was read from: later events are not part of it.' }),
    }),
    signature: z.object({ keyId: z.string(), value: z.string() }).nullable().meta({
      description:
        'base64url Ed25519 signature (key from GET /v1/keys) over the RFC 8785 JSON of this header without `signature`; null when the Worker has no signing key.',
    }),
  })
  .meta({ id: 'ExportHeader' });
export type ExportHeader = z.output<typeof ExportHeader>;

/** What stands in a complete export for an event past retention: its links, not its content. */
export const RetentionStub = z
  .strictObject({ seq: Seq, prevHash: Hash, hash: Hash, hidden: z.literal('retention') })
  .meta({ id: 'RetentionStub' });
export type RetentionStub = z.output<typeof RetentionStub>;
