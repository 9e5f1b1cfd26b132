// Integrity, for readers and auditors: recompute the chain, list and make signed
// checkpoints, and publish the key that signs them.
import { z } from 'zod';
import { requireToken } from '../auth/authenticate';
import { signCheckpoint } from '../domain/checkpoint-signing';
import { requireSigningKey } from '../http/settings';
import { MAX_VERIFY_EVENTS, verifyAccount } from '../domain/verify-account';
import { parsePath, parseQuery } from '../http/input';
import { badRequest, unprocessable } from '../http/problem';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { logAccess } from '../store/access-log';
import { checkpointAt, insertCheckpoint, listCheckpoints, readChainState } from '../store/chain';

const Seq = z.coerce.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0');

export const VerifyQuery = z.strictObject({
  fromSeq: Seq.optional().meta({ description: 'First seq to check. Default: the oldest kept event.' }),
  toSeq: Seq.optional().meta({ description: 'Last seq to check. Default: the chain head.' }),
});

const ChainBreakReason = z.enum(['missing', 'link', 'hash', 'head', 'extra', 'checkpoint']);

export const CheckpointSchema = z
  .object({
    accountId: z.string(),
    seq: z.number().int(),
    hash: z.string(),
    signedAt: z.string(),
    keyId: z.string(),
    signature: z.string().meta({ description: 'base64url Ed25519 signature over the RFC 8785 JSON of {accountId, seq, hash, signedAt, keyId}.' }),
  })
  .meta({ id: 'Checkpoint' });

export const VerifyReportSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    fromSeq: z.number().int(),
    toSeq: z.number().int(),
    complete: z.boolean().meta({ description: `False when the range held more than ${MAX_VERIFY_EVENTS} events: continue from nextFromSeq.` }),
    nextFromSeq: z.number().int().nullable(),
    head: z.object({ seq: z.number().int(), hash: z.string() }),
    purgedThroughSeq: z.number().int().meta({ description: 'Events up to this seq were deleted by the retention purge.' }),
    firstBrokenSeq: z.number().int().nullable(),
    reason: ChainBreakReason.nullable(),
    detail: z.string().nullable(),
    checkpoint: CheckpointSchema.extend({ signatureValid: z.boolean(), contained: z.boolean() }).nullable(),
  })
  .meta({ id: 'VerifyReport' });

const CheckpointList = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  beforeSeq: Seq.optional().meta({ description: 'Page backwards: checkpoints with a lower seq.' }),
});

const PublicKeys = z
  .object({
    keys: z.array(z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') })),
  })
  .meta({ id: 'PublicKeys' });

/** Signs the account's current head, unless it is signed already; answers the checkpoint. */
export async function checkpointHead(env: Env, accountId: string, now = new Date()) {
  const key = await requireSigningKey(env);
  const state = await readChainState(env.DB, accountId);
  if (state.headSeq === 0) return undefined;
  const existing = await checkpointAt(env.DB, accountId, state.headSeq);
  if (existing) return { checkpoint: existing, created: false };
  const checkpoint = await signCheckpoint(key, { accountId, seq: state.headSeq, hash: state.headHash }, now);
  await insertCheckpoint(env.DB, checkpoint);
  return { checkpoint: (await checkpointAt(env.DB, accountId, state.headSeq))!, created: true };
}

export const verifyRoutes = [
  route(
    'get',
    '/v1/accounts/{accountId}/verify',
    {
      operationId: 'verifyChain',
      summary: "Recompute the account's hash chain",
      description:
        'Checks every event in the range: its seq follows the one before, its prevHash is that event\'s hash, and its hash is the SHA-256 of its RFC 8785 canonical JSON. ' +
        'Also checks that the chain ends at the head the Worker recorded, that nothing lies beyond it, and that the newest signed checkpoint is part of it. ' +
        `At most ${MAX_VERIFY_EVENTS} events a request.`,
      tags: ['integrity'],
      requestParams: { path: AccountPath, query: VerifyQuery },
      responses: { '200': { description: 'The report; ok is false when the chain is broken.', content: jsonContent(VerifyReportSchema) }, ...problems(400, 401, 403, 404, 503) },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['audit:read']);
      const query = parseQuery(VerifyQuery, new URL(request.url));
      if (query.fromSeq !== undefined && query.toSeq !== undefined && query.fromSeq > query.toSeq)
        throw badRequest('The range is empty: fromSeq is after toSeq.', [{ path: 'query.fromSeq', message: 'is after query.toSeq' }]);
      // A key that is set must be a good one: a malformed key is a 503 naming it, not a 500.
      if (env.CHECKPOINT_PRIVATE_KEY) await requireSigningKey(env);
      const report = await verifyAccount(env.DB, accountId, query, env.CHECKPOINT_PRIVATE_KEY);
      logAccess(env, ctx, caller, 'verify', { ...query }, report.checked);
      return report;
    },
  ),
  route(
    'post',
    '/v1/accounts/{accountId}/checkpoints',
    {
      operationId: 'createCheckpoint',
      summary: "Sign the account's chain head now (account:admin)",
      description: 'The Worker also signs every account whose head moved, once an hour. Keep checkpoints outside the service: they prove later that nothing after them was deleted.',
      tags: ['integrity'],
      requestParams: { path: AccountPath },
      responses: {
        '201': { description: 'Signed.', content: jsonContent(CheckpointSchema) },
        '200': { description: 'The head was already signed.', content: jsonContent(CheckpointSchema) },
        ...problems(400, 401, 403, 404, 422, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      const signed = await checkpointHead(env, accountId);
      if (!signed) throw unprocessable('The account has no events yet; there is nothing to sign.');
      return Response.json(signed.checkpoint, { status: signed.created ? 201 : 200 });
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}/checkpoints',
    {
      operationId: 'listCheckpoints',
      summary: 'Signed checkpoints, newest first',
      tags: ['integrity'],
      requestParams: { path: AccountPath, query: CheckpointList },
      responses: { '200': { description: 'Checkpoints.', content: jsonContent(z.object({ checkpoints: z.array(CheckpointSchema) })) }, ...problems(400, 401, 403, 404) },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['audit:read']);
      const { limit, beforeSeq } = parseQuery(CheckpointList, new URL(request.url));
      return { checkpoints: await listCheckpoints(env.DB, accountId, limit, beforeSeq) };
    },
  ),
  route(
    'get',
    '/v1/keys',
    {
      operationId: 'publicKeys',
      summary: 'The public keys that verify checkpoints (JWK set)',
      tags: ['integrity'],
      security: [],
      responses: { '200': { description: 'Ed25519 public keys.', content: jsonContent(PublicKeys) }, ...problems(503) },
    },
    async (_request, env) => ({ keys: [(await requireSigningKey(env)).publicJwk] }),
  ),
];
