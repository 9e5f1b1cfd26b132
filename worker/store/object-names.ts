// Names the account's own history knows for objects referenced by id (a user's skills,
// agent group, profiles): the latest object name recorded at or before `at`.
import type { ObjectType } from '../../shared/vocabulary';

export interface NamedRef {
  objectType: ObjectType;
  objectId: string;
}

export const refKey = (ref: NamedRef) => `${ref.objectType}\u0000${ref.objectId}`;

export async function knownNames(d1: D1Database, accountId: string, refs: NamedRef[], at: number): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const unique = [...new Map(refs.map((ref) => [refKey(ref), [ref.objectType, ref.objectId]])).values()];
  // A few hundred lookups per statement: each is one probe of the per-object index.
  for (let i = 0; i < unique.length; i += 500) {
    const { results } = await d1
      .prepare(
        `SELECT j.value ->> 0 AS objectType, j.value ->> 1 AS objectId,
                (SELECT e.object_name FROM audit_events e
                  WHERE e.account_id = ?1 AND e.object_type = j.value ->> 0 AND e.object_id = j.value ->> 1
                    AND e.occurred_at <= ?3
                  ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1) AS name
           FROM json_each(?2) j`,
      )
      .bind(accountId, JSON.stringify(unique.slice(i, i + 500)), at)
      .all<{ objectType: ObjectType; objectId: string; name: string | null }>();
    for (const row of results) if (row.name !== null) names.set(refKey(row), row.name);
  }
  return names;
}
