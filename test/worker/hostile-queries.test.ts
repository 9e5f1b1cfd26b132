// Queries and cursors: hostile values for every parameter of every reading route, forged and
// damaged cursors, time ranges (exact answers, only events in range) and verify ranges.
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brief,
  cursorBytes,
  cursorDamage,
  damageCursor,
  encodeComponent,
  hostileQueryValue,
  randomCursor,
  serialize,
  validChange,
} from './arbitraries';
import { call } from './support';
import {
  A,
  READ_ROUTES,
  Req,
  changesPath,
  checkAnswer,
  countVerdict,
  fcOptions,
  fillPath,
  queryArb,
  runPrefix,
  send,
  tokens,
  useHostileRun,
  validParams,
} from './hostile-harness';
import { expectD1HoldsTheModel, observeWrite } from './hostile-model';

/** Cursors the Worker issued, with the request that got them. */
const issuedCursors: { path: string; query: [string, string][]; cursor: string }[] = [];

useHostileRun('queries');

describe('hostile input: queries', () => {
  it('queries and cursors: hostile values for every parameter of every reading route, forged and damaged cursors, time ranges and verify ranges', async () => {
    // Something to page through, known to the model: 40 valid changes, a quarter of them to object user/4711.
    for (const [i, change] of fc.sample(validChange(runPrefix), { numRuns: 40, seed: 9 }).entries()) {
      const req = new Req(
        'queries',
        'POST',
        changesPath(A.id),
        'writer',
        serialize(i % 4 ? change : { ...change, objectType: 'user', objectId: '4711' }),
        'application/json',
      );
      const res = (await send(req))!;
      checkAnswer(req, res);
      observeWrite(req, res);
    }
    // Harvest real cursors (limit=1 so that there is a next page) over several filters.
    for (const path of [
      `/v1/accounts/${A.id}/events`,
      `/v1/accounts/${A.id}/access-log`,
      `/v1/accounts/${A.id}/objects/user/4711/events`,
    ]) {
      for (const query of [
        [['limit', '1']],
        [
          ['limit', '1'],
          ['action', 'edit'],
        ],
        [
          ['limit', '2'],
          ['q', 'N'],
        ],
        [
          ['limit', '1'],
          ['kind', 'list'],
        ],
      ] as [string, string][][]) {
        const res = await call(`${path}?${new URLSearchParams(query)}`, { token: tokens.all![0] });
        if (res.status === 200 && res.json.nextCursor) issuedCursors.push({ path, query, cursor: res.json.nextCursor });
      }
    }
    expect(issuedCursors.length).toBeGreaterThan(3);

    type CursorCase = { kind: 'real' | 'damaged' | 'foreign' | 'random'; value: string; original?: string };
    /** A `from`/`to` value, and whether it is a date (or date-time) before 1970. */
    type Bound = { value: string; before1970: boolean };
    type QueryCase = {
      path: string;
      query: string;
      cursor?: CursorCase;
      range?: { from?: Bound; to?: Bound };
      seqs?: { fromSeq?: number; toSeq?: number };
    };
    const LISTINGS = [
      `/v1/accounts/${A.id}/events`,
      `/v1/accounts/${A.id}/access-log`,
      `/v1/accounts/${A.id}/objects/user/4711/events`,
      `/v1/accounts/${A.id}/objects/skill/4711/events`,
    ];
    // Encoded by hand: URLSearchParams would turn a lone surrogate into U+FFFD before it is sent.
    const withCursor = (query: [string, string][], cursor: string) =>
      `?${[...query, ['cursor', cursor]].map(([k, v]) => `${encodeComponent(k!)}=${encodeComponent(v!)}`).join('&')}`;

    // Time ranges on the routes that take them (account A's zone is UTC). A date-time is
    // written in some offset; the written date and the instant are on the same side of 1970.
    const RANGE_ROUTES = READ_ROUTES.filter((r) => r.queryKeys.includes('from') && r.queryKeys.includes('to'));
    expect(RANGE_ROUTES.map((r) => r.path).sort()).toEqual([
      '/v1/accounts/{accountId}/events',
      '/v1/accounts/{accountId}/events/export',
      '/v1/accounts/{accountId}/events/facets',
      '/v1/accounts/{accountId}/objects/{objectType}/{objectId}/events',
      '/v1/accounts/{accountId}/objects/{objectType}/{objectId}/events/facets',
    ]);
    const written = (min: string, max: string, before1970: boolean): fc.Arbitrary<Bound> =>
      fc
        .tuple(
          fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }),
          fc.constantFrom('date', 'Z', '+05:30', '+14:00', '-12:00'),
          fc.boolean(),
        )
        .map(([date, zone, millis]) => {
          if (zone === 'date') return { value: date.toISOString().slice(0, 10), before1970 };
          const minutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
          return { value: new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, millis ? 23 : 19) + zone, before1970 };
        });
    const bound: fc.Arbitrary<Bound> = fc.oneof(
      { arbitrary: written('1970-01-02T00:00:00Z', '9999-12-30T00:00:00Z', false), weight: 2 },
      { arbitrary: written('2020-01-01T00:00:00Z', new Date().toISOString(), false), weight: 2 },
      { arbitrary: written('0000-01-02T00:00:00Z', '1969-12-30T00:00:00Z', true), weight: 1 },
      {
        arbitrary: fc.constantFrom<Bound>(
          { value: '1970-01-01', before1970: false },
          { value: '1970-01-01T00:00:00Z', before1970: false },
          { value: '1969-12-31', before1970: true },
          { value: '1969-12-31T23:59:59.999Z', before1970: true },
          { value: '9999-12-31', before1970: false },
          { value: '9999-12-31T23:59:59.999Z', before1970: false },
        ),
        weight: 2,
      },
    );
    /** The instants a bound stands for in UTC: a date is its whole day. */
    const lowest = (b: Bound) => Date.parse(/T/.test(b.value) ? b.value : `${b.value}T00:00:00Z`);
    const highest = (b: Bound) => (/T/.test(b.value) ? Date.parse(b.value) : Date.parse(`${b.value}T00:00:00Z`) + 86_400_000 - 1);
    const q = (pairs: [string, string | number | undefined][]) => {
      const given = pairs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeComponent(String(v))}`);
      return given.length ? `?${given.join('&')}` : '';
    };

    const arb: fc.Arbitrary<QueryCase> = fc.oneof(
      // from/to on every route that takes them: exact answers, and only events in range.
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...RANGE_ROUTES), fc.option(bound, { nil: undefined }), fc.option(bound, { nil: undefined }))
          .map(([route, from, to]) => ({
            path: fillPath(route, validParams()),
            query: q([
              ['from', from?.value],
              ['to', to?.value],
              // Pages take up to 500; facets up to 100 values per facet; exports no limit.
              ['limit', route.path.endsWith('/export') ? undefined : route.path.endsWith('/facets') ? 100 : 500],
            ]),
            range: { from, to },
          })),
        weight: 1,
      },
      // verify ranges: never a broken chain (the run only writes through the API), exact counts.
      {
        arbitrary: fc
          .record({
            fromSeq: fc.option(fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: 5_000 }), fc.constant(Number.MAX_SAFE_INTEGER)), {
              nil: undefined,
            }),
            toSeq: fc.option(fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: 5_000 })), { nil: undefined }),
          })
          .map((seqs) => ({
            path: `/v1/accounts/${A.id}/verify`,
            query: q([
              ['fromSeq', seqs.fromSeq],
              ['toSeq', seqs.toSeq],
            ]),
            seqs,
          })),
        weight: 1,
      },
      // Every parameter of every reading route, hostile values, repeated and unknown keys.
      {
        arbitrary: fc
          .constantFrom(...READ_ROUTES)
          .chain((route) => queryArb(route.queryKeys).map((query) => ({ path: fillPath(route, validParams()), query }))),
        weight: 3,
      },
      // Cursor-shaped (or not) garbage.
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...LISTINGS), randomCursor)
          .map(([path, cursor]) => ({ path, query: withCursor([], cursor), cursor: { kind: 'random' as const, value: cursor } })),
        weight: 1,
      },
      // A real cursor with the query it was issued for, intact or damaged.
      {
        arbitrary: fc.tuple(fc.nat(), fc.option(cursorDamage, { nil: undefined })).map(([i, damage]) => {
          const issued = issuedCursors[i % issuedCursors.length]!;
          const value = damage ? damageCursor(issued.cursor, damage) : issued.cursor;
          return {
            path: issued.path,
            query: withCursor(issued.query, value),
            cursor: { kind: damage ? ('damaged' as const) : ('real' as const), value, original: issued.cursor },
          };
        }),
        weight: 2,
      },
      // A real cursor sent to another listing, or with other filters.
      {
        arbitrary: fc.tuple(fc.nat(), fc.nat(), hostileQueryValue).map(([i, j, q]) => {
          const issued = issuedCursors[i % issuedCursors.length]!;
          const path = LISTINGS[j % LISTINGS.length]!;
          const query: [string, string][] =
            path === issued.path
              ? [...issued.query.filter(([k]) => k !== 'q' && k !== 'kind'), ['q', `${q}~`]]
              : issued.query.filter(([k]) => k === 'limit');
          return { path, query: withCursor(query, issued.cursor), cursor: { kind: 'foreign' as const, value: issued.cursor } };
        }),
        weight: 1,
      },
    );

    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const path = c.path;
        const req = new Req('queries', 'GET', path + c.query, 'all-scopes');
        const res = await send(req);
        fc.pre(res !== undefined);
        checkAnswer(req, res!);
        const where = `${req[fc.toStringMethod]()}\n→ ${res!.status} ${brief(res!.text, 300)}`;
        if (res!.status === 200 && res!.json?.nextCursor && /\/(events|access-log)$/.test(path)) {
          const query = [...new URLSearchParams(c.query)].filter(([k]) => k !== 'cursor');
          if (issuedCursors.length < 200) issuedCursors.push({ path, query, cursor: res!.json.nextCursor });
        }
        if (c.range) {
          const { from, to } = c.range;
          const early = (['from', 'to'] as const)
            .filter((k) => c.range![k]?.before1970)
            .map((k) => ({ path: `query.${k}`, message: 'must not be before 1970' }));
          if (early.length) {
            expect(res!.status, `a date before 1970 must be 400: ${where}`).toBe(400);
            expect(
              [...res!.json.errors].sort((a, b) => a.path.localeCompare(b.path)),
              where,
            ).toEqual(early);
          } else if (from && to && lowest(from) > highest(to)) {
            expect(res!.status, `an empty time range must be 400: ${where}`).toBe(400);
            expect(res!.json.errors, where).toEqual([{ path: 'query.from', message: 'is after query.to' }]);
          } else {
            expect(res!.status, `a time range from 1970 to 9999 must be answered: ${where}`).toBe(200);
            for (const event of res!.json?.events ?? []) {
              const at = Date.parse(event.occurredAt);
              expect(from === undefined || at >= lowest(from), `an event before "from": ${event.occurredAt}: ${where}`).toBe(true);
              expect(to === undefined || at <= highest(to), `an event after "to": ${event.occurredAt}: ${where}`).toBe(true);
            }
          }
          countVerdict('queries', 'range');
        }
        if (c.seqs) {
          const { fromSeq, toSeq } = c.seqs;
          if (fromSeq !== undefined && toSeq !== undefined && fromSeq > toSeq) {
            expect(res!.status, `fromSeq after toSeq must be 400: ${where}`).toBe(400);
            expect(res!.json.errors, where).toEqual([{ path: 'query.fromSeq', message: 'is after query.toSeq' }]);
          } else {
            const head = (await env.DB.prepare('SELECT chain_seq AS seq FROM accounts WHERE id = ?').bind(A.id).first<{ seq: number }>())!
              .seq;
            const checked = Math.max(0, Math.min(toSeq ?? head, head) - Math.max(fromSeq ?? 1, 1) + 1);
            expect(res!.status, where).toBe(200);
            expect(res!.json, `verify must find the chain intact, over exactly the range asked: ${where}`).toMatchObject({
              ok: true,
              checked,
              firstBrokenSeq: null,
              reason: null,
              complete: true,
            });
          }
          countVerdict('queries', 'verify');
        }
        if (!c.cursor) return;
        // A cursor is accepted only as issued, for the query it was issued for.
        if (c.cursor.kind === 'real') expect(res!.status, `an issued cursor is refused: ${where}`).toBe(200);
        if (c.cursor.kind === 'damaged' && cursorBytes(c.cursor.value) !== cursorBytes(c.cursor.original!))
          expect(res!.status, `a damaged cursor is accepted: ${where}`).toBe(400);
        if (c.cursor.kind === 'foreign' || c.cursor.kind === 'random')
          expect(res!.status, `a cursor not issued for this query is accepted: ${where}`).toBeGreaterThanOrEqual(400);
      }),
      fcOptions(1000),
    );
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, every status is declared, nothing is polluted', async () => {
    await expectD1HoldsTheModel({ accepted: 40 });
  }, 120_000);
});
