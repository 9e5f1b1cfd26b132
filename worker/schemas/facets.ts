// Counts: `total` on pages (count=true) and the facets of GET …/events/facets.
import { z } from 'zod';
import { ACTIONS, OBJECT_TYPES } from '../../shared/vocabulary';
import { LIMITS } from '../domain/limits';
import { EventFilters } from './events';

import { Total } from './total';

export { Total };

const exact = LIMITS.exactCount.toLocaleString('en-US');
const facet = LIMITS.facetEvents.toLocaleString('en-US');

const Count = z.number().int().meta({ description: 'Events with this value among those counted.' });

export const FacetsAnswer = z
  .object({
    total: Total,
    elements: z.array(z.object({ value: z.string(), count: Count })),
    originators: z.array(z.object({ id: z.string(), name: z.string(), count: Count })),
    objectTypes: z.array(z.object({ value: z.enum(OBJECT_TYPES), count: Count })),
    actions: z.array(z.object({ value: z.enum(ACTIONS), count: Count })),
    days: z.array(z.object({ day: z.string().meta({ description: 'YYYY-MM-DD in `tz`.' }), count: Count })),
  })
  .meta({
    id: 'FacetsAnswer',
    description:
      'Each facet is counted with every filter but its own (the element facet ignores `element`, and so on), sorted by count ' +
      `(most first), then value, over the newest ${facet} events of its set: exact while \`total\` is at most ${facet}. ` +
      `\`total\` counts exactly up to ${exact}. \`days\` counts the newest ${exact} events of the filtered set by calendar day ` +
      'in `tz`, oldest first (a day only partly counted is left out): every day of `from`…`to` that has events, or without ' +
      '`from` at most the last 90 days that have events.',
  });

export const FacetsQuery = EventFilters.extend({
  prefix: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({
      description:
        'Only element values and originator names that start with this (case-insensitive, ASCII), among those of the newest events ' +
        'counted: for suggestions.',
    }),
  limit: z.coerce
    .number({ message: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(20)
    .meta({ description: 'Values per facet (days excepted).' }),
});
export type FacetsQueryInput = z.output<typeof FacetsQuery>;

export const ObjectFacetsQuery = FacetsQuery.omit({ objectType: true, objectId: true });
