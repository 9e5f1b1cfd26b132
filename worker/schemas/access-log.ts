import { z } from 'zod';
import { ACCESS_KINDS } from '../../shared/vocabulary';
import { Identifier } from './common';
import { Paging } from './events';

const Kind = z.enum(ACCESS_KINDS).meta({
  description:
    "list: GET …/events; history: GET …/objects/{type}/{id}/events; facets: GET …/events/facets (and an object's); export: GET …/events/export; verify: GET …/verify.",
});

export const AccessLogQuery = z.strictObject({
  kind: Kind.optional(),
  tokenId: Identifier.optional().meta({ description: 'Only the reads of this token.' }),
  ...Paging,
});

export const AccessEntry = z
  .object({
    id: z.number().int().meta({ description: 'Increasing: a higher id was recorded later.' }),
    at: z.string().meta({ description: 'When the read was made (RFC 3339, UTC).' }),
    token: z.object({ id: z.string(), name: z.string().meta({ description: 'The name the token had at the time.' }) }),
    kind: Kind,
    query: z.record(z.string(), z.unknown()).meta({
      description:
        "What was asked: the validated query parameters (with the path's objectType/objectId for history); " +
        '`cursor` is true when a later page was read, false for a first page.',
    }),
    rows: z.number().int().nullable().meta({
      description:
        'Events returned (for verify: events checked). null: an export that is still streaming or broke off before its end (incomplete).',
    }),
  })
  .meta({ id: 'AccessEntry' });

export const AccessLogPage = z.object({ entries: z.array(AccessEntry), nextCursor: z.string().nullable() }).meta({ id: 'AccessLogPage' });
