// HTTP semantics every route shares: query parameters named like Object.prototype's members
// are plain unknown parameters (they used to answer "given more than once"), HEAD answers
// like GET without a body (it used to be 404), and what may be cached is said explicitly
// (JSON reads used to carry no Cache-Control at all).
import { describe, expect, it } from 'vitest';
import { aChange, call, newAccount } from './support';

describe('query parameters named like Object.prototype members', () => {
  it('are unknown parameters (400 naming them), not "given more than once"', async () => {
    const account = await newAccount();
    const all = await account.token(['audit:read', 'audit:export', 'account:admin']);
    for (const path of ['events', 'objects/user/4711/events', 'events/export', 'verify', 'checkpoints', 'access-log']) {
      for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
        const res = await call(`/v1/accounts/${account.id}/${path}?${name}=1`, { token: all });
        expect(res.status, `${path}?${name}: ${res.text}`).toBe(400);
        expect(res.json.errors, `${path}?${name}`).toEqual([{ path: `query.${name}`, message: 'is not a known parameter' }]);
      }
    }
    // A parameter really given twice is still named as such.
    const twice = await call(`/v1/accounts/${account.id}/events?limit=1&limit=2`, { token: all });
    expect(twice.json.errors).toEqual([{ path: 'query.limit', message: 'given more than once; use a comma-separated list' }]);
  });
});

/** GET and HEAD of the same URL: HEAD has GET's status and headers and no body. */
async function expectHeadLikeGet(path: string, token?: string) {
  const get = await call(path, { token });
  const head = await call(path, { token, method: 'HEAD' });
  expect(head.status, `HEAD ${path}`).toBe(get.status);
  expect(head.text, `HEAD ${path} has no body`).toBe('');
  for (const name of [
    'content-type',
    'cache-control',
    'link',
    'content-disposition',
    'x-total-count',
    'access-control-allow-origin',
    'www-authenticate',
  ])
    expect(head.headers.get(name), `HEAD ${path}: ${name}`).toBe(get.headers.get(name));
  if (!get.headers.has('content-disposition'))
    expect(head.headers.get('content-length'), `HEAD ${path}`).toBe(String(new TextEncoder().encode(get.text).byteLength));
  return { get, head };
}

describe('HEAD', () => {
  it('answers every kind of GET route like GET, without a body', async () => {
    const account = await newAccount();
    const all = await account.token(['audit:read', 'audit:export', 'account:admin']);
    const recorded = await call(`/v1/accounts/${account.id}/changes/batch`, {
      token: account.writer,
      body: { changes: [aChange(), aChange()] },
    });
    expect(recorded.status, recorded.text).toBe(201);

    for (const path of ['/healthz', '/openapi.json', '/v1/keys']) expect((await expectHeadLikeGet(path)).head.status).toBe(200);
    const base = `/v1/accounts/${account.id}`;
    for (const path of [
      base,
      `${base}/me`,
      `${base}/tokens`,
      `${base}/events?limit=1`,
      `${base}/objects/user/4711/events`,
      `${base}/verify`,
      `${base}/access-log`,
    ])
      expect((await expectHeadLikeGet(path, all)).head.status, path).toBe(200);
    expect((await expectHeadLikeGet(`${base}/events?limit=1`, all)).head.headers.get('link')).toMatch(/rel="next"/);

    // Exports: the download's headers, the body never streamed.
    for (const format of ['xlsx', 'csv', 'ndjson']) {
      const { head } = await expectHeadLikeGet(`${base}/events/export?format=${format}`, all);
      expect(head.status).toBe(200);
      expect(head.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename=".*\\.${format}"`));
    }

    // Problems too: the same status and headers as GET.
    expect((await expectHeadLikeGet(`${base}/events`)).head.status).toBe(401);
    expect((await expectHeadLikeGet(`${base}/events?limit=0`, all)).head.status).toBe(400);
    expect((await expectHeadLikeGet('/v1/accounts/nobody/events', all)).head.status).toBe(404);
    expect((await expectHeadLikeGet('/no/such/route')).head.status).toBe(404);
  });
});

describe('Cache-Control', () => {
  it('JSON reads, problems and exports are no-store; /openapi.json and /v1/keys may be cached briefly', async () => {
    const account = await newAccount();
    const all = await account.token(['audit:read', 'audit:export', 'account:admin']);
    const base = `/v1/accounts/${account.id}`;
    const write = await call(`${base}/changes`, { token: account.writer, body: aChange() });
    expect(write.status).toBe(201);
    expect(write.headers.get('cache-control')).toBe('no-store');

    for (const path of [
      '/healthz',
      base,
      `${base}/me`,
      `${base}/tokens`,
      `${base}/events`,
      `${base}/objects/user/4711/events`,
      `${base}/verify`,
      `${base}/checkpoints`,
      `${base}/access-log`,
      `${base}/events/export?format=csv`,
    ]) {
      const res = await call(path, { token: all });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    for (const [path, token] of [
      [`${base}/events`, undefined],
      [`${base}/events?limit=0`, all],
      ['/v1/accounts/nobody', all],
      ['/nowhere', undefined],
    ] as const) {
      const res = await call(path, { token });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    expect((await call('/openapi.json')).headers.get('cache-control')).toBe('public, max-age=300');
    expect((await call('/v1/keys')).headers.get('cache-control')).toBe('public, max-age=60');
  });
});
