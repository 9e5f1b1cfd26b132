// Who is calling: the operator (creates accounts and first tokens) or an account's token
// with scopes. A token never reaches another account: that answers 404, as if the
// account did not exist, so account ids cannot be probed.
import type { Scope } from '../../shared/vocabulary';
import { timingSafeEqual } from '../domain/crypto';
import { forbidden, misconfigured, notFound, unauthorized } from '../http/problem';
import type { AccountSettings } from '../store/accounts';
import { markTokenUsed } from '../store/tokens';
import { lookUpToken, noteTokenUse } from './token-cache';
import { TOKEN_PREFIX, tokenHash } from './tokens';

export interface TokenCaller {
  kind: 'token';
  tokenId: string;
  tokenName: string;
  scopes: Scope[];
  /** When the token expires (ms), or null: what it creates may not outlive it. */
  expiresAt: number | null;
  account: AccountSettings;
}
export interface OperatorCaller {
  kind: 'operator';
}
export type Caller = OperatorCaller | TokenCaller;

function bearer(request: Request): string {
  const header = request.headers.get('authorization');
  if (!header) throw unauthorized('Send "Authorization: Bearer <token>".');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".');
  return match[1]!;
}

/** Whether the bearer is the operator's. Without an OPERATOR_TOKEN setting, a bearer that
 *  is not an account token (they all start with TOKEN_PREFIX) was meant for the operator:
 *  that is a 503 naming the setting, not a puzzling 401. */
export function isOperator(request: Request, env: Env): boolean {
  const header = request.headers.get('authorization');
  const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  if (!env.OPERATOR_TOKEN) {
    if (!match[1]!.startsWith(TOKEN_PREFIX)) throw misconfigured('OPERATOR_TOKEN', 'missing');
    return false;
  }
  return timingSafeEqual(match[1]!, env.OPERATOR_TOKEN);
}

export function requireOperator(request: Request, env: Env): OperatorCaller {
  bearer(request);
  if (!env.OPERATOR_TOKEN) throw misconfigured('OPERATOR_TOKEN', 'missing');
  if (!isOperator(request, env)) throw unauthorized('This needs the operator token.');
  return { kind: 'operator' };
}

/** Resolves the token and checks it belongs to `accountId` and holds one of `scopes`
 *  (none given: any valid token of the account). */
export async function requireToken(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  accountId: string,
  scopes: Scope[] = [],
): Promise<TokenCaller> {
  const token = bearer(request);
  const now = Date.now();
  const secretHash = await tokenHash(token);
  const found = await lookUpToken(env.DB, secretHash, now);
  if (!found) throw unauthorized('The token is not valid.');
  if (found.revokedAt !== null) throw unauthorized('The token has been revoked.');
  if (found.expiresAt !== null && found.expiresAt <= now) throw unauthorized('The token has expired.');
  if (found.account.id !== accountId) throw notFound(`No account "${accountId}".`);
  if (scopes.length && !scopes.some((scope) => found.scopes.includes(scope))) {
    throw forbidden(
      `This needs the ${scopes.map((s) => `"${s}"`).join(' or ')} scope; the token has ${found.scopes.join(', ') || 'none'}.`,
    );
  }
  // last_used_at is kept to the minute: a fresh one is not written again (a write would
  // queue every read behind it in D1).
  if (found.lastUsedAt === null || found.lastUsedAt < now - 60_000) {
    noteTokenUse(secretHash, now);
    ctx.waitUntil(markTokenUsed(env.DB, found.id, now));
  }
  return {
    kind: 'token',
    tokenId: found.id,
    tokenName: found.name,
    scopes: found.scopes,
    expiresAt: found.expiresAt,
    account: found.account,
  };
}
