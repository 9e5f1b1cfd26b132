// Single-use export links: made by a token with audit:export, used once by a browser's
// downloads API within a minute. Only the SHA-256 of a link's secret is stored.
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { accounts, apiTokens, exportLinks } from '../../drizzle/schema';
import type { Scope } from '../../shared/vocabulary';
import { accountSettings, type AccountSettings } from './accounts';
import { database } from './db';

export interface ExportLinkRecord {
  secretHash: string;
  accountId: string;
  tokenId: string;
  query: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertExportLink(d1: D1Database, link: ExportLinkRecord): Promise<void> {
  await database(d1).insert(exportLinks).values(link);
}

/** The link's creator as it is now: a token revoked or expired since cannot be used through a link either. */
export interface LinkCreator {
  id: string;
  name: string;
  scopes: Scope[];
  revokedAt: number | null;
  expiresAt: number | null;
  account: AccountSettings;
}

export type Claim = { status: 'claimed'; query: string; creator: LinkCreator | undefined } | { status: 'used' | 'expired' | 'unknown' };

/** Uses the link: one statement marks it used only if it is unused and unexpired, so two
 *  concurrent downloads cannot both win. */
export async function claimExportLink(d1: D1Database, secretHash: string, now: number): Promise<Claim> {
  const db = database(d1);
  const [claimed] = await db
    .update(exportLinks)
    .set({ usedAt: now })
    .where(and(eq(exportLinks.secretHash, secretHash), isNull(exportLinks.usedAt), gt(exportLinks.expiresAt, now)))
    .returning();
  if (!claimed) {
    const [link] = await db.select().from(exportLinks).where(eq(exportLinks.secretHash, secretHash));
    if (!link) return { status: 'unknown' };
    return { status: link.usedAt !== null ? 'used' : 'expired' };
  }
  const [row] = await db
    .select({ token: apiTokens, account: accounts })
    .from(apiTokens)
    .innerJoin(accounts, eq(accounts.id, apiTokens.accountId))
    .where(and(eq(apiTokens.id, claimed.tokenId), eq(apiTokens.accountId, claimed.accountId)));
  const creator = row && {
    id: row.token.id,
    name: row.token.name,
    scopes: JSON.parse(row.token.scopes) as Scope[],
    revokedAt: row.token.revokedAt,
    expiresAt: row.token.expiresAt,
    account: accountSettings(row.account),
  };
  return { status: 'claimed', query: claimed.query, creator };
}

/** Links are useless a minute after they were made; the cron drops those older than `before`. */
export async function purgeExportLinks(d1: D1Database, before: number): Promise<number> {
  const result = await database(d1).delete(exportLinks).where(lt(exportLinks.expiresAt, before)).run();
  return result.meta.changes;
}
