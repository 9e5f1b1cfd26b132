// An account's LivePerson connection (account:admin): connect with LivePerson's API key, read
// where the import stands, ask for a sync now, disconnect. The key is checked with LivePerson
// before anything is stored, sealed at rest, and never part of any answer.
import { requireToken } from '../auth/authenticate';
import { LIMITS } from '../domain/limits';
import { conflict, unprocessable } from '../http/problem';
import { parseBody, parsePath, readJson } from '../http/input';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { requireCredentialsKey } from '../http/settings';
import { LivePersonConnect, LivePersonStatus, LivePersonSyncQueued } from '../schemas/liveperson';
import { connect, earliestBackfillDay, statusView } from '../sources/liveperson/connection';
import { requestSync } from '../sources/liveperson/sync';
import { localDate } from '../domain/time-zone';
import { deleteConnection, findConnection } from '../store/liveperson-sources';

const PATH = '/v1/accounts/{accountId}/sources/liveperson';

const refused = {
  description:
    'Type …/problems/liveperson-refused: LivePerson answered 401 (wrong app key, secret, token or token secret) or 403 (the key lacks the permission), ' +
    'or its Domain API does not know this account id; the detail says which and what to fix, errors name /auth. Or the body does not validate. Nothing was stored.',
};
const unavailable = {
  description:
    'Type …/problems/liveperson-unavailable: LivePerson did not answer (5xx, 429, a timeout); nothing was stored, retry after Retry-After seconds. ' +
    'Or type …/problems/misconfigured: the deployment lacks CREDENTIALS_KEY (see GET /readyz).',
};

function answers(...statuses: number[]) {
  const all = problems(...statuses);
  if (all['422']) all['422'] = { ...all['422'], ...refused };
  if (all['503']) all['503'] = { ...all['503'], ...unavailable };
  return all;
}

export const livePersonRoutes = [
  route(
    'put',
    PATH,
    {
      operationId: 'connectLivePerson',
      summary: 'Connect LivePerson: import its audit trail and keep it in sync (account:admin)',
      description:
        "Checks the API key with a first signed call to LivePerson (whose host comes from LivePerson's Domain API, never from the request), " +
        "stores it encrypted (AES-GCM under the deployment's CREDENTIALS_KEY), and starts the backfill: one UTC day after the other from `backfillFrom` to today, " +
        'then every five minutes yesterday and today. Imported events carry `source: "liveperson"`; they may be older than auditEnabledAt (LivePerson recorded them) ' +
        'and obey the retention. Connecting again replaces the key and restarts the backfill; nothing is imported twice.',
      tags: ['sources'],
      requestParams: { path: AccountPath },
      requestBody: { content: jsonContent(LivePersonConnect) },
      responses: {
        '200': { description: 'Connected; the backfill is queued.', content: jsonContent(LivePersonStatus) },
        ...answers(400, 401, 403, 404, 413, 415, 422, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const { account } = await requireToken(request, env, ctx, accountId, ['account:admin']);
      const input = parseBody(LivePersonConnect, await readJson(request, LIMITS.smallBodyBytes));
      const key = await requireCredentialsKey(env);
      const now = Date.now();
      if (input.backfillFrom !== undefined) {
        const earliest = earliestBackfillDay(account, now);
        if (input.backfillFrom < earliest)
          throw unprocessable(`backfillFrom is before the account's ${account.retentionMonths}-month retention; nothing was stored.`, [
            { path: '/backfillFrom', message: `must be ${earliest} or later (the retention would delete older history at once)` },
          ]);
        if (input.backfillFrom > localDate(now, 'UTC'))
          throw unprocessable('backfillFrom is in the future; nothing was stored.', [
            { path: '/backfillFrom', message: 'must not be after today (UTC)' },
          ]);
      }
      return statusView(await connect(env, key, account, input, now));
    },
  ),
  route(
    'get',
    PATH,
    {
      operationId: 'livePersonStatus',
      summary: 'Where the LivePerson import stands (account:admin)',
      description: 'Never a credential, not even masked.',
      tags: ['sources'],
      requestParams: { path: AccountPath },
      responses: { '200': { description: 'The status.', content: jsonContent(LivePersonStatus) }, ...problems(400, 401, 403, 404, 503) },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      return statusView(await findConnection(env.DB, accountId));
    },
  ),
  route(
    'post',
    `${PATH}/sync`,
    {
      operationId: 'syncLivePerson',
      summary: 'Sync with LivePerson now (account:admin)',
      description:
        'Queues an import of yesterday and today (UTC). While one is already waiting, the request joins it (`queued: false`). ' +
        'The extension asks for this after an admin saved something in LivePerson.',
      tags: ['sources'],
      requestParams: { path: AccountPath },
      responses: {
        '202': { description: 'Queued (or joined the sync already waiting).', content: jsonContent(LivePersonSyncQueued) },
        ...problems(400, 401, 403, 404, 409, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      const row = await findConnection(env.DB, accountId);
      if (!row) throw conflict('LivePerson is not connected to this account; connect it with PUT …/sources/liveperson first.');
      if (row.state === 'error')
        throw conflict(`The LivePerson connection is stopped: ${row.lastError ?? 'see GET …/sources/liveperson'}`, [
          { path: 'path.accountId', message: 'connection in state "error"' },
        ]);
      const queued = await requestSync(env, row);
      return Response.json({ ...statusView(row), queued }, { status: 202 });
    },
  ),
  route(
    'delete',
    PATH,
    {
      operationId: 'disconnectLivePerson',
      summary: 'Disconnect LivePerson (account:admin)',
      description: 'Stops the import and deletes the stored key. The imported history stays.',
      tags: ['sources'],
      requestParams: { path: AccountPath },
      responses: { '204': { description: 'Disconnected (or was not connected).' }, ...problems(400, 401, 403, 404, 503) },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      await deleteConnection(env.DB, accountId);
      return new Response(null, { status: 204 });
    },
  ),
];
