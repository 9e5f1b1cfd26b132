// Any request to any route the Worker declares, and to paths that are no route: method, path,
// query, auth, headers and body all generated; each answer is 2xx or a 4xx problem, never 5xx.
import fc from 'fast-check';
import { routes } from '../../worker/routes/index';
import { describe, expect, it } from 'vitest';
import { type AuthKind, HTTP_METHODS, authKind, contentLength, contentType, extraHeaders, unknownPath } from './arbitraries';
import { ROUTES, Req, type RouteInfo, anyBodyFor, fcOptions, fillPath, paramValue, queryArb, useHostileRun } from './hostile-harness';
import { expectD1HoldsTheModel, sendAndObserve } from './hostile-model';

useHostileRun('any request');

describe('hostile input: any request', () => {
  it('covers every route the Worker declares', () => {
    // A sanity check that the route list is read from the Worker, not written here.
    expect(ROUTES.length).toBe(routes.length + 1);
    expect(ROUTES.map((r) => `${r.method} ${r.path}`)).toContain('POST /v1/accounts/{accountId}/changes/batch');
  });

  it('any request to any route: method, path, query, auth, headers and body all generated', async () => {
    const arb = fc
      .oneof(
        { arbitrary: fc.constantFrom(...ROUTES), weight: 6 },
        {
          arbitrary: unknownPath.map((path): RouteInfo => ({ method: 'GET', path, params: [], queryKeys: [], takesBody: false })),
          weight: 1,
        },
      )
      .chain((route) =>
        fc
          .record({
            method: fc.oneof(
              { arbitrary: fc.constant(route.method), weight: 5 },
              { arbitrary: fc.constantFrom(...HTTP_METHODS), weight: 1 },
            ),
            params: fc.record(Object.fromEntries(route.params.map((p) => [p, paramValue(p)]))) as fc.Arbitrary<Record<string, string>>,
            query: fc.oneof(fc.constant(''), queryArb(route.queryKeys)),
            auth: fc.oneof({ arbitrary: fc.constant<AuthKind>('all-scopes'), weight: 3 }, { arbitrary: authKind, weight: 2 }),
            contentType: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 4 }, { arbitrary: contentType, weight: 1 }),
            contentLength: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: contentLength, weight: 1 }),
            headers: fc.oneof({ arbitrary: fc.constant([] as [string, string][]), weight: 4 }, { arbitrary: extraHeaders, weight: 1 }),
            body: anyBodyFor(route),
          })
          .map((r) => {
            const hasBody = !['GET', 'HEAD'].includes(r.method.toUpperCase());
            return new Req(
              'any',
              r.method,
              fillPath(route, r.params) + r.query,
              r.auth,
              hasBody ? r.body : undefined,
              r.contentType,
              r.contentLength,
              r.headers,
            );
          }),
      );
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        await sendAndObserve(req);
      }),
      fcOptions(2000),
    );
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, every status is declared, nothing is polluted', async () => {
    await expectD1HoldsTheModel({ accepted: 1 });
  }, 120_000);
});
