// Readers: the account-wide history and one element's history, newest first, keyset-paged.
import type { IRequest } from 'itty-router';
import { z } from 'zod';
import { requireToken, type TokenCaller } from '../auth/authenticate';
import { decodeCursor, encodeCursor, queryScope } from '../domain/cursor';
import { eventView } from '../domain/event-view';
import { eventFilter } from '../domain/event-filter';
import { parsePath, parseQuery } from '../http/input';
import { nextLinkHeader, pageResponse } from '../http/paging';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { EventPage, EventQuery, ObjectHistoryQuery, type EventQueryInput } from '../schemas/events';
import { logAccess } from '../store/access-log';
import { readEventPage } from '../store/event-reader';
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
  const { limit, cursor, ...filters } = query;
  const scope = queryScope(account.id, filters);
  const after = cursor === undefined ? undefined : await decodeCursor(env.CURSOR_SECRET, scope, cursor);
  const { rows, next } = await readEventPage(env.DB, eventFilter(account, filters), after, limit);
  const nextCursor = next ? await encodeCursor(env.CURSOR_SECRET, scope, next) : null;
  // Who read what: the query as asked, the cursor only as "a later page".
  logAccess(env, ctx, caller, kind, { ...filters, limit, cursor: cursor !== undefined }, rows.length);
  return pageResponse(request.url, { events: rows.map(eventView) }, nextCursor);
}

export const eventRoutes = [
  route(
    'get',
    '/v1/accounts/{accountId}/events',
    {
      operationId: 'listEvents',
      summary: "The account's history, filtered, newest first",
      description:
        "Keyset-paged: follow `nextCursor` (or the Link header). Nothing older than the account's retention is returned. " +
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
    '/v1/accounts/{accountId}/objects/{objectType}/{objectId}/events',
    {
      operationId: 'objectHistory',
      summary: "One element's history, newest first",
      description: 'Keyset-paged like GET …/events. Every page read is recorded in the access log (GET …/access-log).',
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
];
