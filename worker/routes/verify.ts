// Integrity, for readers and auditors: recompute the chain, list and make signed
// checkpoints, and publish the key that signs them.
import { z } from 'zod';
import { requireToken } from '../auth/authenticate';
import { checkpointHead } from '../domain/checkpoint-head';
import { LIMITS } from '../domain/limits';
import { verifyAccount } from '../domain/verify-account';
import { parsePath, parseQuery } from '../http/input';
import { badRequest, unprocessable } from '../http/problem';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { requireSigningKey } from '../http/settings';
import { Checkpoint, CheckpointList, PublicKeys, VerifyQuery, VerifyReport } from '../schemas/verify';
import { logAccess } from '../store/access-log';
import { listCheckpoints } from '../store/chain';

export const verifyRoutes = [
  route(
    'get',
    '/v1/accounts/{accountId}/verify',
    {
      operationId: 'verifyChain',
      summary: "Recompute the account's hash chain",
      description:
        "Checks every event in the range: its seq follows the one before, its prevHash is that event's hash, and its hash is the SHA-256 of its RFC 8785 canonical JSON. " +
        'Also checks that the chain ends at the head the Worker recorded, that nothing lies beyond it, and that the newest signed checkpoint is part of it. ' +
        `At most ${LIMITS.verifyEvents} events a request.`,
      tags: ['integrity'],
      requestParams: { path: AccountPath, query: VerifyQuery },
      responses: {
        '200': { description: 'The report; ok is false when the chain is broken.', content: jsonContent(VerifyReport) },
        ...problems(400, 401, 403, 404, 503),
      },
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
      description:
        'The Worker also signs every account whose head moved, once an hour. Keep checkpoints outside the service: they prove later that nothing after them was deleted.',
      tags: ['integrity'],
      requestParams: { path: AccountPath },
      responses: {
        '201': { description: 'Signed.', content: jsonContent(Checkpoint) },
        '200': { description: 'The head was already signed.', content: jsonContent(Checkpoint) },
        ...problems(400, 401, 403, 404, 422, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      const signed = await checkpointHead(env.DB, await requireSigningKey(env), accountId);
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
      responses: {
        '200': { description: 'Checkpoints.', content: jsonContent(z.object({ checkpoints: z.array(Checkpoint) })) },
        ...problems(400, 401, 403, 404, 503),
      },
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
