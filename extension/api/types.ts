// What the API sends and takes, as the extension sees it: inferred from the Worker's zod
// schemas, never restated. `import type` only, so none of the Worker's code (nor zod)
// reaches the bundle.
import type { z } from 'zod';
import type { Account as AccountSchema, Me as MeSchema } from '../../worker/schemas/accounts';
import type { Event, EventFilters as EventFiltersSchema, EventPage as EventPageSchema, EventQuery } from '../../worker/schemas/events';
import type { FacetsAnswer, Total as TotalSchema } from '../../worker/schemas/facets';
import type { ExportLink as ExportLinkSchema } from '../../worker/schemas/export-links';
import type {
  LivePersonConnect as LivePersonConnectSchema,
  LivePersonStatus as LivePersonStatusSchema,
  LivePersonSyncQueued as LivePersonSyncQueuedSchema,
} from '../../worker/schemas/liveperson';

/** An audit event as GET .../events returns it. */
export type AuditEvent = z.output<typeof Event>;
export type EventPage = z.output<typeof EventPageSchema>;
/** What a token may do (GET /v1/accounts/{a}/me). */
export type Me = z.output<typeof MeSchema>;
/** The account's settings (GET /v1/accounts/{a}); the extension needs its time zone. */
export type Account = z.output<typeof AccountSchema>;
/** The filters of GET .../events and .../events/export, as the Worker reads them (lists split). */
export type EventFilters = z.output<typeof EventFiltersSchema>;
/** A single-use link that streams the export (GET, no Authorization header), valid about a minute. */
export type ExportLink = z.output<typeof ExportLinkSchema>;
/** What PUT .../sources/liveperson takes: LivePerson's API key (four strings) and where the import starts. */
export type LivePersonConnect = z.input<typeof LivePersonConnectSchema>;
/** Where the account's LivePerson import stands (GET .../sources/liveperson). */
export type LivePersonStatus = z.output<typeof LivePersonStatusSchema>;
/** POST .../sources/liveperson/sync: the status, and whether a new sync was queued or joined one waiting. */
export type LivePersonSyncQueued = z.output<typeof LivePersonSyncQueuedSchema>;

/** How many events match: exact up to 100,000, then "100000+". */
export type Total = z.output<typeof TotalSchema>;
/** Newest first (the default) or oldest first; a cursor carries the order it was made with. */
export type EventOrder = z.output<typeof EventQuery>['order'];
/** GET .../events/facets: each facet counted with the other filters applied; `days` in `tz`. */
export type Facets = z.output<typeof FacetsAnswer>;
