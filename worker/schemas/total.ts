// A count as answers state it; its own module, since both the page (events.ts) and the
// facets (facets.ts, which re-exports it) use it.
import { z } from 'zod';
import { LIMITS } from '../domain/limits';

const exact = LIMITS.exactCount.toLocaleString('en-US');

/** A count: exact up to 100,000, beyond it the string "100000+" (counting stops there). */
export const Total = z
  .union([z.number().int(), z.literal(`${LIMITS.exactCount}+`)])
  .meta({ id: 'Total', description: `How many events match: exact up to ${exact}, beyond it the string "${LIMITS.exactCount}+".` });
