// Readers: the account-wide history and one element's history, newest (or oldest) first,
// keyset-paged, with an optional total; and the facets of either.
import type { IRequest } from 'itty-router';
import { z } from 'zod';
import { requireToken, type TokenCaller } from '../auth/authenticate';
import { decodeCursor, encodeCursor, queryScope } from '../domain/cursor';
import { eventView } from '../domain/event-view';
import { eventFilter } from '../domain/event-filter';
import { eventFacets } from '../domain/event-facets';
import { parsePath, parseQuery } from '../http/input';
import { nextLinkHeader, pageResponse } from '../http/paging';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { EventPage, EventQuery, ObjectHistoryQuery, type EventQueryInput } from '../schemas/events';
import { FacetsAnswer, FacetsQuery, ObjectFacetsQuery, type FacetsQueryInput } from '../schemas/facets';
import { logAccess } from '../store/access-log';
import { countTotal, readEventPage } from '../store/event-reader';
import { OBJECT_TYPES } from '../../shared/vocabulary';
import { Identifier } from '../schemas/common';

const ObjectPath = AccountPath.extend({
  objectType: z.enum(OBJECT_TYPES),
  objectId: Identifier.meta({
    description:
      'The object id, percent-encoded once (encodeURIComponent). The ids "." and ".." cannot travel as a path segment ' +
      '(URL parsers remove them, also as %2E); read them with GET …/events?objectType=…&objectId=…',
  }),
});

async function page(
  request: IRequest,
  env: Env,
  ctx: ExecutionContext,
  caller: TokenCaller,
  kind: 'list' | 'history',
  query: EventQueryInput,
) {
  const { account } = caller;
  const { limit, cursor, order, count, ...filters } = query;
  // The cursor is bound to the filters and the order (a desc cursor is no asc one); not to
  // `count`, which changes nothing about the pages. Desc adds nothing, so cursors made
  // before `order` existed stay valid.
  const scope = queryScope(account.id, order === 'asc' ? { ...filters, order } : filters);
  const after = cursor === undefined ? undefined : await decodeCursor(env.CURSOR_SECRET, scope, cursor);
  const filter = eventFilter(account, filters);
  const [{ rows, next }, total] = await Promise.all([
    readEventPage(env.DB, filter, after, limit, order),
    count ? countTotal(env.DB, filter) : undefined,
  ]);
  const nextCursor = next ? await encodeCursor(env.CURSOR_SECRET, scope, next) : null;
  // Who read what: the query as asked (order and count when not the defaults), the cursor
  // only as "a later page".
  const asked = { ...filters, limit, ...(order === 'asc' ? { order } : {}), ...(count ? { count } : {}), cursor: cursor !== undefined };
  logAccess(env, ctx, caller, kind, asked, rows.length);
  return pageResponse(request.url, { events: rows.map(eventView) }, nextCursor, total === undefined ? {} : { total });
}

async function facets(env: Env, ctx: ExecutionContext, caller: TokenCaller, query: FacetsQueryInput, fixedObject: boolean) {
  const { prefix, limit, ...filters } = query;
  const answer = await eventFacets(env.DB, caller.account, filters, { prefix, limit, fixedObject });
  logAccess(env, ctx, caller, 'facets', { ...filters, prefix, limit }, null);
  return Response.json(answer satisfies z.output<typeof FacetsAnswer>);
}

const facetsDescription =
  'Counts for the current filters, for filter menus and suggestions: elements, originators, object types and actions ' +
  '(each counted with every filter but its own; `prefix` narrows elements and originators), and events per day in `tz`. ' +
  'At most 100,000 events (the newest) are counted per facet. Recorded in the access log (kind "facets").';

export const eventRoutes = [
  route(
    'get',
    '/v1/accounts/{accountId}/events',
    {
      operationId: 'listEvents',
      summary: "The account's history, filtered, newest first",
      description:
        "Keyset-paged: follow `nextCursor` (or the Link header). Nothing older than the account's retention is returned. " +
        '`order=asc` reads oldest first; `count=true` adds `total`. ' +
        'Every page read is recorded in the access log (GET …/access-log).',
      tags: ['events'],
      requestParams: { path: AccountPath, query: EventQuery },
      responses: {
        '200': { description: 'A page of events.', headers: nextLinkHeader, content: jsonContent(EventPage) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['audit:read']);
      return page(request, env, ctx, caller, 'list', parseQuery(EventQuery, new URL(request.url)));
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}/events/facets',
    {
      operationId: 'eventFacets',
      summary: "Counts per element, originator, object type, action and day of the account's filtered history",
      description: facetsDescription,
      tags: ['events'],
      requestParams: { path: AccountPath, query: FacetsQuery },
      responses: {
        '200': { description: 'The facets.', content: jsonContent(FacetsAnswer) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['audit:read']);
      return facets(env, ctx, caller, parseQuery(FacetsQuery, new URL(request.url)), false);
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}/objects/{objectType}/{objectId}/events',
    {
      operationId: 'objectHistory',
      summary: "One element's history, newest first",
      description:
        'Keyset-paged like GET …/events, with the same `order` and `count`. ' +
        'Every page read is recorded in the access log (GET …/access-log).',
      tags: ['events'],
      requestParams: { path: ObjectPath, query: ObjectHistoryQuery },
      responses: {
        '200': { description: 'A page of events.', headers: nextLinkHeader, content: jsonContent(EventPage) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId, objectType, objectId } = parsePath(ObjectPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['audit:read']);
      const query = parseQuery(ObjectHistoryQuery, new URL(request.url));
      return page(request, env, ctx, caller, 'history', { ...query, objectType: [objectType], objectId });
    },
  ),
  route(
    'get',
    '/v1/accounts/{accountId}/objects/{objectType}/{objectId}/events/facets',
    {
      operationId: 'objectFacets',
      summary: "Counts per element, originator, action and day of one element's history",
      description: `${facetsDescription} The object type facet holds the object's type only.`,
      tags: ['events'],
      requestParams: { path: ObjectPath, query: ObjectFacetsQuery },
      responses: {
        '200': { description: 'The facets.', content: jsonContent(FacetsAnswer) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId, objectType, objectId } = parsePath(ObjectPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['audit:read']);
      const query = parseQuery(ObjectFacetsQuery, new URL(request.url));
      return facets(env, ctx, caller, { ...query, objectType: [objectType], objectId }, true);
    },
  ),
];
