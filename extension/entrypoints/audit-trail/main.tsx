import { render } from 'preact';
import { userTimeZone } from '../../format/time';
import { messageClient } from '../../messaging/protocol';
import { AuditTrailPage, filtersFromSearch } from '../../ui/audit-trail-page';
import '../../ui/shared.css';
import '../../ui/page.css';

const { accountId, filters } = filtersFromSearch(location.search);
render(
  <AuditTrailPage client={messageClient} accountId={accountId} initialFilters={filters} browserTimeZone={userTimeZone()} />,
  document.getElementById('app')!,
);
