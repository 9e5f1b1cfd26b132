// The Audit Trail Worker: HTTP API (itty-router), the hourly cron (retention, checkpoints), the
// LivePerson connector's five-minute poll and its queue consumer, and the consumer of the
// deliveries to destinations (webhooks streaming the audit trail).
import { AutoRouter, cors } from 'itty-router';
import { formatError, notFound, problemResponse } from './http/problem';
import { routerPath } from './http/route';
import { openApiDocument } from './openapi';
import { handleDeliveryKicks } from './destinations/consume';
import { DELIVERY_QUEUE_NAME, type DeliveryKick } from './destinations/kick';
import { LIVEPERSON_CRON, runDeliverySweep, runLivePersonPoll, runScheduled } from './scheduled';
import { handleSyncMessage, type SyncMessage } from './sources/liveperson/sync';
import { routes } from './routes';

// Browser clients (dashboards, the demo workspace) may call the API: tokens travel in the
// Authorization header, never in cookies, so any origin is safe to allow.
const EXPOSED_HEADERS = 'Link, Content-Disposition, Retry-After';
const { preflight, corsify } = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: EXPOSED_HEADERS,
  maxAge: 86_400,
});
/** itty's corsify exposes headers on preflights only; browsers read them from responses. */
const exposeHeaders = (response: Response) => {
  response.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return response;
};

/** What may be cached, and for how long: only answers that are the same for everyone and
 *  change on deploy or key rotation. Everything else — audit data, settings, tokens,
 *  problems — is `no-store`: an audit trail must not linger in proxies or browser caches. */
const CACHEABLE = new Map([
  ['/openapi.json', 'public, max-age=300'],
  ['/v1/keys', 'public, max-age=60'],
]);
const cacheControl = (response: Response, request: Request) => {
  if (!response.headers.has('Cache-Control')) {
    const cacheable = response.ok ? CACHEABLE.get(new URL(request.url).pathname) : undefined;
    response.headers.set('Cache-Control', cacheable ?? 'no-store');
  }
  return response;
};

const router = AutoRouter<Parameters<(typeof routes)[number]['handler']>[0], [Env, ExecutionContext]>({
  before: [preflight],
  catch: formatError,
  finally: [corsify, exposeHeaders, cacheControl],
  // Answered rather than thrown, so the finally steps (CORS, Cache-Control) apply to it too.
  missing: () => problemResponse(notFound('No such route. The API is described at /openapi.json.')),
});

let document: unknown;
router.get('/openapi.json', () => (document ??= openApiDocument(routes)));
for (const { method, path, handler } of routes) router[method](routerPath(path), handler);

/** HEAD is GET without the body (RFC 9110): the same status and headers. A download is
 *  cancelled unread; a JSON answer is read only to tell its Content-Length. */
async function head(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const response = await router.fetch(new Request(request, { method: 'GET' }), env, ctx);
  const headers = new Headers(response.headers);
  if (headers.has('Content-Disposition')) await response.body?.cancel();
  else headers.set('Content-Length', String((await response.arrayBuffer()).byteLength));
  return new Response(null, { status: response.status, statusText: response.statusText, headers });
}

export default {
  fetch: (request, env, ctx) => (request.method === 'HEAD' ? head(request, env, ctx) : router.fetch(request, env, ctx)),
  async scheduled(controller, env, ctx) {
    // Two crons (wrangler.jsonc): every five minutes the LivePerson poll, hourly the rest.
    if (controller.cron === LIVEPERSON_CRON) {
      ctx.waitUntil(runLivePersonPoll(env, controller.scheduledTime));
      ctx.waitUntil(runDeliverySweep(env, controller.scheduledTime));
    } else ctx.waitUntil(runScheduled(env, new Date(controller.scheduledTime)));
  },
  async queue(batch, env) {
    if (batch.queue === DELIVERY_QUEUE_NAME) return handleDeliveryKicks(env, batch as MessageBatch<DeliveryKick>);
    for (const message of (batch as MessageBatch<SyncMessage>).messages) {
      const verdict = await handleSyncMessage(env, message.body, message.attempts);
      if (verdict.ack) message.ack();
      else message.retry({ delaySeconds: verdict.delaySeconds });
    }
  },
} satisfies ExportedHandler<Env, SyncMessage | DeliveryKick>;

export { AccountWriter } from './writer/account-writer';
