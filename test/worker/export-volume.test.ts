// Exports at volume: the Excel cap at its edge (exactly 100,000 rows export, 100,001 are
// refused with 422, CSV takes them all) and a download that starts before its rows are read. Rows are seeded straight into D1 by one recursive INSERT (no
// hashing, no JSON), which keeps these tests to seconds on a 2-core CI runner.
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { newAccount } from './support';

const CAP = 100_000;
const BASE = Date.now() - 30 * 86_400_000;

/** Rows seq `from`..`to` (event i occurred i seconds after BASE), and the chain head moved
 *  to `to`: exports read the events up to the head, as they would after real appends. */
async function seed(accountId: string, from: number, to: number) {
  await env.DB.batch([
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
       INSERT INTO audit_events (account_id, id, seq, change_id, object_type, object_id, object_name, action, element,
                                 value_type, old_value, new_value, redacted, occurred_at, recorded_at, originator_id,
                                 originator_name, prev_hash, hash)
       SELECT ?1, printf('%s-%08d', ?1, i), i, printf('c-%d', i), 'user', printf('%d', i % 500), printf('User %d', i % 500),
              'edit',
              CASE i % 4 WHEN 0 THEN 'Max chats' WHEN 1 THEN 'Member of' WHEN 2 THEN 'Skills' ELSE 'Enabled' END,
              CASE i % 4 WHEN 0 THEN 'number' WHEN 1 THEN 'text' WHEN 2 THEN 'list' ELSE 'boolean' END,
              CASE i % 4 WHEN 0 THEN printf('%d', i % 7) WHEN 1 THEN 'Tier 1 agents' WHEN 2 THEN '["Sales (12)"]' ELSE 'true' END,
              CASE i % 4 WHEN 0 THEN printf('%d', i % 7 + 1) WHEN 1 THEN 'Tier 2 agents' WHEN 2 THEN '["Support (14)","VIP (3)"]' ELSE 'false' END,
              0, ?4 + i * 1000, ?4 + i * 1000, '17', 'Admin Amy', '', ''
       FROM n`,
    ).bind(accountId, from, to, BASE),
    env.DB.prepare('UPDATE accounts SET chain_seq = ?2 WHERE id = ?1').bind(accountId, to),
  ]);
}

async function download(path: string, token: string) {
  const response = await exports.default.fetch(new Request(`https://audit.test${path}`, { headers: { authorization: `Bearer ${token}` } }));
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe('the xlsx cap', () => {
  let account: Awaited<ReturnType<typeof newAccount>>;
  const exportPath = (query: string) => `/v1/accounts/${account.id}/events/export?${query}`;

  beforeAll(async () => {
    account = await newAccount({ timezone: 'UTC' });
    await seed(account.id, 1, CAP);
  });

  it('exports exactly 100,000 rows as xlsx', async () => {
    const { response, bytes } = await download(exportPath('format=xlsx'), account.exporter);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe(String(CAP));
    const sheet = strFromU8(unzipSync(bytes, { filter: (file) => file.name === 'xl/worksheets/sheet1.xml' })['xl/worksheets/sheet1.xml']!);
    expect(sheet.match(/<row /g)).toHaveLength(CAP + 1);
    expect(sheet).toContain(`<autoFilter ref="A1:M${CAP + 1}"/>`);
    // Newest first: the last seeded event leads, the first one closes.
    const firstRow = /<row r="2">(.*?)<\/row>/.exec(sheet)![1]!;
    expect(firstRow).toContain(`<t>c-${CAP}</t>`);
    expect(firstRow).toContain('<c r="E2"><v>5</v></c>'); // 100000 % 7 = 5, a number cell
    const lastRow = new RegExp(`<row r="${CAP + 1}">(.*?)</row>`).exec(sheet)![1]!;
    expect(lastRow).toContain('<t>c-1</t>');
    expect(lastRow).toContain('<t>Tier 2 agents</t>');
  });

  it('refuses 100,001 rows with a 422 that says how many matched and what to do', async () => {
    await seed(account.id, CAP + 1, CAP + 1);
    const { response, bytes } = await download(exportPath('format=xlsx'), account.exporter);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = JSON.parse(new TextDecoder().decode(bytes));
    expect(problem.detail).toContain('100,001 events match');
    expect(problem.detail).toMatch(/time range/);
    expect(problem.detail).toMatch(/format=csv/);
    expect(problem.detail).toMatch(/ndjson/);
    expect(problem.detail).toMatch(/paged API/);
    expect(problem.errors).toEqual([{ path: 'query.format', message: expect.stringContaining('100,001') }]);
  });

  it('streams all 100,001 rows as CSV, which has no cap', async () => {
    const { response, bytes } = await download(exportPath('format=csv'), account.exporter);
    expect(response.status).toBe(200);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(CAP + 1 + 1 + 1); // header, rows, and the empty rest after the last CRLF
    expect(lines[1]).toContain(`,c-${CAP + 1}`);
    expect(lines.at(-2)).toContain(',c-1');
  });
});

describe('streaming', () => {
  it('starts the download before the last row is read', async () => {
    const account = await newAccount();
    await seed(account.id, 1, 20_000);
    const response = await exports.default.fetch(
      new Request(`https://audit.test/v1/accounts/${account.id}/events/export?format=csv`, {
        headers: { authorization: `Bearer ${account.exporter}` },
      }),
    );
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    // The download has begun. Take the rows away: whatever is still to come can only be
    // what was read before this point, so far fewer than 20,000 rows arrive.
    await env.DB.prepare('DELETE FROM audit_events WHERE account_id = ?').bind(account.id).run();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const rows = text.split('\r\n').length - 2;
    expect(rows).toBeGreaterThanOrEqual(0);
    expect(rows).toBeLessThan(6_000);
  });
});
