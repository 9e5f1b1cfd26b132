// Per-token request rate limits on the expensive routes (writes and exports), through
// Cloudflare's Workers Rate Limiting bindings. The limits themselves are configured on the
// bindings in wrangler.jsonc; they are stated again here because the binding cannot be
// asked for them, and the OpenAPI document and Retry-After need them. A test proves the
// binding enforces exactly these numbers.
import type { TokenCaller } from '../auth/authenticate';
import { Problem } from './problem';

export interface RateLimitRule {
  /** The binding in wrangler.jsonc ("ratelimits"). */
  binding: 'WRITE_LIMITER' | 'EXPORT_LIMITER';
  /** Requests a token may make per period (per Cloudflare location). */
  limit: number;
  /** Seconds; the binding only knows 10 and 60. */
  period: 10 | 60;
  /** What is counted, for the problem detail and the OpenAPI document. */
  what: string;
}

export const RATE_LIMITS = {
  // Emitters batch (up to 1,000 changes a request); 20 requests a second is far above what a
  // platform's change feed needs, and still allows a bulk edit sent change by change.
  write: { binding: 'WRITE_LIMITER', limit: 1200, period: 60, what: 'write requests (POST …/changes and …/changes/batch)' },
  // An export reads up to the whole history; two a second covers people clicking "Export"
  // and scripts fetching ranges, and stops a loop from monopolising the database.
  export: { binding: 'EXPORT_LIMITER', limit: 120, period: 60, what: 'exports' },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** One sentence for operation descriptions. */
export const rateLimitText = (name: RateLimitName) => {
  const { limit, period, what } = RATE_LIMITS[name];
  return `Rate limit: ${limit.toLocaleString('en-US')} ${what} per token per ${period} seconds; beyond it 429 with Retry-After.`;
};

export const tooManyRequests = (rule: RateLimitRule) =>
  new Problem(
    429,
    'rate-limited',
    `This token made more than ${rule.limit.toLocaleString('en-US')} ${rule.what} in ${rule.period} seconds; retry after the Retry-After seconds.`,
    undefined,
    // The binding does not say when its window ends; a whole period is always enough.
    { 'Retry-After': String(rule.period) },
  );

/** Counts this request against the token's budget; over it, throws 429 with Retry-After.
 *  The key is the token id, so tokens (and accounts) never share a budget. If the limiter
 *  itself fails, the request goes through: an audit trail must not drop a write because
 *  the abuse guard had a hiccup. */
export async function enforceRateLimit(env: Env, name: RateLimitName, caller: TokenCaller): Promise<void> {
  const rule = RATE_LIMITS[name];
  let success: boolean;
  try {
    ({ success } = await env[rule.binding].limit({ key: caller.tokenId }));
  } catch (error) {
    console.error(`rate limiter ${rule.binding} failed; letting the request through`, error);
    return;
  }
  if (!success) throw tooManyRequests(rule);
}
