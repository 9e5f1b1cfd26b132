import { render } from 'preact';
import { userTimeZone } from '../../format/time';
import { messageClient } from '../../messaging/protocol';
import { AuditTrailPage } from '../../ui/audit-trail-page';
import { viewFromSearch } from '../../ui/page-address';
import '../../ui/shared.css';
import '../../ui/page.css';

// The address holds the whole view: restored here, kept up to date as it changes (no new history entry per change).
const { accountId, filters, ...view } = viewFromSearch(location.search);
render(
  <AuditTrailPage
    client={messageClient}
    accountId={accountId}
    initialFilters={filters}
    initialView={view}
    browserTimeZone={userTimeZone()}
    onAddress={(search) => {
      if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}${location.hash}`);
    }}
  />,
  document.getElementById('app')!,
);
