import { z } from 'zod';
import { SCOPES } from '../../drizzle/schema';
import { Timestamp, TimeZone } from './common';

export const Scope = z.enum(SCOPES).meta({ id: 'Scope' });

/** Account ids travel in every URL path: a small alphabet that no URL parser rewrites
 *  (no "/", "%", dots or non-ASCII), so an id always names the same account in a path
 *  as in the body that created it. LivePerson account ids are digits. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const AccountId = z
  .string()
  .regex(ACCOUNT_ID_PATTERN, 'must be 1-64 letters (A-Z, a-z), digits, "_" or "-", starting with a letter or digit')
  .meta({ description: 'The platform account id, e.g. "12345678": 1-64 ASCII letters, digits, "_" or "-", starting with a letter or digit.' });

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
      .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope'),
    expiresAt: Timestamp.optional().refine((at) => !at || Date.parse(at) > Date.now(), 'must be in the future'),
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

export const Me = z
  .object({ accountId: z.string(), tokenId: z.string(), name: z.string(), scopes: z.array(Scope) })
  .meta({ id: 'Me' });
