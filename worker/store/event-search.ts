// q= through the trigram index (drizzle/0006_event_search.sql): events_fts, an FTS5 table
// with the trigram tokenizer over the searched columns, without positions (detail=none). A
// term is looked up as the AND of trigrams that cover it, which finds every row containing
// the term and some that merely contain its pieces; the exact condition (instr over lower(),
// filterConditions) then decides, so the answers are those of a scan. The tokenizer folds
// case for all of Unicode and lower() only for ASCII: the index finds a superset there too.
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { database } from './db';

/** The FTS5 table as far as queries name it (not in drizzle/schema.ts: drizzle-kit cannot
 *  declare virtual tables). The hidden column named like the table takes MATCH. */
export const eventsFts = sqliteTable('events_fts', {
  rowid: integer('rowid').notNull(),
  eventsFts: text('events_fts'),
});

/** Trigrams: a term needs 3 characters (code points) for the index to find anything. */
export const SEARCH_MIN_CHARS = 3;

/** At most this many index candidates, a page reads the candidates (and sorts the few that
 *  match); with more, the term is common enough that walking the keyset index newest-first
 *  and checking each row fills a page sooner. */
export const HIT_DRIVEN_MAX = 5000;

/** The FTS5 query for `term`: trigrams at every third character and the last three, each
 *  an FTS5 string ("…", quotes doubled) so that no character is query syntax. Undefined for
 *  terms too short for the index. */
export function searchMatch(term: string | undefined): string | undefined {
  if (term === undefined) return undefined;
  const chars = [...term];
  if (chars.length < SEARCH_MIN_CHARS) return undefined;
  const starts = new Set<number>();
  for (let i = 0; i + SEARCH_MIN_CHARS <= chars.length; i += SEARCH_MIN_CHARS) starts.add(i);
  starts.add(chars.length - SEARCH_MIN_CHARS);
  return [...starts]
    .map(
      (i) =>
        `"${chars
          .slice(i, i + SEARCH_MIN_CHARS)
          .join('')
          .replaceAll('"', '""')}"`,
    )
    .join(' AND ');
}

/** How a read with search term `q` goes: 'scan' walks the keyset index and checks each row
 *  (no term, one too short for the index, or one with many candidates); 'hits' starts from
 *  the index's candidates; 'unindexed': the index is missing (dropped around a backup,
 *  docs/OPERATIONS.md), so everything scans, correct but slow. */
export type SearchPlan = 'scan' | 'hits' | 'unindexed';

/** Whether the index has at most HIT_DRIVEN_MAX candidates for `match`, as an SQL
 *  expression (1 or 0): counting stops just past HIT_DRIVEN_MAX. A page puts it into the
 *  LIMIT of both of its plans, sent together (event-reader.ts), so that SQLite runs only the
 *  one that pays, in one round trip: a LIMIT is evaluated once before the loops and a LIMIT
 *  of 0 skips them, where the same test in WHERE would be checked row by row. */
export const fewCandidates = (match: string) =>
  sql<number>`((SELECT count(*) FROM (SELECT 1 FROM ${eventsFts} WHERE ${eventsFts} MATCH ${match} LIMIT ${HIT_DRIVEN_MAX + 1})) <= ${HIT_DRIVEN_MAX})`;

/** The plan a page with search term `q` takes (the same test as its LIMITs): for tests and
 *  diagnostics; a page does not ask first. */
export async function searchPlan(d1: D1Database, q: string | undefined): Promise<SearchPlan> {
  const match = searchMatch(q);
  if (match === undefined) return 'scan';
  try {
    const row = await database(d1).get<{ few: number }>(sql`SELECT ${fewCandidates(match)} AS few`);
    return row?.few ? 'hits' : 'scan';
  } catch (error) {
    if (indexMissing(error)) return 'unindexed';
    throw error;
  }
}

/** Runs `read` from the index's candidates, or, when the index is missing, by scanning: for reads
 *  with no order to keep (counts, facets), where candidates are the shorter way for any term and
 *  counting them first (searchPlan) would be one more round trip for nothing. */
export async function fromCandidatesIfIndexed<T>(read: (plan: 'hits' | 'scan') => Promise<T>): Promise<T> {
  try {
    return await read('hits');
  } catch (error) {
    if (indexMissing(error)) return read('scan');
    throw error;
  }
}

/** Whether `error` (D1's, possibly wrapped by Drizzle) says the FTS table does not exist. */
export function indexMissing(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (/no such table: (main\.)?events_fts\b/.test(e.message)) return true;
  return false;
}
