import { z } from 'zod';
import { ACTIONS, EVENT_SOURCES, OBJECT_TYPES, VALUE_TYPES } from '../../shared/vocabulary';
import { DateOrDateTime, Identifier, TimeZone } from './common';
import { Total } from './total';

export const Event = z
  .object({
    id: z.string().meta({ description: 'Server-assigned, time-ordered (ULID).' }),
    accountId: z.string(),
    seq: z.number().int().meta({ description: "Position in the account's gap-free sequence." }),
    changeId: z.string(),
    objectType: z.enum(OBJECT_TYPES),
    objectId: z.string(),
    objectName: z.string(),
    action: z.enum(ACTIONS),
    element: z.string(),
    valueType: z.enum(VALUE_TYPES).meta({
      description: 'How to read the values; for "list", oldValue holds the removed and newValue the added items as JSON arrays.',
    }),
    oldValue: z.string().nullable(),
    newValue: z.string().nullable(),
    redacted: z.boolean().meta({ description: 'A secret that changed; its values are never stored.' }),
    occurredAt: z.string(),
    recordedAt: z.string(),
    originator: z.object({ id: z.string(), name: z.string() }),
    source: z.enum(EVENT_SOURCES).meta({
      description:
        'Where the event came from: "api", recorded by an emitter through this API; "liveperson", imported from LivePerson\'s own audit trail ' +
        'by the connector (PUT …/sources/liveperson). Emitters cannot set it. Covered by the hash when it is not "api".',
    }),
    prevHash: z.string(),
    hash: z.string().meta({
      description: 'SHA-256 (hex) of the canonical event (RFC 8785) without hash, including prevHash, and without source when it is "api".',
    }),
  })
  .meta({ id: 'Event' });

export const RecordedChange = z
  .object({ changeId: z.string(), replayed: z.boolean(), events: z.array(Event) })
  .meta({ id: 'RecordedChange' });

export const RecordedBatch = z
  .object({
    created: z.number().int().meta({ description: 'Changes stored by this request.' }),
    replayed: z.number().int().meta({ description: 'Changes that were already stored (same changeId and body).' }),
    events: z.number().int().meta({ description: 'Events stored by this request.' }),
    changes: z.array(z.object({ changeId: z.string(), replayed: z.boolean(), eventCount: z.number().int() })),
  })
  .meta({ id: 'RecordedBatch' });

const commaList = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .transform((text, ctx) => {
      const items = [
        ...new Set(
          text
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean),
        ),
      ];
      const unknown = items.filter((item) => !(values as readonly string[]).includes(item));
      if (unknown.length || !items.length) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown ${what} ${JSON.stringify(unknown.join(','))}; one or more of ${values.join(', ')}`,
        });
        return z.NEVER;
      }
      return items as T[number][];
    })
    .meta({ description: `Comma-separated: ${values.join(', ')}.` });

export const EventFilters = z.strictObject({
  objectType: commaList(OBJECT_TYPES, 'object type').optional(),
  objectId: Identifier.optional(),
  action: commaList(ACTIONS, 'action').optional(),
  element: z.string().trim().min(1).max(200).optional().meta({
    description: 'Element name, whole but case-insensitive (ASCII letters, as SQLite NOCASE): "member of" finds "Member of".',
  }),
  originatorId: Identifier.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({
      description:
        'Substring of object name, element, values or originator name; ASCII letters case-insensitive, other characters as they ' +
        'are. 3 characters or more are looked up in a trigram index; 1 or 2 are found by scanning (correct, slower).',
    }),
  from: DateOrDateTime.optional().meta({ description: 'Inclusive. A date is the start of that day in `tz`.' }),
  to: DateOrDateTime.optional().meta({ description: 'Inclusive. A date is the end of that day in `tz`.' }),
  // The zone a screen shows its dates in must be the zone its day filters mean.
  tz: TimeZone.optional().meta({
    description:
      "IANA time zone in which `from`/`to` dates (YYYY-MM-DD) are whole days, e.g. Europe/Berlin. Default: the account's time zone.",
  }),
});

/** `limit` and `cursor`, shared by every keyset-paged listing. */
export const Paging = {
  limit: z.coerce
    .number({ message: 'must be a whole number from 1 to 500' })
    .int('must be a whole number from 1 to 500')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
  cursor: z.string().max(2000).optional().meta({ description: 'nextCursor of the previous page, as it was given.' }),
};

/** `order` and `count` of the event listings. */
const Listing = {
  order: z.enum(['desc', 'asc']).default('desc').meta({
    description: 'desc: newest first (default); asc: oldest first. A cursor keeps the order it was made for.',
  }),
  count: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true')
    .meta({ description: `true: the answer has \`total\`, the number of matching events (exact up to 100,000).` }),
};

export const EventQuery = EventFilters.extend(Paging).extend(Listing);
export type EventQueryInput = z.output<typeof EventQuery>;
export type EventFiltersInput = z.output<typeof EventFilters>;

export const ObjectHistoryQuery = EventFilters.omit({ objectType: true, objectId: true }).extend(Paging).extend(Listing);

export const EventPage = z
  .object({
    events: z.array(Event),
    nextCursor: z.string().nullable(),
    total: Total.optional().meta({ description: 'With count=true only: how many events match (all pages).' }),
  })
  .meta({ id: 'EventPage' });
