// Path parameters: decoded exactly once, account ids from a safe alphabet, and object ids
// of any character reachable through the history route (issue 8, item 4).
import { describe, expect, it } from 'vitest';
import { aChange, call, newAccount, OPERATOR } from './support';

const unique = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`;

describe('account ids', () => {
  it('are refused at creation outside the documented alphabet, naming /id', async () => {
    for (const id of ['é', 'A/B', '?x', '.', '..', 'X%2F1', 'a b', '-lead', '_lead', 'a.b', 'x'.repeat(65), '']) {
      const res = await call('/v1/accounts', { token: OPERATOR, body: { id, name: 'Bad' } });
      expect(res.status, id).toBe(422);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.errors, id).toEqual([{ path: '/id', message: expect.stringMatching(/letters .*digits/) }]);
    }
  });

  it('made of digits, letters, "_" and "-" are created, and the Location header leads to the account', async () => {
    for (const id of [unique(), `Acme_${unique()}-x`, 'z'.repeat(40) + unique()]) {
      const created = await call('/v1/accounts', { token: OPERATOR, body: { id, name: 'Good' } });
      expect(created.status, created.text).toBe(201);
      const location = created.headers.get('location')!;
      const read = await call(location, { token: OPERATOR });
      expect(read.status, location).toBe(200);
      expect(read.json.id).toBe(id);
    }
  });
});

describe('path parameters', () => {
  it('are percent-decoded exactly once', async () => {
    const id = `enc-${unique()}`;
    expect((await call('/v1/accounts', { token: OPERATOR, body: { id, name: 'Encoded' } })).status).toBe(201);
    const encoded = id.replace('-', '%2D');
    // The operator's token for the encoded path is made for the account it decodes to.
    const token = await call(`/v1/accounts/${encoded}/tokens`, { token: OPERATOR, body: { name: 'r', scopes: ['audit:read'] } });
    expect(token.status, token.text).toBe(201);
    const me = await call(`/v1/accounts/${id}/me`, { token: token.json.token });
    expect(me.json.accountId).toBe(id);
    expect((await call(`/v1/accounts/${encoded}/me`, { token: token.json.token })).json.accountId).toBe(id);
    // Decoded once only: %252D is the three characters "%2D", another (unknown) account.
    const twice = await call(`/v1/accounts/${id.replace('-', '%252D')}`, { token: OPERATOR });
    expect(twice.status).toBe(404);
    expect(twice.json.detail).toContain(`"${id.replace('-', '%2D')}"`);
  });

  it('with a malformed escape are 400 naming the parameter', async () => {
    const account = await newAccount();
    for (const [path, where] of [
      ['/v1/accounts/%E0%A4%A', 'path.accountId'],
      ['/v1/accounts/%ZZ/me', 'path.accountId'],
      [`/v1/accounts/${account.id}/objects/user/%E0%A4%A/events`, 'path.objectId'],
      [`/v1/accounts/${account.id}/tokens/%C0%AF`, 'path.tokenId'],
    ] as const) {
      const res = await call(path, { token: account.admin, method: path.includes('/tokens/') ? 'DELETE' : 'GET' });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.errors, path).toEqual([{ path: where, message: expect.stringMatching(/percent-encoded/) }]);
    }
  });
});

describe('object ids', () => {
  const ids = ['a/b', 'é', '100%', '%2F', 'x%41', 'a?b#c', 'a+b&c=d', 'a/../b', '..x', '.hidden', 'ü/ñ/日本', '\\'];

  it('of any character round-trip through the history route when encoded with encodeURIComponent', async () => {
    const account = await newAccount();
    const body = { changes: ids.map((objectId) => aChange({ objectId, objectName: `Object ${objectId}` })) };
    const written = await call(`/v1/accounts/${account.id}/changes/batch`, { token: account.writer, body });
    expect(written.status, written.text).toBe(201);
    for (const objectId of ids) {
      const res = await call(`/v1/accounts/${account.id}/objects/user/${encodeURIComponent(objectId)}/events`, { token: account.reader });
      expect(res.status, `${objectId}: ${res.text}`).toBe(200);
      expect(
        res.json.events.map((e: { objectId: string }) => e.objectId),
        objectId,
      ).toEqual([objectId]);
    }
  });

  it('"." and ".." cannot be path segments (URL parsers drop them, even as %2E); the list route finds them', async () => {
    const account = await newAccount();
    const body = { changes: ['.', '..'].map((objectId) => aChange({ objectId })) };
    expect((await call(`/v1/accounts/${account.id}/changes/batch`, { token: account.writer, body })).status).toBe(201);
    // workerd resolves ".."/"%2E%2E" like a browser: this is another path, never another object's history.
    const dotted = await call(`/v1/accounts/${account.id}/objects/user/%2E%2E/events`, { token: account.reader });
    expect(dotted.status).toBe(404);
    for (const objectId of ['.', '..']) {
      const res = await call(`/v1/accounts/${account.id}/events?objectType=user&objectId=${encodeURIComponent(objectId)}`, {
        token: account.reader,
      });
      expect(res.status).toBe(200);
      expect(res.json.events.map((e: { objectId: string }) => e.objectId)).toEqual([objectId]);
    }
  });
});
