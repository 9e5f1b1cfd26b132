// Recording changes: snapshots and explicit elements, secrets, idempotency, all-or-nothing
// batches and every kind of bad input, through the real Worker and D1.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { aChange, call, changeId, newAccount } from './support';

const changes = (id: string) => `/v1/accounts/${id}/changes`;
const batch = (id: string) => `/v1/accounts/${id}/changes/batch`;
const countEvents = async (accountId: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM audit_events WHERE account_id = ?').bind(accountId).first<{ n: number }>())!.n;

const janeBefore = {
  id: 4711,
  loginName: 'jane.doe',
  fullName: 'Jane Doe',
  nickname: 'Jane',
  email: 'jane@acme.example',
  passwordSh: 'S3cret-Old!pass',
  isEnabled: true,
  maxChats: 3,
  skillIds: [101, 102],
  profileIds: [301],
  lobIds: [],
  memberOf: { agentGroupId: 201, assignmentDate: '2026-01-01 10:00:00' },
  managerOf: [],
};

async function seedNames(account: Awaited<ReturnType<typeof newAccount>>) {
  const add = (objectType: string, objectId: string, name: string) => ({
    changeId: changeId('seed'),
    objectType,
    objectId,
    action: 'add',
    originator: { id: '1', name: 'Setup' },
    after: { name },
  });
  const res = await call(batch(account.id), {
    token: account.writer,
    body: {
      changes: [
        add('skill', '101', 'Billing'),
        add('skill', '102', 'Sales'),
        add('skill', '103', 'Retention'),
        add('agentGroup', '201', 'Tier 1'),
        add('agentGroup', '202', 'Tier 2'),
        add('profile', '301', 'Agent'),
      ],
    },
  });
  expect(res.status, res.text).toBe(201);
}

describe('POST .../changes', () => {
  it('records explicit elements as one event each', async () => {
    const account = await newAccount();
    const body = aChange({
      occurredAt: '2026-11-26T09:15:00+01:00',
      elements: [
        { element: 'Member of', oldValue: 'Tier 1', newValue: 'Tier 2' },
        { element: 'Max chats', oldValue: 3, newValue: 5 },
      ],
    });
    const res = await call(changes(account.id), { token: account.writer, body });
    expect(res.status, res.text).toBe(201);
    expect(res.json.replayed).toBe(false);
    expect(res.json.events).toHaveLength(2);
    expect(res.json.events[0]).toMatchObject({
      accountId: account.id,
      changeId: body.changeId,
      objectType: 'user',
      objectId: '4711',
      objectName: 'Jane Doe',
      action: 'edit',
      element: 'Member of',
      valueType: 'text',
      oldValue: 'Tier 1',
      newValue: 'Tier 2',
      redacted: false,
      occurredAt: '2026-11-26T08:15:00.000Z',
      originator: { id: '17', name: 'Admin Amy' },
    });
    expect(res.json.events[1]).toMatchObject({ element: 'Max chats', valueType: 'number', oldValue: '3', newValue: '5' });
    expect(res.json.events[0].id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('derives one event per changed user element from snapshots, with names from history', async () => {
    const account = await newAccount();
    await seedNames(account);
    const after = {
      ...janeBefore,
      fullName: 'Jane Roe',
      email: 'jane.roe@acme.example',
      passwordSh: 'N3w-Secret!pass',
      maxChats: 5,
      isEnabled: false,
      skillIds: [102, 103],
      memberOf: { agentGroupId: 202, assignmentDate: '2026-11-26 09:00:00' },
      managerOf: [{ agentGroupId: 201, assignmentDate: '2026-11-26 09:00:00' }],
    };
    const res = await call(changes(account.id), {
      token: account.writer,
      body: {
        changeId: changeId(),
        objectType: 'user',
        objectId: 4711,
        action: 'edit',
        originator: { id: 17, name: 'Admin Amy' },
        before: janeBefore,
        after,
      },
    });
    expect(res.status, res.text).toBe(201);
    const byElement = Object.fromEntries(res.json.events.map((e: any) => [e.element, e]));
    expect(Object.keys(byElement).sort()).toEqual(
      ['Email', 'Enabled', 'Manager of', 'Max chats', 'Member of', 'Name', 'Password', 'Skills'].sort(),
    );
    expect(res.json.events[0].objectName).toBe('Jane Roe');
    expect(byElement['Member of']).toMatchObject({ oldValue: 'Tier 1 (201)', newValue: 'Tier 2 (202)' });
    expect(byElement['Skills']).toMatchObject({ valueType: 'list', oldValue: '["Billing (101)"]', newValue: '["Retention (103)"]' });
    expect(byElement['Manager of']).toMatchObject({ valueType: 'list', oldValue: '[]', newValue: '["Tier 1 (201)"]' });
    expect(byElement['Enabled']).toMatchObject({ valueType: 'boolean', oldValue: 'true', newValue: 'false' });
    expect(byElement['Password']).toMatchObject({ redacted: true, oldValue: null, newValue: null });
  });

  it('names an object from its history when a change does not, or by its id when nothing knows it', async () => {
    const account = await newAccount();
    await call(changes(account.id), {
      token: account.writer,
      body: aChange({ objectType: 'skill', objectId: '55', objectName: 'Billing' }),
    });
    const unnamed = await call(changes(account.id), {
      token: account.writer,
      body: aChange({ objectType: 'skill', objectId: '55', objectName: undefined }),
    });
    expect(unnamed.json.events[0].objectName).toBe('Billing');
    const unknown = await call(changes(account.id), {
      token: account.writer,
      body: aChange({ objectType: 'skill', objectId: '56', objectName: undefined }),
    });
    expect(unknown.json.events[0].objectName).toBe('56');
  });

  it('never stores a password or secret, not even hashed, in any table', async () => {
    const account = await newAccount();
    const secrets = ['S3cret-Old!pass', 'N3w-Secret!pass', 'explicit-secret-value', 'nested-api-key-value'];
    await call(changes(account.id), {
      token: account.writer,
      body: {
        changeId: changeId(),
        objectType: 'user',
        objectId: '1',
        action: 'edit',
        originator: { id: '1', name: 'A' },
        before: { ...janeBefore, passwordSh: secrets[0], integration: { apiKey: 'x' } },
        after: { ...janeBefore, passwordSh: secrets[1], integration: { apiKey: secrets[3] } },
      },
    });
    await call(changes(account.id), {
      token: account.writer,
      body: aChange({ elements: [{ element: 'Password', oldValue: 'whatever', newValue: secrets[2] }] }),
    });
    const hashes = await Promise.all(
      secrets.map(async (s) =>
        [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)))]
          .map((b) => b.toString(16).padStart(2, '0'))
          .join(''),
      ),
    );
    const { results: tables } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'").all<{
      name: string;
    }>();
    let dump = '';
    for (const { name } of tables) dump += JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
    for (const needle of [...secrets, ...hashes]) expect(dump).not.toContain(needle);
    // The change is still on record, redacted.
    const events = await call(`/v1/accounts/${account.id}/events?element=Password`, { token: account.reader });
    expect(events.json.events).toHaveLength(2);
    expect(events.json.events.every((e: any) => e.redacted && e.oldValue === null && e.newValue === null)).toBe(true);
  });

  it('add and delete leave a trace; an edit that changes nothing records nothing', async () => {
    const account = await newAccount();
    const add = await call(changes(account.id), {
      token: account.writer,
      body: {
        changeId: changeId(),
        objectType: 'skill',
        objectId: '9',
        action: 'add',
        originator: { id: '1', name: 'A' },
        after: { name: 'VIP', maxWaitTime: 30 },
      },
    });
    expect(add.status).toBe(201);
    expect(add.json.events.map((e: any) => [e.element, e.oldValue, e.newValue])).toEqual([
      ['Name', null, 'VIP'],
      [expect.any(String), null, '30'],
    ]);
    const noop = await call(changes(account.id), {
      token: account.writer,
      body: {
        changeId: changeId(),
        objectType: 'skill',
        objectId: '9',
        action: 'edit',
        originator: { id: '1', name: 'A' },
        before: { name: 'VIP' },
        after: { name: 'VIP' },
      },
    });
    expect(noop.status).toBe(201);
    expect(noop.json.events).toEqual([]);
    const del = await call(changes(account.id), {
      token: account.writer,
      body: {
        changeId: changeId(),
        objectType: 'skill',
        objectId: '9',
        action: 'delete',
        originator: { id: '1', name: 'A' },
        before: { name: 'VIP' },
      },
    });
    expect(del.json.events).toMatchObject([{ action: 'delete', objectName: 'VIP', element: 'Name', oldValue: 'VIP', newValue: null }]);
  });

  it('is idempotent by changeId: a replay answers 200 with the stored events, a different body 409', async () => {
    const account = await newAccount();
    const body = aChange();
    const first = await call(changes(account.id), { token: account.writer, body });
    const replay = await call(changes(account.id), { token: account.writer, body: { ...body } });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(200);
    expect(replay.json.replayed).toBe(true);
    expect(replay.json.events).toEqual(first.json.events);
    const different = await call(changes(account.id), { token: account.writer, body: { ...body, objectName: 'Someone Else' } });
    expect(different.status).toBe(409);
    expect(different.json.errors).toEqual([{ path: '/changeId', message: 'was already used for a different change' }]);
    expect(await countEvents(account.id)).toBe(1);
  });

  it('concurrent replays of one change store it once', async () => {
    const account = await newAccount();
    const body = aChange({
      elements: [
        { element: 'Name', oldValue: 'a', newValue: 'b' },
        { element: 'Email', oldValue: 'c', newValue: 'd' },
      ],
    });
    const answers = await Promise.all(Array.from({ length: 12 }, () => call(changes(account.id), { token: account.writer, body })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => JSON.stringify(a.json.events))).size).toBe(1);
    expect(await countEvents(account.id)).toBe(2);
  });

  it('refuses occurredAt before auditing was enabled or more than 5 minutes ahead (422)', async () => {
    const account = await newAccount({ auditEnabledAt: '2026-01-01T00:00:00Z' });
    const early = await call(changes(account.id), { token: account.writer, body: aChange({ occurredAt: '2025-12-31T23:59:59Z' }) });
    expect(early.status).toBe(422);
    expect(early.json.errors[0].path).toBe('/occurredAt');
    expect(early.json.errors[0].message).toMatch(/before auditing was enabled/);
    const future = await call(changes(account.id), {
      token: account.writer,
      body: aChange({ occurredAt: new Date(Date.now() + 6 * 60_000).toISOString() }),
    });
    expect(future.status).toBe(422);
    expect(future.json.errors[0].message).toMatch(/future/);
    const nearFuture = await call(changes(account.id), {
      token: account.writer,
      body: aChange({ occurredAt: new Date(Date.now() + 60_000).toISOString() }),
    });
    expect(nearFuture.status).toBe(201);
    expect(await countEvents(account.id)).toBe(1);
  });

  it('answers every malformed body with a problem naming what and where', async () => {
    const account = await newAccount();
    const send = (init: { rawBody?: string; body?: unknown; headers?: Record<string, string> }) =>
      call(changes(account.id), {
        token: account.writer,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        ...init,
      });

    const malformed = await send({ rawBody: '{"changeId": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.detail).toMatch(/not valid JSON/);

    const empty = await send({ rawBody: '' });
    expect(empty.status).toBe(400);

    const notJson = await send({ rawBody: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(notJson.status).toBe(415);

    const badUtf8 = await call(changes(account.id), {
      token: account.writer,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      rawBody: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(badUtf8.status).toBe(400);

    const wrong = await send({
      body: {
        changeId: 42.5,
        objectType: 'planet',
        objectId: '',
        action: 'rename',
        originator: { id: '1' },
        elements: [{ element: 5 }],
        extra: true,
      },
    });
    expect(wrong.status).toBe(422);
    const paths = wrong.json.errors.map((e: any) => e.path);
    for (const path of ['/changeId', '/objectType', '/objectId', '/action', '/originator/name', '/elements/0/element', '/extra'])
      expect(paths).toContain(path);
    expect(wrong.json.errors.find((e: any) => e.path === '/objectType').message).toMatch(/user/);

    const both = await send({ body: aChange({ before: {}, after: {} }) });
    expect(both.status).toBe(422);
    const neither = await send({ body: aChange({ elements: undefined }) });
    expect(neither.status).toBe(422);
    const addWithBefore = await send({
      body: aChange({ action: 'add', elements: undefined, before: { name: 'x' }, after: { name: 'y' } }),
    });
    expect(addWithBefore.json.errors).toEqual([{ path: '/before', message: 'an add has no before snapshot' }]);

    const array = await send({ rawBody: '[1,2]' });
    expect(array.status).toBe(422);

    const huge = await send({ rawBody: JSON.stringify(aChange({ objectName: 'x'.repeat(1024 * 1024) })) });
    expect(huge.status).toBe(413);

    const longValue = await send({ body: aChange({ elements: [{ element: 'Text', oldValue: 'x'.repeat(70_000) }] }) });
    expect(longValue.status).toBe(422);
    expect(longValue.json.errors[0].path).toBe('/elements/0/oldValue');

    expect(await countEvents(account.id)).toBe(0);
  });
});

describe('POST .../changes/batch', () => {
  it('stores a valid batch in one go and reports what it did', async () => {
    const account = await newAccount();
    const body = { changes: Array.from({ length: 300 }, (_, i) => aChange({ objectId: String(i) })) };
    const res = await call(batch(account.id), { token: account.writer, body });
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ created: 300, replayed: 0, events: 300 });
    const replay = await call(batch(account.id), { token: account.writer, body });
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ created: 0, replayed: 300, events: 0 });
    expect(await countEvents(account.id)).toBe(300);
  });

  it('one bad change means nothing is stored, and every bad path is listed', async () => {
    const account = await newAccount();
    const good = Array.from({ length: 10 }, () => aChange());
    const body = {
      changes: [
        ...good.slice(0, 3),
        aChange({ objectType: 'planet' }),
        ...good.slice(3, 7),
        aChange({ elements: [] }),
        aChange({ occurredAt: 'yesterday' }),
        ...good.slice(7),
      ],
    };
    const res = await call(batch(account.id), { token: account.writer, body });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: any) => e.path)).toEqual(['/changes/3/objectType', '/changes/8/elements', '/changes/9/occurredAt']);
    expect(await countEvents(account.id)).toBe(0);

    const late = await call(batch(account.id), {
      token: account.writer,
      body: { changes: [...good, aChange({ occurredAt: '2019-01-01T00:00:00Z' })] },
    });
    expect(late.status).toBe(422);
    expect(late.json.errors.map((e: any) => e.path)).toEqual(['/changes/10/occurredAt']);
    expect(await countEvents(account.id)).toBe(0);
  });

  it('a changeId reused with another body fails the whole batch (409); repeated identical changes store once', async () => {
    const account = await newAccount();
    const stored = aChange();
    await call(changes(account.id), { token: account.writer, body: stored });
    const fresh = aChange();
    const res = await call(batch(account.id), { token: account.writer, body: { changes: [fresh, { ...stored, objectName: 'changed' }] } });
    expect(res.status).toBe(409);
    expect(res.json.errors).toEqual([{ path: '/changes/1/changeId', message: 'was already used for a different change' }]);
    expect(await countEvents(account.id)).toBe(1);

    const twice = await call(batch(account.id), { token: account.writer, body: { changes: [fresh, fresh, stored] } });
    expect(twice.status).toBe(201);
    expect(twice.json).toMatchObject({ created: 1, replayed: 2 });
    expect(await countEvents(account.id)).toBe(2);

    const clash = await call(batch(account.id), {
      token: account.writer,
      body: { changes: [aChange({ changeId: 'same' }), aChange({ changeId: 'same', objectId: '2' })] },
    });
    expect(clash.status).toBe(422);
    expect(clash.json.errors).toEqual([
      { path: '/changes/1/changeId', message: 'repeats the changeId of /changes/0 with a different body' },
    ]);
  });

  it('limits a batch to 1,000 changes', async () => {
    const account = await newAccount();
    const res = await call(batch(account.id), { token: account.writer, body: { changes: Array.from({ length: 1001 }, () => aChange()) } });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: '/changes', message: 'at most 1000 changes a batch' }]);
    const full = await call(batch(account.id), { token: account.writer, body: { changes: Array.from({ length: 1000 }, () => aChange()) } });
    expect(full.status).toBe(201);
    expect(await countEvents(account.id)).toBe(1000);
  });
});
