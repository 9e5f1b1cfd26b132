// Building blocks shared by the request and response schemas. The same zod schemas
// validate requests and generate the OpenAPI document (worker/openapi.ts).
import { z } from 'zod';
import { timeZoneName } from '../domain/time-zone';

/** Identifiers given by clients (account, object, originator ids): printable, no spaces. */
export const Identifier = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what an identifier may not contain
  .regex(/^[^\s\u0000-\u001f\u007f]+$/, 'must not contain spaces or control characters');

/** Platform ids are often numbers (user 4711); either form is accepted and stored as text. */
export const IdLike = z
  .union([Identifier, z.number().int().nonnegative().transform(String)])
  .meta({ description: 'An id, as a string or a non-negative integer; stored as text.' });

export const Timestamp = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time, e.g. 2026-11-26T09:15:00Z' });

/** `from`/`to` of queries: a date-time, or a whole day in the query's `tz` (default the account's time zone). */
export const DateOrDateTime = z
  .string()
  .refine(
    (value) => z.iso.date().safeParse(value).success || z.iso.datetime({ offset: true }).safeParse(value).success,
    'must be an RFC 3339 date-time (2026-11-26T09:15:00Z) or a date (2026-11-26)',
  )
  .refine((value) => value >= '1970', 'must not be before 1970');

/** IANA time zone names, checked against the runtime's own tz database (worker/domain/time-zone.ts). */
export const TimeZone = z
  .string()
  .max(64)
  .refine((zone) => timeZoneName(zone) !== undefined, 'must be an IANA time zone name, e.g. Europe/Berlin')
  .meta({ description: 'An IANA time zone name (any case), e.g. Europe/Berlin; not a UTC offset such as +05:00.' });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
