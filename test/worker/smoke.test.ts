import { describe, expect, it } from 'vitest';
import { aChange, call, newAccount } from './support';

describe('smoke', () => {
  it('records and reads a change', async () => {
    const account = await newAccount();
    const res = await call(`/v1/accounts/${account.id}/changes`, { token: account.writer, body: aChange() });
    expect(res.status, res.text).toBe(201);
    const page = await call(`/v1/accounts/${account.id}/events`, { token: account.reader });
    expect(page.status, page.text).toBe(200);
    expect(page.json.events).toHaveLength(1);
  });
});
