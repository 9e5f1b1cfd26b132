// The facets of a filtered history: how many events per element, originator, object type,
// action and 15-minute bucket (the domain turns buckets into local days). Each facet drops
// its own filter; each counts at most LIMITS.exactCount events, the newest, so one facet of
// a huge account reads a bounded number of rows. All of them travel in one D1 batch.
import { count, desc, max, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { auditEvents } from '../../drizzle/schema';
import type { Action, ObjectType } from '../../shared/vocabulary';
import { LIMITS } from '../domain/limits';
import { database } from './db';
import { matchingRows, statedTotal, type EventFilter, type Total } from './event-reader';
import { searchPlan } from './event-search';

/** Days are made of buckets this long: every zone offset of the tz database since 1970 is a
 *  whole number of quarter hours, and so is every transition instant that matters here. */
export const BUCKET_MS = 15 * 60_000;

export interface StoredFacets {
  total: Total;
  elements: { value: string; count: number }[];
  originators: { id: string; name: string; count: number }[];
  objectTypes: { value: ObjectType; count: number }[];
  actions: { value: Action; count: number }[];
  /** Start of each bucket (ms) with events, and how many. */
  buckets: { start: number; count: number }[];
}

export interface FacetOptions {
  /** Case-insensitive (ASCII) prefix of element values and originator names. */
  prefix?: string;
  /** Values per facet. */
  limit: number;
  /** The object of an object's history: its type stays a filter of the object-type facet. */
  fixedObject?: boolean;
}

const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** `column` starts with `prefix`, ASCII letters folded like lower(). */
const startsWith = (column: SQLWrapper, prefix: string) => sql`lower(substr(${column}, 1, ${[...prefix].length})) = ${lowerAscii(prefix)}`;

export async function readFacets(d1: D1Database, filter: EventFilter, options: FacetOptions): Promise<StoredFacets> {
  const e = auditEvents;
  const db = database(d1);
  // From the index's candidates whenever there is an index: a common term's newest 100,000
  // are found sooner among its candidates than by checking row after row.
  const plan = (await searchPlan(d1, filter.q)) === 'unindexed' ? 'scan' : 'hits';
  const base = (without: Partial<EventFilter>, extra: SQL[] = []) =>
    matchingRows(d1, { ...filter, ...without }, { plan, extra, atMost: LIMITS.exactCount, newestFirst: true }).as('m');
  const byCount = (column: SQL) => [desc(count()), column];

  const elementRows = base({ element: undefined }, options.prefix ? [startsWith(e.element, options.prefix)] : []);
  const originatorRows = base({ originatorId: undefined }, options.prefix ? [startsWith(e.originatorName, options.prefix)] : []);
  const typeRows = base(options.fixedObject ? {} : { objectTypes: undefined });
  const actionRows = base({ actions: undefined });
  const dayRows = base({});
  const bucket = sql<number>`${dayRows.occurredAt} / ${BUCKET_MS}`;

  const [total, elements, originators, objectTypes, actions, buckets] = await db.batch([
    db.select({ n: count() }).from(matchingRows(d1, filter, { plan, atMost: LIMITS.exactCount + 1 }).as('t')),
    db
      .select({ value: elementRows.element, count: count() })
      .from(elementRows)
      .groupBy(elementRows.element)
      .orderBy(...byCount(sql`${elementRows.element}`))
      .limit(options.limit),
    // The name of the newest event of each originator (SQLite's bare column beside max()).
    db
      .select({
        id: originatorRows.originatorId,
        name: originatorRows.originatorName,
        count: count(),
        newest: max(originatorRows.occurredAt),
      })
      .from(originatorRows)
      .groupBy(originatorRows.originatorId)
      .orderBy(...byCount(sql`${originatorRows.originatorId}`))
      .limit(options.limit),
    db
      .select({ value: typeRows.objectType, count: count() })
      .from(typeRows)
      .groupBy(typeRows.objectType)
      .orderBy(...byCount(sql`${typeRows.objectType}`))
      .limit(options.limit),
    db
      .select({ value: actionRows.action, count: count() })
      .from(actionRows)
      .groupBy(actionRows.action)
      .orderBy(...byCount(sql`${actionRows.action}`))
      .limit(options.limit),
    db.select({ bucket, count: count() }).from(dayRows).groupBy(bucket).orderBy(bucket),
  ]);
  return {
    total: statedTotal(total[0]?.n ?? 0),
    elements,
    originators: originators.map(({ id, name, count }) => ({ id, name, count })),
    objectTypes,
    actions,
    buckets: buckets.map((b) => ({ start: b.bucket * BUCKET_MS, count: b.count })),
  };
}
