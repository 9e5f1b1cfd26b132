// What a reader asked for, as the store filters it: the query's dates resolved in a time
// zone (default: the account's), and nothing older than the account's retention.
import type { EventFiltersInput } from '../schemas/events';
import type { AccountSettings } from '../store/accounts';
import type { EventFilter } from '../store/event-reader';
import { EmptyTimeRange } from './errors';
import { rangeBound, retentionCutoff } from './time';

export function eventFilter(account: AccountSettings, query: EventFiltersInput, now = Date.now()): EventFilter {
  const zone = query.tz ?? account.timezone;
  const from = query.from === undefined ? undefined : rangeBound(query.from, zone, 'from');
  const to = query.to === undefined ? undefined : rangeBound(query.to, zone, 'to');
  if (from !== undefined && to !== undefined && from > to) throw new EmptyTimeRange();
  return {
    accountId: account.id,
    notBefore: retentionCutoff(now, account.retentionMonths),
    objectTypes: query.objectType,
    objectId: query.objectId,
    actions: query.action,
    element: query.element,
    originatorId: query.originatorId,
    q: query.q,
    from,
    to,
  };
}
