// Names the account's own history knows for objects referenced by id (a user's skills,
// agent group, profiles): the latest object name recorded at or before `at`.
import { sql } from 'drizzle-orm';
import { auditEvents } from '../../drizzle/schema';
import type { ObjectType } from '../../shared/vocabulary';
import { database } from './db';

export interface NamedRef {
  objectType: ObjectType;
  objectId: string;
}

export const refKey = (ref: NamedRef) => `${ref.objectType}\u0000${ref.objectId}`;

export async function knownNames(d1: D1Database, accountId: string, refs: NamedRef[], at: number): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const unique = [...new Map(refs.map((ref) => [refKey(ref), [ref.objectType, ref.objectId]])).values()];
  const e = auditEvents;
  // A few hundred lookups per statement: each is one probe of the per-object index. The
  // refs travel as one JSON parameter read with json_each, which Drizzle's builder cannot say.
  for (let i = 0; i < unique.length; i += 500) {
    const results = await database(d1).all<{ objectType: ObjectType; objectId: string; name: string | null }>(
      sql`SELECT j.value ->> 0 AS objectType, j.value ->> 1 AS objectId,
                (SELECT ${e.objectName} FROM ${e}
                  WHERE ${e.accountId} = ${accountId} AND ${e.objectType} = j.value ->> 0 AND ${e.objectId} = j.value ->> 1
                    AND ${e.occurredAt} <= ${at}
                  ORDER BY ${e.occurredAt} DESC, ${e.seq} DESC LIMIT 1) AS name
           FROM json_each(${JSON.stringify(unique.slice(i, i + 500))}) j`,
    );
    for (const row of results) if (row.name !== null) names.set(refKey(row), row.name);
  }
  return names;
}
