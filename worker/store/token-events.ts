// Who created and revoked tokens: one row per creation or revocation (written with the
// change itself, see tokens.ts), newest first, keyset-paged by id like the access log.
// Holds the token's id, name, scopes and expiry, never its secret or the secret's hash.
import { eq } from 'drizzle-orm';
import { tokenEvents } from '../../drizzle/schema';
import type { ActorKind, Scope, TokenEventAction } from '../../shared/vocabulary';
import { iso, isoOrNull, readIdLogPage } from './db';

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

/** One page, newest first, keyset-paged on id. */
export function readTokenEventPage(d1: D1Database, filter: TokenEventFilter, beforeId: number | undefined, limit: number) {
  const t = tokenEvents;
  const filters = [
    filter.action !== undefined ? eq(t.action, filter.action) : undefined,
    filter.tokenId !== undefined ? eq(t.tokenId, filter.tokenId) : undefined,
  ];
  return readIdLogPage(d1, t, filter.accountId, filters, beforeId, limit);
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
