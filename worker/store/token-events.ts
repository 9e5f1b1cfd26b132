// Who created and revoked tokens: one row per creation or revocation (written with the
// change itself, see tokens.ts), newest first, keyset-paged by id like the access log.
// Holds the token's id, name, scopes and expiry, never its secret or the secret's hash.
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { tokenEvents } from '../../drizzle/schema';
import type { ActorKind, Scope, TokenEventAction } from '../../shared/vocabulary';
import { database, iso, isoOrNull } from './db';

/** Who acted: the operator, or a token of the account with the name it had then. */
export type Actor = { kind: 'operator' } | { kind: 'token'; tokenId: string; tokenName: string };

export function actorColumns(actor: Actor): { actorKind: ActorKind; actorTokenId: string | null; actorName: string } {
  return actor.kind === 'operator'
    ? { actorKind: 'operator', actorTokenId: null, actorName: 'operator' }
    : { actorKind: 'token', actorTokenId: actor.tokenId, actorName: actor.tokenName };
}

export interface TokenEventFilter {
  accountId: string;
  action?: TokenEventAction;
  /** Only what happened to this token. */
  tokenId?: string;
}

export async function readTokenEventPage(d1: D1Database, filter: TokenEventFilter, beforeId: number | undefined, limit: number) {
  const t = tokenEvents;
  const conditions: SQL[] = [eq(t.accountId, filter.accountId)];
  if (filter.action !== undefined) conditions.push(eq(t.action, filter.action));
  if (filter.tokenId !== undefined) conditions.push(eq(t.tokenId, filter.tokenId));
  if (beforeId !== undefined) conditions.push(lt(t.id, beforeId));
  const rows = await database(d1)
    .select()
    .from(t)
    .where(and(...conditions))
    .orderBy(desc(t.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, next: more ? page.at(-1)!.id : undefined };
}

export function tokenEventView(row: typeof tokenEvents.$inferSelect) {
  return {
    id: row.id,
    at: iso(row.at),
    action: row.action,
    token: { id: row.tokenId, name: row.tokenName, scopes: JSON.parse(row.scopes) as Scope[], expiresAt: isoOrNull(row.expiresAt) },
    by: { kind: row.actorKind, tokenId: row.actorTokenId, name: row.actorName },
  };
}
