// Accounts and their tokens: the operator creates accounts and first tokens; an
// account's admins manage tokens after that, never handing on more power than they hold
// (auth/grant.ts). Every token creation and revocation is recorded and listed.
import { z } from 'zod';
import { isOperator, requireOperator, requireToken, type Caller } from '../auth/authenticate';
import { checkGrant } from '../auth/grant';
import { forgetToken } from '../auth/token-cache';
import { newToken, tokenHash } from '../auth/tokens';
import { conflict, notFound } from '../http/problem';
import { LIMITS } from '../domain/limits';
import { parseBody, parsePath, parseQuery, readJson } from '../http/input';
import { idKeysetPage, nextLinkHeader, pageResponse } from '../http/paging';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { Account, AccountCreate, CreatedToken, Me, Token, TokenCreate, TokenEventPage, TokenEventQuery } from '../schemas/accounts';
import { accountView, findAccount, insertAccount } from '../store/accounts';
import { readTokenEventPage, tokenEventView, type Actor } from '../store/token-events';
import { insertToken, listTokens, revokeToken, tokenView } from '../store/tokens';

const TokenPath = AccountPath.extend({ tokenId: z.string().min(1).max(100) });

/** The operator, or a token of this account holding one of `scopes`: the account and who asks. */
async function operatorOrToken(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  accountId: string,
  scopes: Parameters<typeof requireToken>[4],
) {
  if (isOperator(request, env)) {
    const account = await findAccount(env.DB, accountId);
    if (!account) throw notFound(`No account "${accountId}".`);
    const caller: Caller = { kind: 'operator' };
    return { account, caller };
  }
  const caller: Caller = await requireToken(request, env, ctx, accountId, scopes);
  return { account: caller.account, caller };
}

const actor = (caller: Caller): Actor =>
  caller.kind === 'operator' ? { kind: 'operator' } : { kind: 'token', tokenId: caller.tokenId, tokenName: caller.tokenName };

export const accountRoutes = [
  route(
    'post',
    '/v1/accounts',
    {
      operationId: 'createAccount',
      summary: 'Create an account (operator)',
      tags: ['accounts'],
      requestBody: { content: jsonContent(AccountCreate) },
      responses: { '201': { description: 'Created.', content: jsonContent(Account) }, ...problems(400, 401, 409, 413, 415, 422, 503) },
    },
    async (request, env) => {
      requireOperator(request, env);
      const input = parseBody(AccountCreate, await readJson(request, LIMITS.smallBodyBytes));
      const now = Date.now();
      const account = {
        id: input.id,
        name: input.name,
        timezone: input.timezone,
        retentionMonths: input.retentionMonths,
        auditEnabledAt: input.auditEnabledAt ? Date.parse(input.auditEnabledAt) : now,
        createdAt: now,
      };
      if (!(await insertAccount(env.DB, account)))
        throw conflict(`Account "${input.id}" already exists.`, [{ path: '/id', message: 'is taken' }]);
      return Response.json(accountView(account), { status: 201, headers: { Location: `/v1/accounts/${encodeURIComponent(account.id)}` } });
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}',
    {
      operationId: 'getAccount',
      summary: "The account's settings",
      tags: ['accounts'],
      requestParams: { path: AccountPath },
      responses: { '200': { description: 'The account.', content: jsonContent(Account) }, ...problems(400, 401, 404, 503) },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      return accountView((await operatorOrToken(request, env, ctx, accountId, [])).account);
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}/me',
    {
      operationId: 'me',
      summary: 'What this token may do',
      tags: ['accounts'],
      requestParams: { path: AccountPath },
      responses: { '200': { description: 'The token.', content: jsonContent(Me) }, ...problems(400, 401, 404, 503) },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId);
      return { accountId, tokenId: caller.tokenId, name: caller.tokenName, scopes: caller.scopes };
    },
  ),
  route(
    'post',
    '/v1/accounts/{accountId}/tokens',
    {
      operationId: 'createToken',
      summary: 'Create a token (operator or account:admin)',
      description:
        'The token is in this answer only; the Worker keeps a SHA-256 hash of it. ' +
        'The operator may create any token. An account:admin token may create only tokens with a subset of its own scopes, ' +
        'never events:write (the operator alone makes writers, so the administrators being audited cannot record history), ' +
        'and, if it expires itself, an expiry no later than its own: anything more is 403 naming /scopes/{i} or /expiresAt ' +
        '(403, not 422: the same body from a caller with the power is valid). Recorded in GET …/token-events.',
      tags: ['tokens'],
      requestParams: { path: AccountPath },
      requestBody: { content: jsonContent(TokenCreate) },
      responses: {
        '201': { description: 'Created.', content: jsonContent(CreatedToken) },
        ...problems(400, 401, 403, 404, 413, 415, 422, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const { account, caller } = await operatorOrToken(request, env, ctx, accountId, ['account:admin']);
      const input = parseBody(TokenCreate, await readJson(request, LIMITS.smallBodyBytes));
      const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null;
      checkGrant(caller, { scopes: input.scopes, expiresAt });
      const { id, token } = newToken();
      const row = {
        id,
        accountId: account.id,
        name: input.name,
        scopes: input.scopes,
        secretHash: await tokenHash(token),
        createdAt: Date.now(),
        expiresAt,
      };
      await insertToken(env.DB, row, actor(caller));
      const view = tokenView({ ...row, scopes: JSON.stringify(row.scopes), revokedAt: null, lastUsedAt: null });
      return Response.json({ ...view, token }, { status: 201 });
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}/tokens',
    {
      operationId: 'listTokens',
      summary: "The account's tokens (no secrets)",
      tags: ['tokens'],
      requestParams: { path: AccountPath },
      responses: {
        '200': { description: 'Tokens.', content: jsonContent(z.object({ tokens: z.array(Token) })) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      return { tokens: await listTokens(env.DB, accountId) };
    },
  ),
  route(
    'delete',
    '/v1/accounts/{accountId}/tokens/{tokenId}',
    {
      operationId: 'revokeToken',
      summary: 'Revoke a token (account:admin)',
      description: 'Recorded in GET …/token-events (once: revoking a revoked token changes nothing).',
      tags: ['tokens'],
      requestParams: { path: TokenPath },
      responses: { '200': { description: 'The revoked token.', content: jsonContent(Token) }, ...problems(400, 401, 403, 404, 503) },
    },
    async (request, env, ctx) => {
      const { accountId, tokenId } = parsePath(TokenPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['account:admin']);
      const token = await revokeToken(env.DB, accountId, tokenId, Date.now(), actor(caller));
      forgetToken(tokenId);
      if (!token) throw notFound(`No token "${tokenId}" in this account.`);
      return token;
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}/token-events',
    {
      operationId: 'tokenEvents',
      summary: 'Who created and revoked tokens (operator or account:admin)',
      description:
        'One entry per token creation and revocation: when, who (the operator, or the token id and name), and the token (id, name, scopes, expiry). ' +
        "Never a secret or its hash. Kept as long as the account's retention, like the access log. Newest first, keyset-paged: follow `nextCursor` (or the Link header).",
      tags: ['tokens'],
      requestParams: { path: AccountPath, query: TokenEventQuery },
      responses: {
        '200': {
          description: 'A page of entries, newest first.',
          headers: nextLinkHeader,
          content: jsonContent(TokenEventPage),
        },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await operatorOrToken(request, env, ctx, accountId, ['account:admin']);
      const query = parseQuery(TokenEventQuery, new URL(request.url));
      const { rows, nextCursor } = await idKeysetPage(env, 'token-events', accountId, query, (filter, before, limit) =>
        readTokenEventPage(env.DB, filter, before, limit),
      );
      return pageResponse(request.url, { events: rows.map(tokenEventView) }, nextCursor);
    },
  ),
];
