// Bodies: every route that reads JSON judges its size, depth and text as the contract says
// (hostile-model.ts bodyVerdict), before anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brief } from './arbitraries';
import {
  ROUTES,
  Req,
  anyBodyFor,
  bodyLimit,
  checkAnswer,
  countVerdict,
  fcOptions,
  fillPath,
  send,
  useHostileRun,
  validParams,
} from './hostile-harness';
import { type Verdict, bodyVerdict, expectD1HoldsTheModel, expectVerdictErrors, observeWrite } from './hostile-model';

useHostileRun('bodies');

describe('hostile input: bodies', () => {
  it('bodies: every route that reads JSON judges its size, depth and text as the contract says, before anything else', async () => {
    // The POSTs whose operation declares a request body (checkpoints, export links, syncs, a destination's
    // rotation, test and resume take none); the list is spelled out so a route that stops reading one is noticed.
    const bodyRoutes = ROUTES.filter((r) => r.method === 'POST' && r.takesBody);
    expect(bodyRoutes.map((r) => r.path).sort()).toEqual([
      '/v1/accounts',
      '/v1/accounts/{accountId}/changes',
      '/v1/accounts/{accountId}/changes/batch',
      '/v1/accounts/{accountId}/destinations',
      '/v1/accounts/{accountId}/tokens',
    ]);
    const arb = fc
      .constantFrom(...bodyRoutes)
      .chain((route) =>
        fc
          .oneof(
            { arbitrary: anyBodyFor(route), weight: 8 },
            // Nothing but whitespace (a BOM is dropped by the decoder), or one byte too many.
            { arbitrary: fc.constantFrom('', ' ', '\n\t ', '\ufeff', '\ufeff '), weight: 1 },
            {
              arbitrary: fc
                .constantFrom('x', '中', '\\u0000')
                .map((c) => `{"a":"${c.repeat(Math.ceil(bodyLimit(route.path) / new TextEncoder().encode(c).length))}"}`),
              weight: 1,
            },
          )
          .map((body) => ({ route, body })),
      )
      .map(({ route, body }) => {
        // A caller the route lets through, so that what decides the answer is the body.
        const req = new Req(
          'bodies',
          'POST',
          fillPath(route, validParams()),
          route.path === '/v1/accounts' ? 'operator' : 'all-scopes',
          body,
          'application/json',
        );
        return { route, req, [fc.toStringMethod]: () => req[fc.toStringMethod]() };
      });
    const verdicts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(arb, async ({ route, req }) => {
        const res = (await send(req))!;
        checkAnswer(req, res);
        observeWrite(req, res);
        const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 500)}`;
        const bytes = typeof req.body === 'string' ? new TextEncoder().encode(req.body).length : req.body!.length;
        const verdict: Verdict | undefined =
          bytes > bodyLimit(route.path) ? { status: 413, kind: 'too-large', why: 'too large' } : bodyVerdict(req.body!);
        const kind = verdict?.kind ?? 'schema';
        verdicts.set(kind, (verdicts.get(kind) ?? 0) + 1);
        countVerdict('bodies', kind);
        if (!verdict) return;
        expect(res.status, `expected ${verdict.status} (${verdict.why}): ${where}`).toBe(verdict.status);
        expectVerdictErrors(verdict, res, where);
      }),
      fcOptions(500),
    );
    // Each verdict was reached, not only possible.
    expect([...verdicts.keys()], brief([...verdicts])).toEqual(
      expect.arrayContaining(['too-large', 'not-utf8', 'empty', 'too-deep', 'not-json', 'unstorable', 'schema']),
    );
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, every status is declared, nothing is polluted', async () => {
    await expectD1HoldsTheModel({ accepted: 0 });
  }, 120_000);
});
