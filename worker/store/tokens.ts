import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { accounts, apiTokens, tokenEvents } from '../../drizzle/schema';
import type { Scope } from '../../shared/vocabulary';
import { actorColumns, type Actor } from './token-events';
import { accountSettings } from './accounts';
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
  const db = database(d1);
  const unrevoked = and(eq(apiTokens.accountId, accountId), eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt));
  await db.batch([
    // INSERT … SELECT: the event is written only while the token is still unrevoked, in the
    // same transaction as the update. The selection lists token_events' columns in order.
    db.insert(tokenEvents).select(
      db
        .select({
          id: sql<number>`NULL`.as('id'),
          accountId: apiTokens.accountId,
          at: sql<number>`${now}`.as('at'),
          action: sql<'revoke'>`'revoke'`.as('action'),
          tokenId: apiTokens.id,
          tokenName: apiTokens.name,
          scopes: apiTokens.scopes,
          expiresAt: apiTokens.expiresAt,
          actorKind: sql<Actor['kind']>`${who.actorKind}`.as('actorKind'),
          actorTokenId: sql<string | null>`${who.actorTokenId}`.as('actorTokenId'),
          actorName: sql<string>`${who.actorName}`.as('actorName'),
        })
        .from(apiTokens)
        .where(unrevoked),
    ),
    db.update(apiTokens).set({ revokedAt: now }).where(unrevoked),
  ]);
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.id, tokenId)));
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
