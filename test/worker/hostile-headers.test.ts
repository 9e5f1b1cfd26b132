// Headers: Authorization variants (401 without a valid token), Content-Type variants (415) and
// Content-Length lies (413 beyond the limit), on every route.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authKind, brief, contentLength, contentType, extraHeaders } from './arbitraries';
import {
  PUBLIC_PATHS,
  ROUTES,
  Req,
  SECRET_IN_PATH,
  UNAUTHENTICATED,
  bodyLimit,
  fcOptions,
  fillPath,
  useHostileRun,
  validBodyFor,
  validParams,
} from './hostile-harness';
import { expectD1HoldsTheModel, sendAndObserve } from './hostile-model';

useHostileRun('headers');

describe('hostile input: headers', () => {
  it('headers: Authorization variants, Content-Type variants and Content-Length lies, on every route', async () => {
    const arb = fc
      .constantFrom(...ROUTES)
      .chain((route) =>
        fc.record({
          route: fc.constant(route),
          auth: authKind,
          contentType: contentType,
          contentLength: contentLength,
          headers: extraHeaders,
          body: validBodyFor(route),
        }),
      )
      .map(
        ({ route, auth, contentType, contentLength, headers, body }) =>
          new Req(
            'headers',
            route.method,
            fillPath(route, validParams()),
            auth,
            route.method === 'POST' ? body : undefined,
            contentType,
            contentLength,
            headers,
          ),
      );
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        const res = await sendAndObserve(req);
        const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 300)}`;
        const route = ROUTES.find((r) => fillPath(r, validParams()) === req.target && r.method === req.method)!;
        const needsToken = !PUBLIC_PATHS.has(route.path) && !SECRET_IN_PATH.has(route.path) && route.path !== '/v1/accounts';
        // Anything that is not a valid token of the account is 401 on a route that needs one.
        if (
          needsToken &&
          UNAUTHENTICATED.has(req.auth) &&
          !(route.path.endsWith('/tokens') && req.method === 'POST' && req.auth === 'operator')
        )
          expect(res.status, `no valid token must be 401: ${where}`).toBe(401);
        if (route.path === '/v1/accounts' && req.auth !== 'operator')
          expect(res.status, `only the operator creates accounts: ${where}`).toBe(401);
        // A token that can write, with a body that is not declared as JSON: 415 (checkpoints, export links, a LivePerson
        // sync and a destination's rotation, test and resume take no body).
        const hasBody =
          req.method === 'POST' &&
          route.path !== `/v1/accounts/{accountId}/checkpoints` &&
          route.path !== `/v1/accounts/{accountId}/events/export-links` &&
          route.path !== `/v1/accounts/{accountId}/sources/liveperson/sync` &&
          !/\/destinations\/\{destinationId\}\/(rotate-secret|test|resume)$/.test(route.path);
        const canPost = hasBody && (route.path === '/v1/accounts' ? req.auth === 'operator' : req.auth === 'all-scopes');
        if (canPost && !/^application\/(.+\+)?json\b/i.test(req.contentType ?? ''))
          expect(res.status, `a body not declared JSON must be 415: ${where}`).toBe(415);
        // A declared length beyond the limit is refused before the body is read.
        if (canPost && /^application\/(.+\+)?json\b/i.test(req.contentType ?? '') && req.contentLength && req.contentLength !== 'right') {
          if (Number(req.contentLength) > bodyLimit(route.path))
            expect(res.status, `a Content-Length over the limit must be 413: ${where}`).toBe(413);
        }
      }),
      fcOptions(800),
    );
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, every status is declared, nothing is polluted', async () => {
    await expectD1HoldsTheModel({ accepted: 0 });
  }, 120_000);
});
