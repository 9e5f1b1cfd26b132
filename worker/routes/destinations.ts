// Destinations (account:admin): webhooks that stream the account's audit trail, signed per
// Standard Webhooks, in seq order and at least once (worker/destinations). Create (the signing
// secret is shown once), list, read (with how far behind it is), delete, rotate the secret,
// send a signed ping, list the attempts, resume after failing or a 410.
import { requireToken } from '../auth/authenticate';
import { destinationUrlProblem } from '../domain/destination-url';
import { LIMITS } from '../domain/limits';
import { allowInsecure } from '../destinations/deliver';
import { kickDestinations } from '../destinations/kick';
import {
  createDestination,
  destinationsChanged,
  pingDestination,
  rotateDestinationSecret,
  ROTATION_OVERLAP_MS,
} from '../destinations/manage';
import { attemptView, destinationView } from '../destinations/view';
import { parseBody, parsePath, readJson } from '../http/input';
import { conflict, notFound, unprocessable } from '../http/problem';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { requireCredentialsKey } from '../http/settings';
import {
  DeliveryAttemptList,
  Destination,
  DestinationCreate,
  DestinationList,
  DestinationPath,
  DestinationTestResult,
  DestinationWithSecret,
} from '../schemas/destinations';
import { readChainState } from '../store/chain';
import {
  countDestinations,
  deleteDestination,
  findDestination,
  listAttempts,
  listDestinations,
  resumeDestination,
} from '../store/destinations';

const PATH = '/v1/accounts/{accountId}/destinations';
const ONE = `${PATH}/{destinationId}`;
const ATTEMPTS_LISTED = 100;

async function admin(request: Parameters<Parameters<typeof route>[3]>[0], env: Env, ctx: ExecutionContext) {
  const { accountId, destinationId } = parsePath(DestinationPath, request.params);
  const caller = await requireToken(request, env, ctx, accountId, ['account:admin']);
  const destination = await findDestination(env.DB, accountId, destinationId);
  if (!destination) throw notFound(`No destination "${destinationId}" in this account.`);
  return { caller, destination };
}

const head = async (env: Env, accountId: string) => (await readChainState(env.DB, accountId)).head.seq;

export const destinationRoutes = [
  route(
    'post',
    PATH,
    {
      operationId: 'createDestination',
      summary: 'Stream the audit trail to a webhook, e.g. a SIEM (account:admin)',
      description:
        'Every event committed from now on (recorded through the API or imported) is POSTed to `url`, signed per Standard Webhooks ' +
        '(webhook-id, webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>"), ' +
        'in seq order, up to 100 events per delivery: `{"type":"audit.events","accountId":…,"events":[Event…]}`. ' +
        "At least once: webhook-id is the same for every attempt at the same events (the receiver's idempotency key). " +
        'A failing delivery holds back the later ones and is retried after 5 s, 30 s, 2 min, 10 min, 1 h, then hourly; ' +
        `a 410 Gone disables the destination. At most ${LIMITS.destinationsPerAccount} destinations per account.`,
      tags: ['destinations'],
      requestParams: { path: AccountPath },
      requestBody: { content: jsonContent(DestinationCreate) },
      responses: {
        '201': { description: 'Created; the signing secret is in this answer only.', content: jsonContent(DestinationWithSecret) },
        ...problems(400, 401, 403, 404, 409, 413, 415, 422, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const { account } = await requireToken(request, env, ctx, accountId, ['account:admin']);
      const input = parseBody(DestinationCreate, await readJson(request, LIMITS.smallBodyBytes));
      const refused = destinationUrlProblem(input.url, allowInsecure(env));
      if (refused) throw unprocessable(`The URL cannot be a destination; nothing was stored.`, [{ path: '/url', message: refused }]);
      const key = await requireCredentialsKey(env);
      if ((await countDestinations(env.DB, accountId)) >= LIMITS.destinationsPerAccount)
        throw conflict(`The account has ${LIMITS.destinationsPerAccount} destinations, the most it may have; delete one first.`);
      const { row, secret } = await createDestination(env, key, account, input);
      return Response.json({ ...destinationView(row, row.deliveredThroughSeq), secret }, { status: 201 });
    },
  ),
  route(
    'get',
    PATH,
    {
      operationId: 'listDestinations',
      summary: "The account's destinations (account:admin)",
      tags: ['destinations'],
      requestParams: { path: AccountPath },
      responses: { '200': { description: 'Oldest first.', content: jsonContent(DestinationList) }, ...problems(400, 401, 403, 404, 503) },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      await requireToken(request, env, ctx, accountId, ['account:admin']);
      const [rows, headSeq] = await Promise.all([listDestinations(env.DB, accountId), head(env, accountId)]);
      return { items: rows.map((row) => destinationView(row, headSeq)) };
    },
  ),
  route(
    'get',
    ONE,
    {
      operationId: 'getDestination',
      summary: 'A destination and how far behind the chain it is (account:admin)',
      tags: ['destinations'],
      requestParams: { path: DestinationPath },
      responses: { '200': { description: 'The destination.', content: jsonContent(Destination) }, ...problems(400, 401, 403, 404, 503) },
    },
    async (request, env, ctx) => {
      const { destination } = await admin(request, env, ctx);
      return destinationView(destination, await head(env, destination.accountId));
    },
  ),
  route(
    'delete',
    ONE,
    {
      operationId: 'deleteDestination',
      summary: 'Stop streaming to a destination and forget it (account:admin)',
      tags: ['destinations'],
      requestParams: { path: DestinationPath },
      responses: { '204': { description: 'Deleted, with its attempt log.' }, ...problems(400, 401, 403, 404, 503) },
    },
    async (request, env, ctx) => {
      const { destination } = await admin(request, env, ctx);
      await deleteDestination(env.DB, destination.accountId, destination.id);
      await destinationsChanged(env, destination.accountId);
      return new Response(null, { status: 204 });
    },
  ),
  route(
    'post',
    `${ONE}/rotate-secret`,
    {
      operationId: 'rotateDestinationSecret',
      summary: 'A new signing secret; the old one stays valid for 24 hours (account:admin)',
      description:
        `For ${ROTATION_OVERLAP_MS / 3600_000} hours deliveries carry two signatures, space-separated in webhook-signature: ` +
        'one made with the new secret, one with the old, so the receiver can switch at any time in between.',
      tags: ['destinations'],
      requestParams: { path: DestinationPath },
      responses: {
        '200': { description: 'Rotated; the new secret is in this answer only.', content: jsonContent(DestinationWithSecret) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { destination } = await admin(request, env, ctx);
      const key = await requireCredentialsKey(env);
      const rotated = await rotateDestinationSecret(env, key, destination);
      if (!rotated) throw notFound(`No destination "${destination.id}" in this account.`);
      return { ...destinationView(rotated.row, await head(env, destination.accountId)), secret: rotated.secret };
    },
  ),
  route(
    'post',
    `${ONE}/test`,
    {
      operationId: 'testDestination',
      summary: 'Send a signed ping now (account:admin)',
      description:
        'POSTs `{"type":"audit.ping","accountId":…,"destinationId":…}`, signed like every delivery, outside the delivery order, ' +
        'and answers what the receiver did. Logged in …/deliveries as kind "test".',
      tags: ['destinations'],
      requestParams: { path: DestinationPath },
      responses: {
        '200': { description: 'What the receiver answered.', content: jsonContent(DestinationTestResult) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { destination } = await admin(request, env, ctx);
      const outcome = await pingDestination(env, await requireCredentialsKey(env), destination);
      return { delivered: outcome.error === null, ...outcome };
    },
  ),
  route(
    'get',
    `${ONE}/deliveries`,
    {
      operationId: 'listDestinationDeliveries',
      summary: 'The latest delivery attempts (account:admin)',
      description: `The newest ${ATTEMPTS_LISTED} attempts, newest first: when, which events, the receiver's status, latency and error.`,
      tags: ['destinations'],
      requestParams: { path: DestinationPath },
      responses: {
        '200': { description: 'Newest first.', content: jsonContent(DeliveryAttemptList) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { destination } = await admin(request, env, ctx);
      return { items: (await listAttempts(env.DB, destination.id, ATTEMPTS_LISTED)).map(attemptView) };
    },
  ),
  route(
    'post',
    `${ONE}/resume`,
    {
      operationId: 'resumeDestination',
      summary: 'Deliver again now, from where the destination stopped (account:admin)',
      description:
        'For a destination that is failing (or disabled by a 410): forgets the failures and delivers at once, from the first event ' +
        'not yet delivered. A failing destination also resumes by itself once a retry succeeds.',
      tags: ['destinations'],
      requestParams: { path: DestinationPath },
      responses: {
        '202': { description: 'Resumed; a delivery is queued.', content: jsonContent(Destination) },
        ...problems(400, 401, 403, 404, 503),
      },
    },
    async (request, env, ctx) => {
      const { destination } = await admin(request, env, ctx);
      await resumeDestination(env.DB, destination.accountId, destination.id);
      await destinationsChanged(env, destination.accountId);
      await kickDestinations(env, [destination.id]);
      const row = await findDestination(env.DB, destination.accountId, destination.id);
      if (!row) throw notFound(`No destination "${destination.id}" in this account.`);
      return Response.json(destinationView(row, await head(env, destination.accountId)), { status: 202 });
    },
  ),
];
