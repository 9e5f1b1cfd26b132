// A short-lived, per-isolate cache of token look-ups: most requests then skip one D1
// round trip. A token revoked or expired elsewhere is refused here within TTL_MS at most;
// a revocation through this isolate takes effect at once.
import { findTokenWithAccount } from '../store/tokens';

export const TOKEN_CACHE_TTL_MS = 10_000;
const MAX_ENTRIES = 1_000;

type Found = Awaited<ReturnType<typeof findTokenWithAccount>>;
const entries = new Map<string, { found: Found; until: number }>();

export async function lookUpToken(d1: D1Database, secretHash: string, now: number): Promise<Found> {
  const cached = entries.get(secretHash);
  if (cached && cached.until > now) return cached.found;
  const found = await findTokenWithAccount(d1, secretHash);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(secretHash, { found, until: now + TOKEN_CACHE_TTL_MS });
  return found;
}

/** After a change to a token (revocation), forget it in this isolate. */
export function forgetToken(tokenId: string): void {
  for (const [hash, entry] of entries) if (entry.found?.id === tokenId) entries.delete(hash);
}

/** After the token was used: remember the new last-use time so it is not written again. */
export function noteTokenUse(secretHash: string, now: number): void {
  const entry = entries.get(secretHash);
  if (entry?.found) entry.found = { ...entry.found, lastUsedAt: now };
}
