// API tokens: random, shown once, stored only as a SHA-256 hash. The token carries a
// recognizable prefix so secret scanners can find leaked ones.
import { randomBase64Url, sha256Hex } from '../domain/crypto';

export const TOKEN_PREFIX = 'atr_';

export function newToken(): { token: string; id: string } {
  return { token: TOKEN_PREFIX + randomBase64Url(32), id: 'tok_' + randomBase64Url(12) };
}

/** Tokens are 256 random bits, so an unsalted fast hash is enough: there is nothing to guess. */
export const tokenHash = (token: string) => sha256Hex(token);
