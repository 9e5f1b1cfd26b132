import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { accounts, apiTokens, type Scope } from '../../drizzle/schema';
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

export async function insertToken(
  d1: D1Database,
  row: { id: string; accountId: string; name: string; scopes: Scope[]; secretHash: string; createdAt: number; expiresAt: number | null },
) {
  await database(d1).insert(apiTokens).values({ ...row, scopes: JSON.stringify(row.scopes) });
}

export async function listTokens(d1: D1Database, accountId: string) {
  const rows = await database(d1).select().from(apiTokens).where(eq(apiTokens.accountId, accountId)).orderBy(apiTokens.createdAt);
  return rows.map(tokenView);
}

export async function revokeToken(d1: D1Database, accountId: string, tokenId: string, now: number) {
  const db = database(d1);
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)));
  const [row] = await db.select().from(apiTokens).where(and(eq(apiTokens.accountId, accountId), eq(apiTokens.id, tokenId)));
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
