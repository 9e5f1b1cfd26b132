// The facets of a filtered history: how many events per element, originator, object type,
// action and 15-minute bucket (the domain turns buckets into local days). Each facet drops
// its own filter; each counts at most LIMITS.facetEvents events, the newest (days: up to
// LIMITS.exactCount), so one facet of a huge account reads a bounded number of rows. All of
// them travel in one D1 batch.
import { count, desc, max, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { auditEvents } from '../../drizzle/schema';
import type { Action, ObjectType } from '../../shared/vocabulary';
import { LIMITS } from '../domain/limits';
import { database } from './db';
import { matchingRows, statedTotal, type EventFilter, type Total } from './event-reader';
import { fromCandidatesIfIndexed } from './event-search';

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
  /** The buckets stop at LIMITS.exactCount events: the oldest of them may be partial. */
  bucketsTruncated: boolean;
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

export function readFacets(d1: D1Database, filter: EventFilter, options: FacetOptions): Promise<StoredFacets> {
  // From the index's candidates whenever there is an index: a common term's newest 100,000
  // are found sooner among its candidates than by checking row after row.
  return fromCandidatesIfIndexed((plan) => readFacetsBy(d1, filter, options, plan));
}

async function readFacetsBy(d1: D1Database, filter: EventFilter, options: FacetOptions, plan: 'hits' | 'scan'): Promise<StoredFacets> {
  const e = auditEvents;
  const db = database(d1);
  const columns = {
    element: e.element,
    originatorId: e.originatorId,
    originatorName: e.originatorName,
    objectType: e.objectType,
    action: e.action,
    occurredAt: e.occurredAt,
  };
  const base = (without: Partial<EventFilter>) =>
    matchingRows(d1, { ...filter, ...without }, columns, { plan, atMost: LIMITS.facetEvents, newestFirst: true }).as('m');
  const byCount = (column: SQL) => [desc(count()), column];
  /** A column of the subquery "m" (Drizzle's types lose the subquery's fields). */
  const m = <T>(name: string) => sql<T>`${sql.identifier('m')}.${sql.identifier(name)}`;
  const element = m<string>('element');
  const originatorId = m<string>('originator_id');
  const objectType = m<ObjectType>('object_type');
  const action = m<Action>('action');
  const bucket = sql<number>`${m<number>('occurred_at')} / ${BUCKET_MS}`;

  // The prefix picks among the values of the newest events, rather than searching further
  // back for values that start with it: the work stays bounded whatever the prefix.
  const prefixed = (column: SQL) => (options.prefix ? startsWith(column, options.prefix) : undefined);
  const elementRows = base({ element: undefined });
  const originatorRows = base({ originatorId: undefined });
  const typeRows = base(options.fixedObject ? {} : { objectTypes: undefined });
  const actionRows = base({ actions: undefined });
  // Only occurred_at is read: without other filters the (account, time) index alone answers.
  const dayRows = matchingRows(d1, filter, { occurredAt: e.occurredAt }, { plan, atMost: LIMITS.exactCount, newestFirst: true }).as('m');

  const [total, elements, originators, objectTypes, actions, buckets] = await db.batch([
    db.select({ n: count() }).from(matchingRows(d1, filter, { one: sql`1` }, { plan, atMost: LIMITS.exactCount + 1 }).as('m')),
    db
      .select({ value: element, count: count() })
      .from(elementRows)
      .where(prefixed(element))
      .groupBy(element)
      .orderBy(...byCount(element))
      .limit(options.limit),
    // The name of the newest event of each originator (SQLite's bare column beside max()).
    db
      .select({ id: originatorId, name: m<string>('originator_name'), count: count(), newest: max(m<number>('occurred_at')) })
      .from(originatorRows)
      .where(prefixed(m<string>('originator_name')))
      .groupBy(originatorId)
      .orderBy(...byCount(originatorId))
      .limit(options.limit),
    db
      .select({ value: objectType, count: count() })
      .from(typeRows)
      .groupBy(objectType)
      .orderBy(...byCount(objectType))
      .limit(options.limit),
    db
      .select({ value: action, count: count() })
      .from(actionRows)
      .groupBy(action)
      .orderBy(...byCount(action))
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
    bucketsTruncated: buckets.reduce((n, b) => n + b.count, 0) >= LIMITS.exactCount,
  };
}
