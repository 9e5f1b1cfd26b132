// Search through the trigram index, counts, order and case-insensitive elements: the answers
// of the index (q of 3+ characters) must be those of the plain scan — ASCII letters folded,
// everything else as it is — on random text with quotes, %, _ and non-ASCII; the index is
// kept by triggers and can be rebuilt after a restore.
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketsToDays } from '../../worker/domain/facet-days';
import { HIT_DRIVEN_MAX, searchMatch, searchPlan } from '../../worker/store/event-search';
import { readEventPage } from '../../worker/store/event-reader';
import { call, newAccount, recordChanges } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;
const events = (account: Account, query = '') => call(`/v1/accounts/${account.id}/events${query}`, { token: account.reader });

interface Row {
  objectName: string;
  element: string;
  oldValue: string | null;
  newValue: string | null;
  originatorName: string;
}

const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
/** The semantics of q as the scan has them: instr(lower(column), lower(q)) > 0 on any column. */
const scanMatches = (row: Row, q: string) =>
  [row.objectName, row.element, row.oldValue ?? '', row.newValue ?? '', row.originatorName].some((v) =>
    lowerAscii(v).includes(lowerAscii(q)),
  );

let seqs = 0;
/** Rows inserted straight into audit_events (the search does not read the chain), newest last. */
async function insertRows(accountId: string, rows: Row[], base = Date.now() - 3_600_000) {
  const statements = rows.map((row, i) => {
    const seq = ++seqs;
    return env.DB.prepare(
      `INSERT INTO audit_events (id, account_id, seq, change_id, object_type, object_id, object_name, action, element,
         value_type, old_value, new_value, occurred_at, recorded_at, originator_id, originator_name, prev_hash, hash)
       VALUES (?, ?, ?, 'c', 'user', ?, ?, 'edit', ?, 'text', ?, ?, ?, ?, 'o1', ?, '', '')`,
    ).bind(
      `evt_${accountId}_${seq}`,
      accountId,
      seq,
      `obj${i}`,
      row.objectName,
      row.element,
      row.oldValue,
      row.newValue,
      base + i * 1000,
      base + i * 1000,
      row.originatorName,
    );
  });
  for (let i = 0; i < statements.length; i += 50) await env.DB.batch(statements.slice(i, i + 50));
}

/** env.DB, counting the calls that reach D1: each statement run alone and each batch is one
 *  round trip. Statements are handed to a batch unwrapped, as D1 wants its own. */
function countingD1() {
  const counter = { trips: 0 };
  const real = new WeakMap<object, D1PreparedStatement>();
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== 'function') return value;
        if (key === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (['all', 'raw', 'first', 'run'].includes(String(key))) counter.trips++;
        return (value as (...args: unknown[]) => unknown).bind(target);
      },
    });
    real.set(proxy, statement);
    return proxy;
  };
  const d1 = new Proxy(env.DB, {
    get(target, key) {
      if (key === 'prepare') return (query: string) => wrap(target.prepare(query));
      if (key === 'batch')
        return (statements: D1PreparedStatement[]) => {
          counter.trips++;
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { d1, counter };
}

/** Characters where folding differs (ASCII case, É/é, Kelvin sign, ß/ẞ, ǅ), FTS5 syntax, LIKE wildcards. */
const CHARS = [
  'a',
  'A',
  'b',
  'B',
  'k',
  'K',
  '\u212A',
  'é',
  'É',
  'ß',
  'ẞ',
  'ǅ',
  'ǆ',
  '"',
  "'",
  '%',
  '_',
  ' ',
  '*',
  ':',
  '-',
  '😀',
  '^',
  '(',
  ')',
];
const text = fc.string({ unit: fc.constantFrom(...CHARS), minLength: 0, maxLength: 12 });
const row: fc.Arbitrary<Row> = fc.record({
  objectName: text.map((t) => t || 'n'),
  element: text.map((t) => t || 'e'),
  oldValue: fc.option(text, { nil: null }),
  newValue: fc.option(text, { nil: null }),
  originatorName: text.map((t) => t || 'o'),
});

async function searchAll(account: Account, q: string, extra = ''): Promise<string[]> {
  const res = await events(account, `?q=${encodeURIComponent(q)}&limit=500${extra}`);
  expect(res.status, res.text).toBe(200);
  return res.json.events.map((e: any) => e.objectId);
}

describe('q through the trigram index', () => {
  it('finds exactly what the scan finds, on random text (quotes, %, _, non-ASCII)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.array(fc.oneof(text, fc.tuple(fc.nat(), fc.nat(), fc.nat())), { minLength: 1, maxLength: 4 }),
        async (rows, needles) => {
          const account = await newAccount();
          await insertRows(account.id, rows);
          const all = [...rows.map((r) => [r.objectName, r.element, r.oldValue ?? '', r.newValue ?? '', r.originatorName]).flat()];
          for (const needle of needles) {
            // A random string, or a piece of a stored value (so that there are matches), in swapped ASCII case.
            const raw =
              typeof needle === 'string'
                ? needle
                : [...all[needle[0] % all.length]!].slice(needle[1] % 4, (needle[1] % 4) + 3 + (needle[2] % 5)).join('');
            const q = raw.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).trim();
            if (!q) continue;
            const expected = rows
              .map((r, i) => ({ r, id: `obj${i}` }))
              .filter(({ r }) => scanMatches(r, q))
              .map(({ id }) => id)
              .reverse();
            expect(await searchAll(account, q), `q=${JSON.stringify(q)}`).toEqual(expected);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('quotes every trigram as an FTS5 string, so no character is query syntax', () => {
    expect(searchMatch('ab')).toBeUndefined();
    expect(searchMatch('😀a')).toBeUndefined(); // 2 code points
    expect(searchMatch('abc')).toBe('"abc"');
    expect(searchMatch('a"b*c')).toBe('"a""b" AND "b*c"');
    expect(searchMatch('Member of')).toBe('"Mem" AND "ber" AND " of"');
    expect(searchMatch('abcd')).toBe('"abc" AND "bcd"');
  });

  it('scans when the index has many candidates, with the same answers (and the other filters)', async () => {
    const account = await newAccount();
    const rows: Row[] = Array.from({ length: HIT_DRIVEN_MAX + 20 }, (_, i) => ({
      objectName: `Common ${i}`,
      element: i % 7 === 0 ? 'Member of' : 'Name',
      oldValue: null,
      newValue: i % 1000 === 0 ? 'rare-value' : 'x',
      originatorName: 'Amy',
    }));
    // One statement for thousands of rows: a recursive CTE, as fast as D1 goes.
    const base = Date.now() - 3_600_000;
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO audit_events (id, account_id, seq, change_id, object_type, object_id, object_name, action, element,
         value_type, old_value, new_value, occurred_at, recorded_at, originator_id, originator_name, prev_hash, hash)
       SELECT ? || i, ?, i + 1, 'c', 'user', 'obj' || i, 'Common ' || i, 'edit',
         CASE WHEN i % 7 = 0 THEN 'Member of' ELSE 'Name' END, 'text', NULL,
         CASE WHEN i % 1000 = 0 THEN 'rare-value' ELSE 'x' END, ? + i * 10, ? + i * 10, 'o1', 'Amy', '', '' FROM n`,
    )
      .bind(rows.length - 1, `evt_${account.id}_`, account.id, base, base)
      .run();
    expect(await searchPlan(env.DB, 'Common')).toBe('scan');
    expect(await searchPlan(env.DB, 'rare-value')).toBe('hits');
    const expected = (q: string, keep: (r: Row) => boolean = () => true) =>
      rows
        .map((r, i) => ({ r, id: `obj${i}` }))
        .filter(({ r }) => scanMatches(r, q) && keep(r))
        .map(({ id }) => id)
        .reverse();
    expect(await searchAll(account, 'common 12')).toEqual(expected('common 12').slice(0, 500));
    expect(await searchAll(account, 'COMMON', '&element=member%20of')).toEqual(
      expected('COMMON', (r) => r.element === 'Member of').slice(0, 500),
    );
    expect(await searchAll(account, 'rare-VALUE')).toEqual(expected('rare-value'));
    // Either plan is one round trip: both go in one batch, and each one's LIMIT decides whether it runs.
    for (const q of ['common', 'rare-value']) {
      const { d1, counter } = countingD1();
      const page = await readEventPage(d1, { accountId: account.id, notBefore: 0, q }, undefined, 50);
      expect(page.rows.map((r) => r.objectId)).toEqual(expected(q).slice(0, 50));
      expect(counter.trips, q).toBe(1);
    }
    expect(await searchAll(account, 'rare-value', '&element=member%20of')).toEqual(
      expected('rare-value', (r) => r.element === 'Member of'),
    );
    const counted = await events(account, '?q=common&count=true&limit=1');
    expect(counted.json.total).toBe(rows.length);
    expect((await events(account, '?q=rare-value&count=true&limit=1')).json.total).toBe(expected('rare-value').length);
  });

  it('follows deletes (the retention purge) and can be rebuilt after a restore, with identical answers', async () => {
    const account = await newAccount();
    const rows: Row[] = [
      { objectName: 'Quarterly Report', element: 'Name', oldValue: null, newValue: 'Alpha', originatorName: 'Amy' },
      { objectName: 'Weekly Report', element: 'Owner', oldValue: 'Bob', newValue: 'Carol', originatorName: 'Bob' },
      { objectName: 'Skill X', element: 'Member of', oldValue: 'Tier 1', newValue: 'Tier 2', originatorName: 'Dan' },
    ];
    await insertRows(account.id, rows);
    const before = [await searchAll(account, 'report'), await searchAll(account, 'tier'), await searchAll(account, 'bob')];
    expect(before).toEqual([['obj1', 'obj0'], ['obj2'], ['obj1']]);

    // What a restore from base tables leaves: an index that knows nothing.
    await env.DB.prepare("INSERT INTO events_fts(events_fts) VALUES('delete-all')").run();
    expect(await searchAll(account, 'report')).toEqual([]);
    await env.DB.prepare("INSERT INTO events_fts(events_fts) VALUES('rebuild')").run();
    expect([await searchAll(account, 'report'), await searchAll(account, 'tier'), await searchAll(account, 'bob')]).toEqual(before);
    // The index is consistent with its content table.
    await env.DB.prepare("INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)").run();

    await env.DB.prepare('DELETE FROM audit_events WHERE account_id = ? AND object_id = ?').bind(account.id, 'obj1').run();
    expect(await searchAll(account, 'report')).toEqual(['obj0']);
    await env.DB.prepare("INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)").run();
  });
  it('answers by scanning while the index is dropped (around a backup), and again by the index once recreated', async () => {
    const account = await newAccount();
    const rows: Row[] = [
      { objectName: 'Quarterly Report', element: 'Name', oldValue: null, newValue: 'Alpha', originatorName: 'Amy' },
      { objectName: 'Skill X', element: 'Member of', oldValue: 'Tier 1', newValue: 'Report', originatorName: 'Dan' },
    ];
    await insertRows(account.id, rows);
    const answers = async () => [
      await searchAll(account, 'report'),
      (await events(account, '?q=report&count=true')).json.total,
      (await call(`/v1/accounts/${account.id}/events/facets?q=report`, { token: account.reader })).json.elements,
    ];
    const indexed = await answers();
    expect(indexed).toEqual([
      ['obj1', 'obj0'],
      2,
      [
        { value: 'Member of', count: 1 },
        { value: 'Name', count: 1 },
      ],
    ]);

    // docs/OPERATIONS.md: the index and its triggers dropped for `wrangler d1 export`.
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0006_'))!;
    const searchObjects = migration.queries.filter((q) => !/^\s*CREATE INDEX/i.test(q.replace(/^(\s*--.*\n)*/, '')));
    await env.DB.batch(
      ['audit_events_fts_insert', 'audit_events_fts_delete', 'audit_events_fts_update']
        .map((t) => env.DB.prepare(`DROP TRIGGER ${t}`))
        .concat(env.DB.prepare('DROP TABLE events_fts')),
    );
    expect(await searchPlan(env.DB, 'report')).toBe('unindexed');
    expect(await answers()).toEqual(indexed);
    // Written while the index is gone: found by the scan now, and by the index after the rebuild.
    await insertRows(account.id, [{ objectName: 'Late report', element: 'Name', oldValue: null, newValue: null, originatorName: 'Eve' }]);
    const late = await searchAll(account, 'report');
    expect(late).toHaveLength(3);

    // Recreated from the migration (the table, its rebuild, the triggers).
    for (const query of searchObjects) await env.DB.prepare(query).run();
    expect(await searchPlan(env.DB, 'report')).toBe('hits');
    expect(await searchAll(account, 'report')).toEqual(late);
  });
});

describe('count, order, element', () => {
  it('adds total only with count=true, and says "100000+" beyond 100,000', async () => {
    const account = await newAccount();
    await recordChanges(account, [{ objectId: 'a' }, { objectId: 'b' }, { objectId: 'c' }]);
    expect((await events(account, '?limit=1')).json).not.toHaveProperty('total');
    expect((await events(account, '?limit=1&count=false')).json).not.toHaveProperty('total');
    const counted = await events(account, '?limit=1&count=true');
    expect(counted.json.total).toBe(3);
    expect(counted.json.events).toHaveLength(1);
    // The total is that of the filters, whatever page the cursor is on.
    const next = await events(account, `?limit=1&count=true&cursor=${encodeURIComponent(counted.json.nextCursor)}`);
    expect(next.json.total).toBe(3);
    expect((await events(account, '?objectId=b&count=true')).json.total).toBe(1);
    const history = await call(`/v1/accounts/${account.id}/objects/user/a/events?count=true`, { token: account.reader });
    expect(history.json.total).toBe(1);
    const bad = await events(account, '?count=yes');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('query.count');

    const big = await newAccount();
    const base = Date.now() - 3_600_000;
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
       INSERT INTO audit_events (id, account_id, seq, change_id, object_type, object_id, object_name, action, element,
         value_type, old_value, new_value, occurred_at, recorded_at, originator_id, originator_name, prev_hash, hash)
       SELECT ? || i, ?, i + 1, 'c', 'user', 'o', 'n', 'edit', 'e', 'text', NULL, NULL, ? + i, ? + i, 'o1', 'Amy', '', '' FROM n`,
    )
      .bind(`evt_${big.id}_`, big.id, base, base)
      .run();
    expect((await events(big, '?limit=1&count=true')).json.total).toBe('100000+');
    const to = encodeURIComponent(new Date(base + 99_999).toISOString());
    expect((await events(big, `?limit=1&count=true&to=${to}`)).json.total).toBe(100_000);
  });

  it('reads oldest first with order=asc, and a cursor keeps its order', async () => {
    const account = await newAccount();
    await recordChanges(
      account,
      Array.from({ length: 7 }, (_, i) => ({ objectId: `o${i}`, occurredAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() })),
    );
    const walk = async (query: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res: any = await events(account, query + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
        expect(res.status, res.text).toBe(200);
        ids.push(...res.json.events.map((e: any) => e.objectId));
        cursor = res.json.nextCursor;
      } while (cursor);
      return ids;
    };
    const desc = await walk('?limit=3');
    expect(desc).toEqual(['o6', 'o5', 'o4', 'o3', 'o2', 'o1', 'o0']);
    expect(await walk('?limit=3&order=desc')).toEqual(desc);
    expect(await walk('?limit=3&order=asc')).toEqual([...desc].reverse());

    const descCursor = encodeURIComponent((await events(account, '?limit=3')).json.nextCursor);
    const ascCursor = encodeURIComponent((await events(account, '?limit=3&order=asc')).json.nextCursor);
    for (const query of [`?limit=3&order=asc&cursor=${descCursor}`, `?limit=3&cursor=${ascCursor}`]) {
      const res = await events(account, query);
      expect(res.status, query).toBe(400);
      expect(res.json.errors[0].path).toBe('query.cursor');
    }
    // count=true does not bind the cursor.
    expect((await events(account, `?limit=3&count=true&cursor=${descCursor}`)).status).toBe(200);
    const history = await call(`/v1/accounts/${account.id}/objects/user/o1/events?order=asc`, { token: account.reader });
    expect(history.status).toBe(200);
    expect((await events(account, '?order=up')).json.errors[0].path).toBe('query.order');
  });

  it('matches element case-insensitively, through the element index', async () => {
    const account = await newAccount();
    await recordChanges(account, [
      { objectId: 'a', elements: [{ element: 'Member of', newValue: 'x' }] },
      { objectId: 'b', elements: [{ element: 'MEMBER OF', newValue: 'x' }] },
      { objectId: 'c', elements: [{ element: 'Member', newValue: 'x' }] },
      { objectId: 'd', elements: [{ element: 'Mémber of', newValue: 'x' }] },
    ]);
    const ids = async (element: string) =>
      (await events(account, `?element=${encodeURIComponent(element)}`)).json.events.map((e: any) => e.objectId).sort();
    expect(await ids('member of')).toEqual(['a', 'b']);
    expect(await ids('Member of')).toEqual(['a', 'b']);
    expect(await ids('mémber of')).toEqual(['d']);
    expect(await ids('MÉMBER OF')).toEqual([]); // non-ASCII letters are compared as they are
    const plan = await env.DB.prepare(
      `EXPLAIN QUERY PLAN SELECT * FROM audit_events WHERE account_id = ? AND occurred_at >= ? AND element = ? COLLATE NOCASE
       ORDER BY occurred_at DESC, seq DESC LIMIT 51`,
    )
      .bind(account.id, 0, 'member of')
      .all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join('; ')).toContain('audit_events_element_time');
  });
});

describe('GET …/events/facets', () => {
  const facets = (account: Account, query = '') => call(`/v1/accounts/${account.id}/events/facets${query}`, { token: account.reader });

  it('counts each facet with every filter but its own, most first, with days in tz', async () => {
    const account = await newAccount({ timezone: 'Europe/Berlin' });
    await recordChanges(account, [
      {
        objectType: 'user',
        objectId: 'u1',
        action: 'edit',
        originator: { id: 'amy', name: 'Admin Amy' },
        occurredAt: '2026-03-01T23:30:00Z', // March 1 in UTC, March 2 (00:30) in Berlin
        elements: [
          { element: 'Member of', oldValue: 'Tier 1', newValue: 'Tier 2' },
          { element: 'Email', oldValue: 'a@x', newValue: 'b@x' },
        ],
      },
      {
        objectType: 'user',
        objectId: 'u2',
        action: 'add',
        originator: { id: 'bob', name: 'Bot Bob' },
        occurredAt: '2026-03-02T10:00:00Z',
        elements: [{ element: 'Member of', newValue: 'Tier 1' }],
      },
      {
        objectType: 'skill',
        objectId: 's1',
        action: 'edit',
        originator: { id: 'amy', name: 'Admin Amy' },
        occurredAt: '2026-03-03T10:00:00Z',
        elements: [{ element: 'Name', oldValue: 'Billing', newValue: 'Billing EMEA' }],
      },
    ]);
    const all = await facets(account);
    expect(all.status, all.text).toBe(200);
    expect(all.json).toEqual({
      total: 4,
      elements: [
        { value: 'Member of', count: 2 },
        { value: 'Email', count: 1 },
        { value: 'Name', count: 1 },
      ],
      originators: [
        { id: 'amy', name: 'Admin Amy', count: 3 },
        { id: 'bob', name: 'Bot Bob', count: 1 },
      ],
      objectTypes: [
        { value: 'user', count: 3 },
        { value: 'skill', count: 1 },
      ],
      actions: [
        { value: 'edit', count: 3 },
        { value: 'add', count: 1 },
      ],
      days: [
        { day: '2026-03-02', count: 3 },
        { day: '2026-03-03', count: 1 },
      ],
    });
    expect((await facets(account, '?tz=UTC')).json.days).toEqual([
      { day: '2026-03-01', count: 2 },
      { day: '2026-03-02', count: 1 },
      { day: '2026-03-03', count: 1 },
    ]);

    // The element facet ignores the element filter; the others take it (case-insensitive).
    const member = await facets(account, '?element=member%20of');
    expect(member.json.total).toBe(2);
    expect(member.json.elements).toEqual(all.json.elements);
    expect(member.json.originators).toEqual([
      { id: 'amy', name: 'Admin Amy', count: 1 },
      { id: 'bob', name: 'Bot Bob', count: 1 },
    ]);
    expect(member.json.actions).toEqual([
      { value: 'add', count: 1 },
      { value: 'edit', count: 1 },
    ]);
    // The originator facet ignores originatorId, the action facet action, the type facet objectType.
    const amy = await facets(account, '?originatorId=amy&action=add&objectType=skill');
    expect(amy.json.total).toBe(0);
    expect(amy.json.originators).toEqual([]);
    expect(amy.json.actions).toEqual([{ value: 'edit', count: 1 }]);
    expect(amy.json.objectTypes).toEqual([]);
    expect((await facets(account, '?originatorId=amy&action=edit')).json.objectTypes).toEqual([
      { value: 'user', count: 2 },
      { value: 'skill', count: 1 },
    ]);
    // q applies to every facet.
    expect((await facets(account, '?q=tier')).json.elements).toEqual([{ value: 'Member of', count: 2 }]);
    // prefix: elements and originator names that start with it, case-insensitively; limit per facet.
    const prefixed = await facets(account, '?prefix=m');
    expect(prefixed.json.elements).toEqual([{ value: 'Member of', count: 2 }]);
    expect(prefixed.json.originators).toEqual([]);
    expect((await facets(account, '?prefix=BOT')).json.originators).toEqual([{ id: 'bob', name: 'Bot Bob', count: 1 }]);
    expect((await facets(account, '?limit=1')).json.elements).toEqual([{ value: 'Member of', count: 2 }]);
    // days follow from/to.
    expect((await facets(account, '?from=2026-03-03')).json.days).toEqual([{ day: '2026-03-03', count: 1 }]);

    // One object's history has the same facets.
    const object = await call(`/v1/accounts/${account.id}/objects/user/u1/events/facets`, { token: account.reader });
    expect(object.status, object.text).toBe(200);
    expect(object.json.total).toBe(2);
    expect(object.json.elements).toEqual([
      { value: 'Email', count: 1 },
      { value: 'Member of', count: 1 },
    ]);
    expect(object.json.objectTypes).toEqual([{ value: 'user', count: 2 }]);

    // Logged like a list read.
    const log = await call(`/v1/accounts/${account.id}/access-log?kind=facets`, { token: account.admin });
    expect(log.status, log.text).toBe(200);
    expect(log.json.entries.length).toBeGreaterThan(0);
  });

  it('answers bad parameters with 400 naming them, and needs audit:read', async () => {
    const account = await newAccount();
    for (const [query, path] of [
      ['?limit=0', 'query.limit'],
      ['?limit=101', 'query.limit'],
      ['?prefix=', 'query.prefix'],
      ['?objectType=planet', 'query.objectType'],
      ['?cursor=x', 'query.cursor'],
    ]) {
      const res = await facets(account, query);
      expect(res.status, query).toBe(400);
      expect(res.json.errors[0].path, query).toBe(path);
    }
    const writer = await call(`/v1/accounts/${account.id}/events/facets`, { token: account.writer });
    expect(writer.status).toBe(403);
  });
});

describe('the days facet', () => {
  it('sums quarter-hour buckets into local days across a DST change, and leaves out a partly counted day', () => {
    const at = (iso: string) => ({ start: Date.parse(iso), count: 1 });
    // Berlin moves from +01:00 to +02:00 at 2026-03-29T01:00Z.
    const buckets = [at('2026-03-28T22:45:00Z'), at('2026-03-28T23:00:00Z'), at('2026-03-29T21:45:00Z'), at('2026-03-29T22:00:00Z')];
    expect(bucketsToDays(buckets, 'Europe/Berlin')).toEqual([
      { day: '2026-03-28', count: 1 },
      { day: '2026-03-29', count: 2 },
      { day: '2026-03-30', count: 1 },
    ]);
    expect(bucketsToDays(buckets, 'UTC')).toEqual([
      { day: '2026-03-28', count: 2 },
      { day: '2026-03-29', count: 2 },
    ]);
    // Kathmandu is +05:45: quarter hours are enough.
    expect(bucketsToDays([at('2026-03-28T18:15:00Z')], 'Asia/Kathmandu')).toEqual([{ day: '2026-03-29', count: 1 }]);
    expect(bucketsToDays([at('2026-03-28T18:00:00Z')], 'Asia/Kathmandu')).toEqual([{ day: '2026-03-28', count: 1 }]);
    expect(bucketsToDays(buckets, 'Europe/Berlin', { dropFirst: true, lastDays: 1 })).toEqual([{ day: '2026-03-30', count: 1 }]);
  });
});
