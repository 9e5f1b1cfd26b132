// Who read the audit trail, for the account's admins: newest first, keyset-paged by id.
import { requireToken } from '../auth/authenticate';
import { parsePath, parseQuery } from '../http/input';
import { idKeysetPage, nextLinkHeader, pageResponse } from '../http/paging';
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
          headers: nextLinkHeader,
          content: jsonContent(AccessLogPage),
        },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      const query = parseQuery(AccessLogQuery, new URL(request.url));
      const { rows, nextCursor } = await idKeysetPage(env, 'access-log', accountId, query, (filter, before, limit) =>
        readAccessPage(env.DB, filter, before, limit),
      );
      return pageResponse(request.url, { entries: rows.map(accessEntryView) }, nextCursor);
    },
  ),
];
