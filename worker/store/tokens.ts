import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { accounts, apiTokens, tokenEvents } from '../../drizzle/schema';
import type { Scope } from '../../shared/vocabulary';
import { actorColumns, type Actor } from './token-events';
import { accountSettings, type AccountSettings } from './accounts';
import { database, iso, isoOrNull } from './db';

/** One query authenticates: the token and its account's settings together. */
export async function findTokenWithAccount(d1: D1Database, secretHash: string) {
  const rows = await database(d1)
    .select({ token: apiTokens, account: accounts })
    .from(apiTokens)
    .innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
    .where(eq(apiTokens.secretHash, secretHash))
    .limit(1);
  const row = rows[0];
  if (!row) return undefined;
  return { ...row.token, scopes: JSON.parse(row.token.scopes) as Scope[], account: accountSettings(row.account) };
}

/** last_used_at is written at most once a minute per token, off the request's critical path. */
export async function markTokenUsed(d1: D1Database, tokenId: string, now: number) {
  await database(d1)
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, now - 60_000))));
}

/** Creates the token and records who created it, in one D1 transaction. */
export async function insertToken(
  d1: D1Database,
  row: { id: string; accountId: string; name: string; scopes: Scope[]; secretHash: string; createdAt: number; expiresAt: number | null },
  actor: Actor,
) {
  const db = database(d1);
  const scopes = JSON.stringify(row.scopes);
  await db.batch([
    db.insert(apiTokens).values({ ...row, scopes }),
    db.insert(tokenEvents).values({
      accountId: row.accountId,
      at: row.createdAt,
      action: 'create',
      tokenId: row.id,
      tokenName: row.name,
      scopes,
      expiresAt: row.expiresAt,
      ...actorColumns(actor),
    }),
  ]);
}

export async function listTokens(d1: D1Database, accountId: string) {
  const rows = await database(d1).select().from(apiTokens).where(eq(apiTokens.accountId, accountId)).orderBy(apiTokens.createdAt);
  return rows.map(tokenView);
}

/** Revokes the token and records who did, in one D1 transaction; a token revoked
 *  already is left as it is, and not recorded twice. */
export async function revokeToken(d1: D1Database, accountId: string, tokenId: string, now: number, actor: Actor) {
  const who = actorColumns(actor);
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO token_events (account_id, at, action, token_id, token_name, scopes, expires_at, actor_kind, actor_token_id, actor_name)
         SELECT account_id, ?, 'revoke', id, name, scopes, expires_at, ?, ?, ? FROM api_tokens
          WHERE account_id = ? AND id = ? AND revoked_at IS NULL`,
      )
      .bind(now, who.actorKind, who.actorTokenId, who.actorName, accountId, tokenId),
    d1.prepare('UPDATE api_tokens SET revoked_at = ? WHERE account_id = ? AND id = ? AND revoked_at IS NULL').bind(now, accountId, tokenId),
  ]);
  const [row] = await database(d1).select().from(apiTokens).where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.id, tokenId)));
  return row ? tokenView(row) : undefined;
}

export function tokenView(row: typeof apiTokens.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as Scope[],
    createdAt: iso(row.createdAt),
    expiresAt: isoOrNull(row.expiresAt),
    revokedAt: isoOrNull(row.revokedAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
  };
}
