// Who read the audit trail, for the account's admins: newest first, keyset-paged by id.
import { requireToken } from '../auth/authenticate';
import { decodeIdCursor, encodeIdCursor, queryScope } from '../domain/cursor';
import { parsePath, parseQuery } from '../http/input';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { AccessLogPage, AccessLogQuery } from '../schemas/access-log';
import { accessEntryView, readAccessPage } from '../store/access-log';

export const accessLogRoutes = [
  route(
    'get',
    '/v1/accounts/{accountId}/access-log',
    {
      operationId: 'accessLog',
      summary: 'Who read the audit trail: every list, history, export and verification',
      description:
        'One entry per page of GET …/events and …/objects/{type}/{id}/events, per export and per verification: ' +
        'the token (id and name), when, the query as asked and how many rows it returned. ' +
        'Exports are recorded before their first byte; `rows` is null while one streams or if it broke off. ' +
        'Keyset-paged: follow `nextCursor` (or the Link header).',
      tags: ['access-log'],
      requestParams: { path: AccountPath, query: AccessLogQuery },
      responses: {
        '200': {
          description: 'A page of entries, newest first.',
          headers: { Link: { description: 'Link to the next page: <...>; rel="next"', schema: { type: 'string' } } },
          content: jsonContent(AccessLogPage),
        },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      const url = new URL(request.url);
      const { limit, cursor, ...filters } = parseQuery(AccessLogQuery, url);
      // Named, so a cursor of GET …/events (or of other filters) is never valid here.
      const scope = queryScope(accountId, { listing: 'access-log', ...filters });
      const before = cursor === undefined ? undefined : await decodeIdCursor(env.CURSOR_SECRET, scope, cursor);
      const { rows, next } = await readAccessPage(env.DB, { accountId, ...filters }, before, limit);
      const nextCursor = next === undefined ? null : await encodeIdCursor(env.CURSOR_SECRET, scope, next);
      const headers = new Headers();
      if (nextCursor) {
        url.searchParams.set('cursor', nextCursor);
        headers.set('Link', `<${url.pathname}${url.search}>; rel="next"`);
      }
      return Response.json({ entries: rows.map(accessEntryView), nextCursor }, { headers });
    },
  ),
];
