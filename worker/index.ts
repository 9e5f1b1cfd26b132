// The Audit Trail Worker: HTTP API (itty-router) and the scheduled retention purge.
import { AutoRouter } from 'itty-router';
import { formatError, notFound } from './http/problem';
import { routerPath } from './http/route';
import { openApiDocument } from './openapi';
import { purgeExpired } from './retention';
import { routes } from './routes';

const router = AutoRouter<Parameters<(typeof routes)[number]['handler']>[0], [Env, ExecutionContext]>({
  catch: formatError,
  missing: () => {
    throw notFound('No such route. The API is described at /openapi.json.');
  },
});

let document: unknown;
router.get('/openapi.json', () => (document ??= openApiDocument(routes)));
for (const { method, path, handler } of routes) router[method](routerPath(path), handler);

export default {
  fetch: router.fetch,
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(purgeExpired(env.DB).then((deleted) => console.log(`retention purge: ${deleted} events deleted`)));
  },
} satisfies ExportedHandler<Env>;
