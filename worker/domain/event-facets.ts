// The facets of a filtered history, as the API states them: the stored counts, with the
// quarter-hour buckets summed into calendar days of the query's zone (default: the account's).
import type { EventFiltersInput } from '../schemas/events';
import type { AccountSettings } from '../store/accounts';
import { readFacets, type FacetOptions } from '../store/event-facets';
import { eventFilter } from './event-filter';
import { bucketsToDays, FACET_DAYS_WITHOUT_FROM } from './facet-days';

export async function eventFacets(d1: D1Database, account: AccountSettings, query: EventFiltersInput, options: FacetOptions) {
  const filter = eventFilter(account, query);
  const { buckets, bucketsTruncated, ...facets } = await readFacets(d1, filter, options);
  const days = bucketsToDays(buckets, query.tz ?? account.timezone, {
    lastDays: query.from === undefined ? FACET_DAYS_WITHOUT_FROM : undefined,
    // Counting stopped inside the oldest day: leave it out rather than show it short.
    dropFirst: bucketsTruncated,
  });
  return { ...facets, days };
}
