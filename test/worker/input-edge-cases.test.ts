// Input edge cases, pinned with plain examples: the contract's answer to each input that
// once broke the Worker (found by the hostile-input properties (hostile-*.test.ts), which now
// generate all of them), and to a request that would record too many events.
//  - JSON nested deeper than 64 levels in total (the body's own levels count) is 400 at "/",
//    decided before the body is parsed (it used to overflow the stack while hashing: 500);
//  - a lone UTF-16 surrogate in any string or key, or a key "__proto__", is 422 naming its
//    path, and nothing is stored (surrogates used to be stored as U+FFFD, so the chain no
//    longer verified and a replay of such a changeId was a 503; "__proto__" fields used to
//    be dropped silently);
//  - `from`/`to` before 1970 are 400; `to=9999-12-31` is answered (it used to be a 500);
//  - GET .../verify: fromSeq after toSeq is 400; fromSeq beyond the head checks nothing and
//    is ok (it used to report a broken chain);
//  - one request records at most LIMITS.eventsPerRequest events (413, nothing stored);
//  - a number beyond double range (1e400, which JSON.parse makes Infinity) is 422 naming its
//    path, in every JSON body (it used to be a 500 from hashing, which told the client that
//    retrying was safe).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../worker/schemas/changes';
import { deepJsonText, jsonDepth, MAX_JSON_DEPTH, TOO_DEEP_ERRORS } from './arbitraries';
import { aChange, call, newAccount, OPERATOR } from './support';

type Account = Awaited<ReturnType<typeof newAccount>>;
type Answer = Awaited<ReturnType<typeof call>>;

const changes = (account: Account, batch = false) => `/v1/accounts/${account.id}/changes${batch ? '/batch' : ''}`;
const json = { 'content-type': 'application/json' };
const post = (account: Account, body: string, batch = false) =>
  call(changes(account, batch), { token: account.writer, rawBody: body, headers: json });

const lone = (path: string) => ({ path, message: 'contains a lone UTF-16 surrogate (not valid Unicode text)' });
const loneKey = (path: string) => ({ path, message: 'has a key with a lone UTF-16 surrogate (not valid Unicode text)' });
const notAllowed = (path: string) => ({ path, message: 'is not an allowed field name' });

/** A problem with exactly this status and these errors. */
function expectProblem(res: Answer, status: number, errors?: { path: string; message: string }[]) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.json).toMatchObject({
    type: expect.stringMatching(/^https:\/\/audit-trail\.dev\/problems\//),
    status,
    title: expect.any(String),
    detail: expect.any(String),
  });
  if (errors) expect(res.json.errors, res.text).toEqual(errors);
}

/** Everything a write leaves behind for the account: head, events, idempotency records. */
async function stored(account: Account) {
  const head = await env.DB.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?').bind(account.id).first();
  const events = await env.DB.prepare('SELECT count(*) AS n FROM audit_events WHERE account_id = ?')
    .bind(account.id)
    .first<{ n: number }>();
  const requests = await env.DB.prepare('SELECT count(*) AS n FROM change_requests WHERE account_id = ?')
    .bind(account.id)
    .first<{ n: number }>();
  return { head, events: events!.n, requests: requests!.n };
}

async function expectChainOk(account: Account, checked: number) {
  const verify = await call(`/v1/accounts/${account.id}/verify`, { token: account.reader });
  expect(verify.status, verify.text).toBe(200);
  expect(verify.json, verify.text).toMatchObject({ ok: true, checked, firstBrokenSeq: null, reason: null });
}

/** A change's JSON text with `value` (JSON text) as an element's new value or as a snapshot field. */
function changeWith(id: string, place: 'element' | 'snapshot', value: string) {
  const base = JSON.stringify({
    changeId: id,
    objectType: 'user',
    objectId: '1',
    objectName: 'Deep',
    action: 'edit',
    originator: { id: '1', name: 'A' },
  }).slice(0, -1);
  return place === 'element'
    ? `${base},"elements":[{"element":"e","newValue":${value}}]}`
    : `${base},"before":{"a":1},"after":{"a":${value}}}`;
}

describe('JSON nesting: at most 64 levels in total, checked before the body is parsed', () => {
  it('a body nested exactly 64 levels is stored; 65 levels is 400 at "/" — alone and in a batch, in elements and in snapshots', async () => {
    const account = await newAccount();
    let events = 0;
    for (const place of ['element', 'snapshot'] as const) {
      for (const batch of [false, true]) {
        for (const kind of ['array', 'object'] as const) {
          const body = (depth: number) => {
            const change = changeWith(`deep-${place}-${batch}-${kind}-${depth}`, place, deepJsonText(depth, kind));
            return batch ? `{"changes":[${change}]}` : change;
          };
          // The change itself uses 2 (snapshot) or 3 (element) levels, a batch 2 more.
          const room = MAX_JSON_DEPTH - (place === 'element' ? 3 : 2) - (batch ? 2 : 0);
          expect(jsonDepth(body(room))).toBe(64);
          const before = await stored(account);
          expectProblem(await post(account, body(room + 1), batch), 400, TOO_DEEP_ERRORS);
          expect(await stored(account), 'nothing stored').toEqual(before);
          const ok = await post(account, body(room), batch);
          expect(ok.status, ok.text).toBe(201);
          events++;
        }
      }
    }
    await expectChainOk(account, events);
  });

  it('a value nested 10,000 or 100,000 levels deep is 400 (it used to overflow the stack: 500), and nothing is stored', async () => {
    const account = await newAccount();
    const before = await stored(account);
    for (const depth of [10_000, 100_000]) {
      for (const kind of ['array', 'object', 'mixed'] as const) {
        const change = changeWith(`very-deep-${depth}-${kind}`, depth === 10_000 ? 'element' : 'snapshot', deepJsonText(depth, kind));
        expectProblem(await post(account, change), 400, TOO_DEEP_ERRORS);
        expectProblem(await post(account, `{"changes":[${change}]}`, true), 400, TOO_DEEP_ERRORS);
      }
    }
    expect(await stored(account)).toEqual(before);
  });

  it('depth is counted on the text before parsing: 65 brackets that never close are "too deep", 64 are "not JSON"; brackets inside strings do not count', async () => {
    const account = await newAccount();
    expectProblem(await post(account, '['.repeat(65)), 400, TOO_DEEP_ERRORS);
    const unclosed = await post(account, '['.repeat(64));
    expectProblem(unclosed, 400);
    expect(unclosed.json.detail).toBe('The body is not valid JSON.');
    // 1,000 brackets in a value, an element name and a snapshot key, after an escaped quote.
    const inStrings = aChange({ elements: [{ element: '[[[{{{', newValue: '\\"' + '['.repeat(1_000) + '{'.repeat(1_000) }] });
    const res = await call(changes(account), { token: account.writer, body: inStrings });
    expect(res.status, res.text).toBe(201);
    const inKeys = await call(changes(account), {
      token: account.writer,
      body: aChange({ elements: undefined, before: { a: 1 }, after: { ['['.repeat(1_000)]: '}'.repeat(1_000) } }),
    });
    expect(inKeys.status, inKeys.text).toBe(201);
    expect(inKeys.json.events, 'a removed, the bracket field added').toHaveLength(2);
    await expectChainOk(account, 3);
  });

  it('the same limit holds for the other routes that read JSON (accounts, tokens)', async () => {
    const account = await newAccount();
    const deep = `{"name":"x","scopes":["audit:read"],"extra":${deepJsonText(70, 'array')}}`;
    expectProblem(
      await call(`/v1/accounts/${account.id}/tokens`, { token: account.admin, rawBody: deep, headers: json }),
      400,
      TOO_DEEP_ERRORS,
    );
    expectProblem(
      await call('/v1/accounts', { token: OPERATOR, rawBody: `{"id":"deep-acct","name":${deepJsonText(65, 'object')}}`, headers: json }),
      400,
      TOO_DEEP_ERRORS,
    );
  });
});

describe('text that cannot be stored as sent: 422 naming its path, nothing stored', () => {
  it('lone surrogates in strings are 422 naming every one (they used to be stored as U+FFFD, breaking the chain)', async () => {
    const account = await newAccount();
    const before = await stored(account);
    const res = await call(changes(account), {
      token: account.writer,
      body: aChange({
        objectName: 'x\udfffy',
        originator: { id: '1', name: 'A\ud800' },
        elements: [{ element: 'Name\ud800', oldValue: 'a\udc00b', newValue: ['ok', '\ude00\ud83d'] }],
      }),
    });
    expectProblem(res, 422, [
      lone('/objectName'),
      lone('/originator/name'),
      lone('/elements/0/element'),
      lone('/elements/0/oldValue'),
      lone('/elements/0/newValue/1'),
    ]);
    const snapshot = await call(changes(account, true), {
      token: account.writer,
      body: {
        changes: [aChange(), aChange({ elements: undefined, before: { name: 'a' }, after: { name: 'b', tags: { x: ['\ud800'] } } })],
      },
    });
    expectProblem(snapshot, 422, [lone('/changes/1/after/tags/x/0')]);
    expect(await stored(account), 'nothing of either request is stored').toEqual(before);
  });

  it('a changeId with a lone surrogate is 422, and so is its retry (it used to be stored, and its replay was a 503)', async () => {
    const account = await newAccount();
    const before = await stored(account);
    const body = aChange({ changeId: 'c\ud800' });
    expectProblem(await call(changes(account), { token: account.writer, body }), 422, [lone('/changeId')]);
    expectProblem(await call(changes(account), { token: account.writer, body }), 422, [lone('/changeId')]);
    expect(await stored(account)).toEqual(before);
  });

  it('a key with a lone surrogate is 422 naming the object that holds it', async () => {
    const account = await newAccount();
    const before = await stored(account);
    const res = await call(changes(account), {
      token: account.writer,
      body: aChange({ elements: undefined, before: { a: 1 }, after: { ['k\ud800']: 1, nested: { ['\udc00']: 2 } } }),
    });
    expectProblem(res, 422, [loneKey('/after'), loneKey('/after/nested')]);
    expectProblem(await post(account, '{"\\ud800":1}'), 422, [loneKey('/')]);
    expect(await stored(account)).toEqual(before);
  });

  it('a key "__proto__" anywhere is 422 "is not an allowed field name" (such fields used to be dropped silently); "constructor" and "prototype" are data', async () => {
    const account = await newAccount();
    const before = await stored(account);
    const head = JSON.stringify({
      changeId: 'proto',
      objectType: 'user',
      objectId: '1',
      action: 'edit',
      originator: { id: '1', name: 'A' },
    }).slice(1, -1);
    expectProblem(await post(account, `{${head},"before":{"__proto__":"old","a":1},"after":{"__proto__":"new","a":1}}`), 422, [
      notAllowed('/before/__proto__'),
      notAllowed('/after/__proto__'),
    ]);
    expectProblem(await post(account, `{"__proto__":{"polluted":"yes"},${head},"elements":[{"element":"e"}]}`), 422, [
      notAllowed('/__proto__'),
    ]);
    expectProblem(
      await post(account, `{"changes":[{${head},"elements":[{"element":"e","newValue":{"a":[{"__proto__":1}]}}]}]}`, true),
      422,
      [notAllowed('/changes/0/elements/0/newValue/a/0/__proto__')],
    );
    // Spelled with an escape, it is the same key.
    expectProblem(await post(account, `{${head},"before":{"a":1},"after":{"\\u005f_proto__":1,"a":2}}`), 422, [
      notAllowed('/after/__proto__'),
    ]);
    expect(await stored(account)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // Other names an object's prototype has are plain fields: recorded, one event each
    // (labelled as any field the catalog does not know).
    const data = await post(
      account,
      `{${head},"before":{"constructor":"old","prototype":1,"toString":"a"},"after":{"constructor":"new","prototype":2,"toString":"b"}}`,
    );
    expect(data.status, data.text).toBe(201);
    expect(
      data.json.events.map((e: { element: string; oldValue: string; newValue: string }) => [e.element, e.oldValue, e.newValue]),
    ).toEqual([
      ['Constructor', 'old', 'new'],
      ['Prototype', '1', '2'],
      ['To string', 'a', 'b'],
    ]);
    await expectChainOk(account, 3);
  });

  it('the same holds for accounts and tokens: 422 with the path, nothing created', async () => {
    const account = await newAccount();
    const tokensBefore = (await call(`/v1/accounts/${account.id}/tokens`, { token: account.admin })).json.tokens.length;
    expectProblem(
      await call(`/v1/accounts/${account.id}/tokens`, { token: account.admin, body: { name: 'bad\ud800', scopes: ['audit:read'] } }),
      422,
      [lone('/name')],
    );
    expectProblem(
      await call(`/v1/accounts/${account.id}/tokens`, {
        token: account.admin,
        rawBody: '{"name":"n","scopes":["audit:read"],"__proto__":{"isAdmin":true}}',
        headers: json,
      }),
      422,
      [notAllowed('/__proto__')],
    );
    expect((await call(`/v1/accounts/${account.id}/tokens`, { token: account.admin })).json.tokens).toHaveLength(tokensBefore);
    const id = `${account.id}-lone`;
    expectProblem(await call('/v1/accounts', { token: OPERATOR, body: { id, name: 'Lone \udfff' } }), 422, [lone('/name')]);
    expect((await call(`/v1/accounts/${id}`, { token: OPERATOR })).status).toBe(404);
  });

  it('surrogate pairs (raw or as escapes) are text: stored as sent, replayed as such, and the chain verifies', async () => {
    const account = await newAccount();
    const raw = aChange({ changeId: 'pair-😀', objectName: '😀 𝕏', elements: [{ element: '👩‍👩‍👧‍👦', newValue: '\ud83d\ude00' }] });
    const res = await call(changes(account), { token: account.writer, body: raw });
    expect(res.status, res.text).toBe(201);
    expect(res.json.events[0]).toMatchObject({ changeId: 'pair-😀', objectName: '😀 𝕏', element: '👩‍👩‍👧‍👦', newValue: '😀' });
    const escaped = JSON.stringify(aChange({ changeId: 'pair-escaped', elements: [{ element: 'e', newValue: 'PAIR' }] })).replace(
      'PAIR',
      '\\ud83d\\ude00',
    );
    const esc = await post(account, escaped);
    expect(esc.status, esc.text).toBe(201);
    expect(esc.json.events[0].newValue).toBe('😀');
    // A retry of either is a replay: what was stored is what was sent.
    const replay = await call(changes(account), { token: account.writer, body: raw });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.json.replayed).toBe(true);
    expect((await post(account, escaped)).status).toBe(200);
    await expectChainOk(account, 2);
  });
});

describe('numbers beyond double range: 422 naming each path, nothing stored', () => {
  const tooLarge = (path: string) => ({
    path,
    message: 'is a number beyond what can be stored (an IEEE 754 double, at most about ±1.8e308); send it as a string',
  });
  const head = JSON.stringify({
    changeId: 'huge',
    objectType: 'user',
    objectId: '1',
    action: 'edit',
    originator: { id: '1', name: 'A' },
  }).slice(1, -1);

  it('1e400 and -1e400 in snapshots, element values and batches are 422 at their JSON pointer (they used to be a 500 that invited retries)', async () => {
    const account = await newAccount();
    const before = await stored(account);
    const snapshot = await post(account, `{${head},"before":{"n":1e400,"list":[1,-1e400]},"after":{"n":1}}`);
    expectProblem(snapshot, 422, [tooLarge('/before/n'), tooLarge('/before/list/1')]);
    expect(snapshot.json.detail).toMatch(/cannot be stored as they were sent; nothing was stored/);
    expectProblem(await post(account, `{${head},"elements":[{"element":"e","oldValue":{"deep":[{"x":1E999}]},"newValue":-1e309}]}`), 422, [
      tooLarge('/elements/0/oldValue/deep/0/x'),
      tooLarge('/elements/0/newValue'),
    ]);
    const fine = JSON.stringify(aChange()).slice(1, -1);
    const batch = `{"changes":[{${fine}},{${fine.replace(/"changeId":"[^"]+"/, '"changeId":"b-2"')}},{${head},"elements":[{"element":"e","newValue":1e400}]}]}`;
    expectProblem(await post(account, batch, true), 422, [tooLarge('/changes/2/elements/0/newValue')]);
    // A retry answers the same, and nothing of any of it is stored.
    expectProblem(await post(account, batch, true), 422, [tooLarge('/changes/2/elements/0/newValue')]);
    expect(await stored(account)).toEqual(before);
  });

  it('the largest doubles, and the same numbers sent as strings, are stored', async () => {
    const account = await newAccount();
    const res = await post(
      account,
      `{${head},"elements":[{"element":"max","newValue":1.7976931348623157e308},{"element":"min","newValue":-1.7976931348623157e308},{"element":"text","newValue":"1e400"}]}`,
    );
    expect(res.status, res.text).toBe(201);
    expect(res.json.events.map((e: { newValue: string }) => e.newValue)).toEqual([
      '1.7976931348623157e+308',
      '-1.7976931348623157e+308',
      '1e400',
    ]);
    await expectChainOk(account, 3);
  });

  it('the other JSON routes answer the same (accounts, tokens)', async () => {
    const account = await newAccount();
    expectProblem(
      await call('/v1/accounts', {
        token: OPERATOR,
        rawBody: `{"id":"${account.id}-huge","name":"n","retentionMonths":1e400}`,
        headers: json,
      }),
      422,
      [tooLarge('/retentionMonths')],
    );
    expectProblem(
      await call(`/v1/accounts/${account.id}/tokens`, {
        token: account.admin,
        rawBody: '{"name":"n","scopes":["audit:read"],"x":-1e400}',
        headers: json,
      }),
      422,
      [tooLarge('/x')],
    );
  });

  it('a 500 does not tell the client that retrying is safe', async () => {
    const account = await newAccount();
    const trigger = `fault_huge_${Date.now().toString(36)}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_events WHEN NEW.account_id = '${account.id}' BEGIN SELECT RAISE(ABORT, 'injected'); END`,
    ).run();
    try {
      const res = await call(changes(account), { token: account.writer, body: aChange() });
      expectProblem(res, 500);
      expect(res.json.detail).not.toMatch(/retrying[^.]*is safe/i);
      expect(res.json.detail).toMatch(/retrying it will not help/);
      expect(res.headers.get('retry-after')).toBeNull();
    } finally {
      await env.DB.prepare(`DROP TRIGGER IF EXISTS ${trigger}`).run();
    }
  });
});

describe('query from/to', () => {
  it('a date before 1970 is 400 naming the parameter; 1970-01-01 is accepted', async () => {
    const account = await newAccount();
    const all = await account.token(['audit:read', 'audit:export']);
    for (const path of ['events', 'objects/user/4711/events', 'events/export?format=csv']) {
      const url = (query: string) => `/v1/accounts/${account.id}/${path}${path.includes('?') ? '&' : '?'}${query}`;
      for (const [param, value] of [
        ['from', '1969-12-31'],
        ['to', '1969-12-31T23:59:59Z'],
        ['from', '0000-01-01'],
        ['to', '0001-01-01'],
      ] as const) {
        const res = await call(url(`${param}=${value}`), { token: all });
        expectProblem(res, 400, [{ path: `query.${param}`, message: 'must not be before 1970' }]);
      }
      expect((await call(url('from=1970-01-01&to=1970-01-01T00:00:00Z'), { token: all })).status).toBe(200);
    }
  });

  it('to=9999-12-31 is answered 2xx on every reading route (it used to be a 500), and includes what was recorded today', async () => {
    const account = await newAccount({ timezone: 'Pacific/Kiritimati' });
    const all = await account.token(['audit:read', 'audit:export']);
    expect((await call(changes(account), { token: account.writer, body: aChange() })).status).toBe(201);
    const base = `/v1/accounts/${account.id}`;
    for (const query of ['to=9999-12-31', 'from=2020-01-01&to=9999-12-31']) {
      const list = await call(`${base}/events?${query}`, { token: all });
      expect(list.status, list.text).toBe(200);
      expect(list.json.events).toHaveLength(1);
      const history = await call(`${base}/objects/user/4711/events?${query}`, { token: all });
      expect(history.status, history.text).toBe(200);
      expect(history.json.events).toHaveLength(1);
      for (const format of ['csv', 'ndjson', 'xlsx']) {
        const file = await call(`${base}/events/export?format=${format}&${query}`, { token: all });
        expect(file.status, `${format}: ${file.text.slice(0, 300)}`).toBe(200);
      }
    }
    const from = await call(`${base}/events?from=9999-12-31`, { token: all });
    expect(from.status, from.text).toBe(200);
    expect(from.json.events).toEqual([]);
  });
});

describe('GET .../verify ranges', () => {
  it('fromSeq after toSeq is 400; fromSeq beyond the head is ok with nothing checked (it used to report a broken chain)', async () => {
    const account = await newAccount();
    const res = await call(changes(account, true), { token: account.writer, body: { changes: [aChange(), aChange(), aChange()] } });
    expect(res.status, res.text).toBe(201);
    const verify = (query: string) => call(`/v1/accounts/${account.id}/verify?${query}`, { token: account.reader });

    expectProblem(await verify('fromSeq=3&toSeq=2'), 400, [{ path: 'query.fromSeq', message: 'is after query.toSeq' }]);
    expectProblem(await verify('fromSeq=60&toSeq=50'), 400, [{ path: 'query.fromSeq', message: 'is after query.toSeq' }]);

    const head = await env.DB.prepare('SELECT chain_seq AS seq, chain_hash AS hash FROM accounts WHERE id = ?').bind(account.id).first();
    for (const query of ['fromSeq=4', 'fromSeq=5', 'fromSeq=50', 'fromSeq=50&toSeq=60', 'fromSeq=9007199254740991']) {
      const beyond = await verify(query);
      expect(beyond.status, `${query}: ${beyond.text}`).toBe(200);
      expect(beyond.json, `${query}: ${beyond.text}`).toMatchObject({
        ok: true,
        checked: 0,
        firstBrokenSeq: null,
        reason: null,
        detail: null,
        head,
      });
    }
    // Within the chain, the range is checked as asked.
    expect((await verify('fromSeq=3')).json).toMatchObject({ ok: true, checked: 1, fromSeq: 3, toSeq: 3 });
    expect((await verify('fromSeq=2&toSeq=2')).json).toMatchObject({ ok: true, checked: 1 });
  });
});

describe(`events per request: at most ${LIMITS.eventsPerRequest.toLocaleString('en-US')}`, () => {
  it('a batch that would record one event too many is 413 and stores nothing; the same batch without it is stored whole', async () => {
    expect(LIMITS.eventsPerRequest).toBe(20_000);
    const account = await newAccount();
    const perChange = LIMITS.elementsPerChange;
    const full = Array.from({ length: LIMITS.eventsPerRequest / perChange }, (_, c) =>
      aChange({
        changeId: `cap-${c}`,
        objectId: String(c),
        elements: Array.from({ length: perChange }, (_, e) => ({ element: `e${e}`, newValue: String(e) })),
      }),
    );
    // The 20,001st event is derived, not sent: an add whose snapshot names no known field is
    // still recorded, as one "Object" event.
    const extra = aChange({ changeId: 'cap-extra', action: 'add', objectId: 'x', elements: undefined, after: {} });
    const before = await stored(account);
    const over = await call(changes(account, true), { token: account.writer, body: { changes: [...full, extra] } });
    expectProblem(over, 413, [{ path: '/', message: `more than ${LIMITS.eventsPerRequest} events` }]);
    expect(await stored(account), 'nothing stored').toEqual(before);

    const alone = await call(changes(account), { token: account.writer, body: extra });
    expect(alone.status, alone.text).toBe(201);
    expect(alone.json.events.map((e: { element: string }) => e.element)).toEqual(['Object']);

    const at = await call(changes(account, true), { token: account.writer, body: { changes: full } });
    expect(at.status, at.text.slice(0, 300)).toBe(201);
    expect(at.json).toMatchObject({ created: full.length, replayed: 0, events: LIMITS.eventsPerRequest });
    expect((await stored(account)).events).toBe(LIMITS.eventsPerRequest + 1);
  }, 60_000);
});
