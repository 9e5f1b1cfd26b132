// The Audit Trail Worker: HTTP API (itty-router) and the hourly cron (retention, checkpoints).
import { AutoRouter, cors } from 'itty-router';
import { formatError, notFound } from './http/problem';
import { routerPath } from './http/route';
import { openApiDocument } from './openapi';
import { runScheduled } from './scheduled';
import { routes } from './routes';

// Browser clients (dashboards, the demo workspace) may call the API: tokens travel in the
// Authorization header, never in cookies, so any origin is safe to allow.
const EXPOSED_HEADERS = 'Link, Content-Disposition, Retry-After';
const { preflight, corsify } = cors({
  origin: '*',
  allowMethods: ['GET', 'POST', 'DELETE'],
  allowHeaders: ['Authorization', 'Content-Type'],
  exposeHeaders: EXPOSED_HEADERS,
  maxAge: 86_400,
});
/** itty's corsify exposes headers on preflights only; browsers read them from responses. */
const exposeHeaders = (response: Response) => {
  response.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return response;
};

const router = AutoRouter<Parameters<(typeof routes)[number]['handler']>[0], [Env, ExecutionContext]>({
  before: [preflight],
  catch: formatError,
  finally: [corsify, exposeHeaders],
  missing: () => {
    throw notFound('No such route. The API is described at /openapi.json.');
  },
});

let document: unknown;
router.get('/openapi.json', () => (document ??= openApiDocument(routes)));
for (const { method, path, handler } of routes) router[method](routerPath(path), handler);

export default {
  fetch: router.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(env, new Date(controller.scheduledTime)));
  },
} satisfies ExportedHandler<Env>;
