// What a caller may hand on when it creates a token. The operator may create any token.
// A token may only create tokens with a subset of its own scopes that expire no later
// than itself, so no one gains power by minting; and never an `events:write` token,
// because the administrators being audited must not be able to record history.
import type { Scope } from '../../shared/vocabulary';
import { forbidden, type ProblemFieldError } from '../http/problem';
import type { Caller } from './authenticate';

export interface Grant {
  scopes: Scope[];
  /** ms since the epoch, or null: never expires. */
  expiresAt: number | null;
}

/** Refuses (403, naming each field) a token the caller may not create. */
export function checkGrant(caller: Caller, grant: Grant): void {
  if (caller.kind === 'operator') return;
  const errors: ProblemFieldError[] = [];
  grant.scopes.forEach((scope, i) => {
    if (scope === 'events:write') errors.push({ path: `/scopes/${i}`, message: 'events:write tokens are created by the operator only' });
    else if (!caller.scopes.includes(scope))
      errors.push({
        path: `/scopes/${i}`,
        message: `is not a scope of the token making this request (it has ${caller.scopes.join(', ')})`,
      });
  });
  if (caller.expiresAt !== null) {
    const limit = new Date(caller.expiresAt).toISOString();
    if (grant.expiresAt === null)
      errors.push({
        path: '/expiresAt',
        message: `is required: the token making this request expires at ${limit}, and what it creates may not outlive it`,
      });
    else if (grant.expiresAt > caller.expiresAt)
      errors.push({ path: '/expiresAt', message: `must be no later than ${limit}, when the token making this request expires` });
  }
  if (errors.length)
    throw forbidden(
      'A token may only create tokens with a subset of its own scopes and an expiry no later than its own; events:write tokens are created by the operator only. See errors.',
      errors,
    );
}
