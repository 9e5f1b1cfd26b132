// Emitters record changes: one, or a batch of up to 1,000 that is stored all or nothing.
import type { IRequest } from 'itty-router';
import { requireToken } from '../auth/authenticate';
import { eventView } from '../domain/event-view';
import { checkChanges } from '../domain/record-changes';
import { MAX_DEPTH, parseBody, parsePath, readJson } from '../http/input';
import { enforceRateLimit, rateLimitText } from '../http/rate-limit';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { Change, ChangeBatch, LIMITS } from '../schemas/changes';
import { RecordedBatch, RecordedChange } from '../schemas/events';
import { readChangeEvents } from '../store/event-reader';
import { MAX_QUEUED_CHANGES } from '../writer/queue-limits';
import { writeChanges } from '../writer/write-changes';

const n = (value: number) => value.toLocaleString('en-US');

/** Every limit a write is held to, for the operations' descriptions. */
const limitsText = (bodyBytes: number) =>
  `Limits: the body at most ${n(bodyBytes)} bytes (413) and at most ${n(LIMITS.eventsPerRequest)} events recorded by one request (413); ` +
  `JSON nested at most ${MAX_DEPTH} levels (400); text must be valid Unicode, no field may be named "__proto__" and numbers must fit an IEEE 754 double (beyond ±1.8e308, send them as strings) (422); per change at most ${n(LIMITS.elementsPerChange)} elements, ` +
  `element names of ${n(LIMITS.elementNameChars)} characters, object names of ${n(LIMITS.objectNameChars)}, ` +
  `text values of ${n(LIMITS.valueChars)} and lists of 10,000 items (422); values derived from before/after snapshots ` +
  `longer than ${n(LIMITS.valueChars)} characters are stored cut, ending in "… [truncated]". ` +
  `\`occurredAt\` may not precede the account's auditEnabledAt, be older than the account's retention (retentionMonths; it could never be read), nor lie more than ${LIMITS.futureSkewMs / 60_000} minutes ahead (422). ` +
  rateLimitText('write') +
  ` An account's writes are queued and committed together; when more than ${n(MAX_QUEUED_CHANGES)} changes already wait, the write is refused at once with 503 busy and Retry-After (nothing stored).`;

/** The write routes' problems; their 503 is mostly backpressure, which the generic description does not explain. */
const writeProblems = () => {
  const answers = problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503);
  answers['503'] = {
    ...answers['503']!,
    description:
      `Type …/problems/busy: more than ${n(MAX_QUEUED_CHANGES)} changes already wait in this account's write queue; answered at once, nothing stored, ` +
      'retry after the Retry-After seconds. Or type …/problems/unavailable: the database failed in a way that passes (D1 restarting, the network to it lost) and ' +
      'still did after the writer retried; nothing stored, retry after the Retry-After seconds (a retried write is never recorded twice). ' +
      'Or type …/problems/misconfigured: the deployment lacks a setting (see GET /readyz).',
  };
  return answers;
};

/** What both write routes do before looking at the changes: the caller may write to the
 *  account (token, scope, rate limit), and the body is JSON within `maxBytes`. */
async function writeRequest(request: IRequest, env: Env, ctx: ExecutionContext, maxBytes: number) {
  const { accountId } = parsePath(AccountPath, request.params);
  const caller = await requireToken(request, env, ctx, accountId, ['events:write']);
  await enforceRateLimit(env, 'write', caller);
  const raw = await readJson(request, maxBytes);
  return { accountId, account: caller.account, raw };
}

export const changeRoutes = [
  route(
    'post',
    '/v1/accounts/{accountId}/changes',
    {
      operationId: 'recordChange',
      summary: 'Record one change',
      description:
        `Give \`elements\`, or \`before\`/\`after\` snapshots from which one event per changed element is derived. ` +
        `Secrets are recorded as changed, never stored. Idempotent by \`changeId\`. ` +
        limitsText(LIMITS.changeBodyBytes),
      tags: ['changes'],
      requestParams: { path: AccountPath },
      requestBody: { content: jsonContent(Change) },
      responses: {
        '201': { description: 'Recorded.', content: jsonContent(RecordedChange) },
        '200': { description: 'Already recorded with this body: the stored events.', content: jsonContent(RecordedChange) },
        ...writeProblems(),
      },
    },
    async (request, env, ctx) => {
      const { accountId, account, raw } = await writeRequest(request, env, ctx, LIMITS.changeBodyBytes);
      const change = parseBody(Change, raw);
      const checked = checkChanges(account, [{ change, raw, path: '' }]);
      const written = await writeChanges(env, accountId, checked, { returnEvents: true });
      const replayed = written.outcomes[0]!.replayed;
      // A new change's events come back from the writer; a replay's are the stored ones.
      const rows = replayed ? await readChangeEvents(env.DB, accountId, change.changeId) : written.events;
      return Response.json({ changeId: change.changeId, replayed, events: rows.map(eventView) }, { status: replayed ? 200 : 201 });
    },
  ),
  route(
    'post',
    '/v1/accounts/{accountId}/changes/batch',
    {
      operationId: 'recordChanges',
      summary: `Record up to ${LIMITS.batchChanges} changes, all or nothing`,
      description:
        'The batch is validated whole and written in one transaction: one bad change means nothing is stored, ' +
        `and the answer lists every bad path. Changes already recorded with the same body are replayed. ` +
        `At most ${n(LIMITS.batchChanges)} changes a batch (422). ` +
        limitsText(LIMITS.batchBodyBytes),
      tags: ['changes'],
      requestParams: { path: AccountPath },
      requestBody: { content: jsonContent(ChangeBatch) },
      responses: {
        '201': { description: 'Recorded (some changes may have been replays).', content: jsonContent(RecordedBatch) },
        '200': { description: 'Every change was already recorded.', content: jsonContent(RecordedBatch) },
        ...writeProblems(),
      },
    },
    async (request, env, ctx) => {
      const { accountId, account, raw } = await writeRequest(request, env, ctx, LIMITS.batchBodyBytes);
      const { changes } = parseBody(ChangeBatch, raw);
      const rawChanges = (raw as { changes: unknown[] }).changes;
      const checked = checkChanges(
        account,
        changes.map((change, i) => ({ change, raw: rawChanges[i], path: `/changes/${i}` })),
      );
      const { outcomes } = await writeChanges(env, accountId, checked);
      const created = outcomes.filter((o) => !o.replayed);
      const body = {
        created: created.length,
        replayed: outcomes.length - created.length,
        events: created.reduce((sum, o) => sum + o.eventCount, 0),
        changes: outcomes,
      };
      return Response.json(body, { status: created.length ? 201 : 200 });
    },
  ),
];
