// Paths: encoded slashes, dots, very long and unicode ids in every path parameter, extra segments.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type AuthKind, hostileSegment } from './arbitraries';
import { ROUTES, Req, fcOptions, fillPath, paramValue, useHostileRun, validBodyFor } from './hostile-harness';
import { expectD1HoldsTheModel, sendAndObserve } from './hostile-model';

useHostileRun('paths');

describe('hostile input: paths', () => {
  it('paths: encoded slashes, dots, very long and unicode ids in every path parameter, extra segments', async () => {
    const arb = fc
      .constantFrom(...ROUTES)
      .chain((route) =>
        fc.record({
          route: fc.constant(route),
          params: fc.record(Object.fromEntries(route.params.map((p) => [p, fc.oneof(hostileSegment, paramValue(p))]))) as fc.Arbitrary<
            Record<string, string>
          >,
          shape: fc.constantFrom(
            'as is',
            'trailing slash',
            'double slash',
            'dot segment',
            'extra segment',
            'encoded slash',
            'uppercase',
            'query only ?',
            'fragment',
          ),
          auth: fc.constantFrom<AuthKind>('all-scopes', 'all-scopes', 'operator', 'other-account', 'none'),
          body: validBodyFor(route),
        }),
      )
      .map(({ route, params, shape, auth, body }) => {
        let path = fillPath(route, params);
        if (shape === 'trailing slash') path += '/';
        if (shape === 'double slash') path = path.replace('/v1/', '/v1//');
        if (shape === 'dot segment') path = path.replace('/v1/', '/v1/./x/../');
        if (shape === 'extra segment') path += '/extra';
        if (shape === 'encoded slash') path = path.replace(/\/([^/]*)$/, '%2F$1');
        if (shape === 'uppercase') path = path.toUpperCase();
        if (shape === 'query only ?') path += '?';
        if (shape === 'fragment') path += '#frag';
        return new Req('paths', route.method, path, auth, route.method === 'POST' ? body : undefined, 'application/json');
      });
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        await sendAndObserve(req);
      }),
      fcOptions(800),
    );
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, every status is declared, nothing is polluted', async () => {
    await expectD1HoldsTheModel({ accepted: 0 });
  }, 120_000);
});
