import { z } from 'zod';
import { ACTOR_KINDS, SCOPES, TOKEN_EVENT_ACTIONS } from '../../shared/vocabulary';
import { Timestamp, TimeZone } from './common';
import { Paging } from './events';

export const Scope = z.enum(SCOPES).meta({ id: 'Scope' });

/** Account ids travel in every URL path: a small alphabet that no URL parser rewrites
 *  (no "/", "%", dots or non-ASCII), so an id always names the same account in a path
 *  as in the body that created it. LivePerson account ids are digits. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const AccountId = z
  .string()
  .regex(ACCOUNT_ID_PATTERN, 'must be 1-64 letters (A-Z, a-z), digits, "_" or "-", starting with a letter or digit')
  .meta({
    description: 'The platform account id, e.g. "12345678": 1-64 ASCII letters, digits, "_" or "-", starting with a letter or digit.',
  });

export const AccountCreate = z
  .strictObject({
    id: AccountId,
    name: z.string().trim().min(1).max(200),
    timezone: TimeZone.default('UTC'),
    retentionMonths: z.number().int().min(1).max(120).default(13),
    auditEnabledAt: Timestamp.optional().meta({
      description: 'When recording starts; nothing that occurred earlier is accepted. Default: now.',
    }),
  })
  .meta({ id: 'AccountCreate' });

export const Account = z
  .object({
    id: z.string(),
    name: z.string(),
    timezone: z.string(),
    retentionMonths: z.number().int(),
    auditEnabledAt: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Account' });

export const TokenCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: z
      .array(Scope)
      .min(1)
      .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope')
      .meta({
        description:
          'The operator may give any scopes. A token may give only scopes it holds itself, and never events:write (operator only); otherwise 403 naming /scopes/{i}.',
      }),
    expiresAt: Timestamp.optional()
      .refine((at) => !at || Date.parse(at) > Date.now(), 'must be in the future')
      .meta({
        description:
          'Default: never expires. A token that expires itself must give an expiry no later than its own (403 at /expiresAt otherwise).',
      }),
  })
  .meta({ id: 'TokenCreate' });

export const Token = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(Scope),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'Token' });

export const CreatedToken = Token.extend({
  token: z.string().meta({ description: 'The bearer token. Shown only in this answer; only its hash is stored.' }),
}).meta({ id: 'CreatedToken' });

export const Me = z.object({ accountId: z.string(), tokenId: z.string(), name: z.string(), scopes: z.array(Scope) }).meta({ id: 'Me' });

const TokenEventAction = z.enum(TOKEN_EVENT_ACTIONS).meta({ description: 'create: POST …/tokens; revoke: DELETE …/tokens/{tokenId}.' });

export const TokenEventQuery = z.strictObject({
  action: TokenEventAction.optional(),
  tokenId: z.string().min(1).max(100).optional().meta({ description: 'Only what happened to this token.' }),
  ...Paging,
});

export const TokenEvent = z
  .object({
    id: z.number().int().meta({ description: 'Increasing: a higher id was recorded later.' }),
    at: z.string().meta({ description: 'When (RFC 3339, UTC).' }),
    action: TokenEventAction,
    token: z
      .object({ id: z.string(), name: z.string(), scopes: z.array(Scope), expiresAt: z.string().nullable() })
      .meta({ description: 'The token created or revoked, as it was then. Never its secret or a hash of it.' }),
    by: z
      .object({ kind: z.enum(ACTOR_KINDS), tokenId: z.string().nullable(), name: z.string() })
      .meta({ description: 'Who did it: the operator (tokenId null), or a token of the account with the name it had then.' }),
  })
  .meta({ id: 'TokenEvent' });

export const TokenEventPage = z.object({ events: z.array(TokenEvent), nextCursor: z.string().nullable() }).meta({ id: 'TokenEventPage' });
