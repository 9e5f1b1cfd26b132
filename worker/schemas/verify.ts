// The integrity API's shapes: the verify query and report, checkpoints and the public key
// set. The domain's types are inferred from these, so the document and the code agree.
import { z } from 'zod';
import { LIMITS } from '../domain/limits';

const Seq = z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0');

export const VerifyQuery = z.strictObject({
  fromSeq: Seq.optional().meta({ description: 'First seq to check. Default: the oldest kept event.' }),
  toSeq: Seq.optional().meta({ description: 'Last seq to check. Default: the chain head.' }),
});

export const BreakReason = z.enum(['missing', 'link', 'hash', 'head', 'extra', 'checkpoint']);
export type BreakReason = z.output<typeof BreakReason>;

export const Checkpoint = z
  .object({
    accountId: z.string(),
    seq: z.number().int(),
    hash: z.string(),
    signedAt: z.string(),
    keyId: z.string(),
    signature: z
      .string()
      .meta({ description: 'base64url Ed25519 signature over the RFC 8785 JSON of {accountId, seq, hash, signedAt, keyId}.' }),
  })
  .meta({ id: 'Checkpoint' });
export type Checkpoint = z.output<typeof Checkpoint>;

export const VerifyReport = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    fromSeq: z.number().int(),
    toSeq: z.number().int(),
    complete: z
      .boolean()
      .meta({ description: `False when the range held more than ${LIMITS.verifyEvents} events: continue from nextFromSeq.` }),
    nextFromSeq: z.number().int().nullable(),
    head: z.object({ seq: z.number().int(), hash: z.string() }),
    purgedThroughSeq: z.number().int().meta({ description: 'Events up to this seq were deleted by the retention purge.' }),
    firstBrokenSeq: z.number().int().nullable(),
    reason: BreakReason.nullable(),
    detail: z.string().nullable(),
    checkpoint: Checkpoint.extend({ signatureValid: z.boolean(), contained: z.boolean() }).nullable(),
  })
  .meta({ id: 'VerifyReport' });
export type VerifyReport = z.output<typeof VerifyReport>;

export const CheckpointList = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  beforeSeq: Seq.optional().meta({ description: 'Page backwards: checkpoints with a lower seq.' }),
});

export const PublicKeyJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});
export type PublicKeyJwk = z.output<typeof PublicKeyJwk>;

export const PublicKeys = z.object({ keys: z.array(PublicKeyJwk) }).meta({ id: 'PublicKeys' });
