// The simulated LivePerson (scripts/liveperson-sim) over real HTTP: requests signed the way a
// client signs them (oauth-1.0a + HMAC-SHA1), the export's three CSV blocks read back with
// csv-parse, time zones, faults in order, and a 250,000-row export streamed without a big heap.
import { createHmac } from 'node:crypto';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLivePersonSim, type LivePersonSim } from '../../scripts/liveperson-sim/server';

const CREDENTIALS = { consumerKey: 'app-key-1', consumerSecret: 'app-secret-1', token: 'token-1', tokenSecret: 'token-secret-1' };
type Creds = typeof CREDENTIALS;

let sim: LivePersonSim;
beforeAll(async () => {
  sim = await startLivePersonSim();
});
afterAll(() => sim.close());

const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${sim.url}/_sim${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : ((await response.json()) as unknown);
};

function signedHeaders(method: string, url: string, creds: Creds): Record<string, string> {
  const oauth = new OAuth({
    consumer: { key: creds.consumerKey, secret: creds.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  return { ...oauth.toHeader(oauth.authorize({ url, method }, { key: creds.token, secret: creds.tokenSecret })) };
}

/** CSDS first, as a client would: the account's domain is whatever it answers. */
async function domainOf(siteId: string): Promise<string> {
  const response = await fetch(`${sim.url}/api/account/${siteId}/service/accountConfigReadOnly/baseURI.json?version=1.0`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { baseURI: string };
  return body.baseURI;
}

async function exportUrl(siteId: string, query: Record<string, string>): Promise<string> {
  return `http://${await domainOf(siteId)}/api/account/${siteId}/configuration/metadata/audit/export?${new URLSearchParams(query)}`;
}

async function exportCsv(siteId: string, query: Record<string, string>, creds: Creds = CREDENTIALS): Promise<Response> {
  const url = await exportUrl(siteId, query);
  return fetch(url, { headers: signedHeaders('GET', url, creds) });
}

/** The three blocks: Search Criteria (header + row), Total Items (count), Results (header + rows). */
function blocks(text: string) {
  const rows = parse(text, { relax_column_count: true, skip_empty_lines: false, record_delimiter: '\r\n' }) as string[][];
  const at = (title: string) => rows.findIndex((row) => row.length === 1 && row[0] === title);
  const criteria = at('Search Criteria');
  const total = at('Total Items');
  const results = at('Results');
  expect([criteria, total, results]).toEqual([0, 4, 7]);
  return {
    criteria: Object.fromEntries(rows[1]!.map((name, i) => [name, rows[2]![i]])),
    total: Number(rows[total + 1]![0]),
    header: rows[results + 1]!,
    results: rows.slice(results + 2),
  };
}

const RECORD = {
  objectType: 'Skills',
  objectId: '2001000007',
  objectName: 'Billing, Refunds',
  actionType: 'Edit',
  element: 'Description',
  oldValue: 'Handles "urgent" cases',
  newValue: 'Line one\nline two, with a comma',
  originator: 'dana.levi@example.com',
  originatorEmployeeId: 'E1042',
  originatorProfiles: 'Administrator, Campaign Manager',
};

describe('simulated LivePerson', () => {
  beforeAll(async () => {
    await control('PUT', '/accounts/1001', { credentials: CREDENTIALS });
    await control('POST', '/accounts/1001/records', {
      records: [
        // 2026-01-15 00:30 UTC is still Jan 14 in New York (−05:00).
        { ...RECORD, occurredAt: '2026-01-15T00:30:00Z' },
        {
          ...RECORD,
          objectType: 'Users',
          objectId: '3001',
          objectName: 'Ana Souza',
          actionType: 'Add new',
          element: 'Nickname',
          oldValue: '',
          newValue: 'Ana',
          occurredAt: '2026-01-15T14:00:05Z',
        },
        // July: New York is −04:00.
        { ...RECORD, occurredAt: '2026-07-01T03:59:59Z' },
      ],
    });
  });

  it('answers CSDS with this server as the domain, and 404 for an unknown site', async () => {
    expect(await domainOf('1001')).toBe(new URL(sim.url).host);
    const body = await (await fetch(`${sim.url}/api/account/1001/service/accountConfigReadOnly/baseURI.json?version=1.0`)).json();
    expect(body).toEqual({ service: 'accountConfigReadOnly', account: '1001', baseURI: new URL(sim.url).host });
    const unknown = await fetch(`${sim.url}/api/account/424242/service/accountConfigReadOnly/baseURI.json?version=1.0`);
    expect(unknown.status).toBe(404);
  });

  it('gives a correctly signed request the CSV in three blocks, quoted per RFC 4180', async () => {
    const response = await exportCsv('1001', { fromDate: '2026-01-15', toDate: '2026-01-15', timezone: 'UTC' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await response.text();
    expect(text).toContain('"Line one\nline two, with a comma"');
    expect(text).toContain('"Handles ""urgent"" cases"');
    const csv = blocks(text);
    expect(csv.criteria).toMatchObject({ 'From Date': '2026-01-15', 'To Date': '2026-01-15', 'Time Zone': 'UTC', Users: 'All' });
    expect(csv.criteria['Component Types']).toContain('ACUserObject');
    expect(csv.total).toBe(2);
    expect(csv.header).toEqual([
      'Object type',
      'Object ID',
      'Object name',
      'Action type',
      'Element',
      'Old value',
      'New value',
      'Date and time',
      'Originator',
      'Originator Employee ID',
      'Originator Profiles',
    ]);
    expect(csv.results).toEqual([
      [
        'Skills',
        '2001000007',
        'Billing, Refunds',
        'Edit',
        'Description',
        'Handles "urgent" cases',
        'Line one\nline two, with a comma',
        '2026-01-15 00:30:00',
        'dana.levi@example.com',
        'E1042',
        'Administrator, Campaign Manager',
      ],
      [
        'Users',
        '3001',
        'Ana Souza',
        'Add new',
        'Nickname',
        '',
        'Ana',
        '2026-01-15 14:00:05',
        'dana.levi@example.com',
        'E1042',
        'Administrator, Campaign Manager',
      ],
    ]);
  });

  it('renders and cuts whole days in US/Eastern by default, with its daylight-saving offset', async () => {
    const january = blocks(await (await exportCsv('1001', { fromDate: '2026-01-14', toDate: '2026-01-14' })).text());
    expect(january.criteria['Time Zone']).toBe('US/Eastern');
    expect(january.results.map((row) => row[7])).toEqual(['2026-01-14 19:30:00']);
    const june = blocks(await (await exportCsv('1001', { fromDate: '2026-06-30', toDate: '2026-06-30' })).text());
    expect(june.results.map((row) => row[7])).toEqual(['2026-06-30 23:59:59']);
    const utcJuly = blocks(await (await exportCsv('1001', { fromDate: '2026-07-01', toDate: '2026-07-01', timezone: 'UTC' })).text());
    expect(utcJuly.results.map((row) => row[7])).toEqual(['2026-07-01 03:59:59']);
  });

  it('filters by component type (display or internal name) and cuts at limit', async () => {
    const users = blocks(
      await (
        await exportCsv('1001', { fromDate: '2026-01-15', toDate: '2026-01-15', timezone: 'UTC', componentTypes: 'ACUserObject' })
      ).text(),
    );
    expect(users.results.map((row) => row[0])).toEqual(['Users']);
    const byUser = await exportCsv('1001', { fromDate: '2026-01-01', toDate: '2026-12-31', users: 'nobody@example.com' });
    expect(blocks(await byUser.text()).total).toBe(0);
    const dana = blocks(await (await exportCsv('1001', { fromDate: '2026-01-01', toDate: '2026-12-31', users: 'E1042' })).text());
    expect(dana.total).toBe(3);
    const limited = blocks(await (await exportCsv('1001', { fromDate: '2026-01-01', toDate: '2026-12-31', limit: '1' })).text());
    expect(limited.total).toBe(3);
    expect(limited.results).toHaveLength(1);
  });

  it('refuses a wrong secret, key, token or tampered query with 401', async () => {
    const query = { fromDate: '2026-01-15', toDate: '2026-01-15' };
    expect((await exportCsv('1001', query, { ...CREDENTIALS, consumerSecret: 'wrong' })).status).toBe(401);
    expect((await exportCsv('1001', query, { ...CREDENTIALS, tokenSecret: 'wrong' })).status).toBe(401);
    expect((await exportCsv('1001', query, { ...CREDENTIALS, consumerKey: 'other-app' })).status).toBe(401);
    expect((await exportCsv('1001', query, { ...CREDENTIALS, token: 'other-token' })).status).toBe(401);
    const url = await exportUrl('1001', query);
    const headers = signedHeaders('GET', url, CREDENTIALS);
    expect((await fetch(url.replace('toDate=2026-01-15', 'toDate=2026-01-16'), { headers })).status).toBe(401);
    expect((await fetch(url)).status).toBe(401);
    // A correct signature over an hour-old timestamp is refused for its age (the same one, fresh, passes).
    const oauth = new OAuth({
      consumer: { key: CREDENTIALS.consumerKey, secret: CREDENTIALS.consumerSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const signedAt = async (timestamp: number) => {
      const { oauth_signature: _fresh, ...data } = oauth.authorize(
        { url, method: 'GET' },
        { key: CREDENTIALS.token, secret: CREDENTIALS.tokenSecret },
      );
      const at = { ...data, oauth_timestamp: timestamp };
      const oauth_signature = oauth.getSignature({ url, method: 'GET' }, CREDENTIALS.tokenSecret, at as OAuth.Data);
      return fetch(url, { headers: { ...oauth.toHeader({ ...at, oauth_signature }) } });
    };
    const now = Math.floor(Date.now() / 1000);
    expect((await signedAt(now)).status).toBe(200);
    const stale = await signedAt(now - 3600);
    expect(stale.status).toBe(401);
    expect(await stale.text()).toContain('oauth_timestamp');
  });

  it('decodes the query as a server does: a signature over "Agent%20Groups" holds for "Agent+Groups"', async () => {
    const base = await exportUrl('1001', { fromDate: '2026-01-15', toDate: '2026-01-15' });
    const signed = `${base}&componentTypes=Agent%20Groups`;
    const headers = signedHeaders('GET', signed, CREDENTIALS);
    expect((await fetch(signed, { headers })).status).toBe(200);
    expect((await fetch(`${base}&componentTypes=Agent+Groups`, { headers })).status).toBe(200);
    expect((await fetch(`${base}&componentTypes=Agent%2BGroups`, { headers })).status).toBe(401);
  });

  it('answers 403 for an API key without the permission, 400 naming a bad parameter', async () => {
    await control('PUT', '/accounts/1002', { credentials: CREDENTIALS, permissions: false });
    expect((await exportCsv('1002', { fromDate: '2026-01-15', toDate: '2026-01-15' })).status).toBe(403);
    const bad = await exportCsv('1001', { fromDate: '2026-02-30', toDate: '2026-03-01' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ parameter: 'fromDate' });
    const zone = await exportCsv('1001', { fromDate: '2026-01-15', toDate: '2026-01-15', timezone: 'Mars/Olympus' });
    expect(zone.status).toBe(400);
  });

  it('answers the JSON query, paged, with X-Total-Count, originator ids and no object id', async () => {
    const url = `http://${await domainOf('1001')}/api/account/1001/configuration/metadata/audit`;
    const ask = (query: string) =>
      fetch(url, {
        method: 'POST',
        headers: { ...signedHeaders('POST', url, CREDENTIALS), 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
    const page = await ask(
      '{auditData(fromDate: "2026-01-01", toDate: "2026-12-31", timezone: "UTC", first: 2, offset: 1) { objectType objectName actionType element newValue dateTime originatorId }}',
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('x-total-count')).toBe('3');
    const body = (await page.json()) as { data: { auditData: Record<string, string>[] } };
    expect(body.data.auditData).toHaveLength(2);
    expect(body.data.auditData[0]).toEqual({
      objectType: 'Users',
      objectName: 'Ana Souza',
      actionType: 'Add new',
      element: 'Nickname',
      newValue: 'Ana',
      dateTime: '2026-01-15 14:00:05',
      originatorId: expect.stringMatching(/^\d+$/),
    });
    expect((await ask('{auditData(fromDate: "2026-01-01" { objectType }}')).status).toBe(400);
    const noObjectId = await ask('{auditData(fromDate: "2026-01-01", toDate: "2026-12-31") { objectId }}');
    expect(noObjectId.status).toBe(400);
  });

  it('fails the next matching requests with the queued faults, in order, then recovers; logs every request', async () => {
    await control('POST', '/accounts/1001/faults', {
      faults: [
        { status: 429, retryAfter: 1 },
        { status: 500, count: 2 },
      ],
      path: 'export',
    });
    await control('POST', '/accounts/1001/faults', { faults: [{ status: 502 }], path: 'query' });
    const query = { fromDate: '2026-01-15', toDate: '2026-01-15' };
    const first = await exportCsv('1001', query);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await exportCsv('1001', query)).status).toBe(500);
    expect((await exportCsv('1001', query)).status).toBe(500);
    expect((await exportCsv('1001', query)).status).toBe(200);
    const { requests } = (await control('GET', '/accounts/1001/requests')) as {
      requests: { path: string; status: number; query: Record<string, string> }[];
    };
    const exports = requests.filter((r) => r.path.endsWith('/audit/export')).slice(-4);
    expect(exports.map((r) => r.status)).toEqual([429, 500, 500, 200]);
    expect(exports[0]!.query).toMatchObject(query);
    // The query's fault waited for a query, untouched by the exports.
    const url = `http://${await domainOf('1001')}/api/account/1001/configuration/metadata/audit`;
    const body = JSON.stringify({ query: '{auditData(fromDate: "2026-01-15", toDate: "2026-01-15") { objectType }}' });
    const ask = () => fetch(url, { method: 'POST', headers: signedHeaders('POST', url, CREDENTIALS), body });
    expect((await ask()).status).toBe(502);
    expect((await ask()).status).toBe(200);
  });

  it('generates deterministic, realistic records, with unknown types when asked', async () => {
    await control('PUT', '/accounts/1003', { credentials: CREDENTIALS });
    await control('PUT', '/accounts/1004', { credentials: CREDENTIALS });
    const options = { from: '2026-03-01', days: 3, rowsPerDay: 400, seed: 7, unknownTypes: 5 };
    expect(await control('POST', '/accounts/1003/generate', options)).toEqual({ records: 1200 });
    await control('POST', '/accounts/1004/generate', options);
    const query = { fromDate: '2026-03-01', toDate: '2026-03-03', timezone: 'UTC' };
    const a = blocks(await (await exportCsv('1003', query)).text());
    const b = blocks(await (await exportCsv('1004', query)).text());
    expect(a.results).toEqual(b.results);
    expect(a.total).toBe(1200);
    const types = new Set(a.results.map((row) => row[0]));
    expect(types.size).toBeGreaterThan(6);
    expect(a.results.filter((row) => row[0] === 'Secure Forms' || row[0] === 'Bot Connectors')).toHaveLength(5);
    const keys = a.results.map((row) => row.join('\u0000'));
    expect(new Set(keys).size).toBeLessThan(keys.length); // identical rows exist
    const edits = new Map<string, number>();
    for (const row of a.results)
      if (row[3] === 'Edit') edits.set([row[1], row[7], row[8]].join('|'), (edits.get([row[1], row[7], row[8]].join('|')) ?? 0) + 1);
    expect([...edits.values()].some((n) => n > 1)).toBe(true); // multi-element changes share time and originator
  });

  it('records audit rows for what an Account Configuration write changed, by the signed-in user (bearer), with CORS for the workspace', async () => {
    await control('PUT', '/accounts/1003', { credentials: CREDENTIALS });
    await control('PUT', '/accounts/1003/objects', {
      skills: [
        { id: 11, name: 'Billing DE' },
        { id: 12, name: 'Sales EN' },
      ],
      agentGroups: [
        { id: 21, name: 'Tier 1' },
        { id: 22, name: 'Tier 2' },
      ],
      users: [{ id: 4711, fullName: 'Jane Doe', skillIds: [11], memberOf: { agentGroupId: 21 }, maxChats: 3, passwordSh: 'a' }],
    });
    await control('POST', '/accounts/1003/sessions', { token: 'bearer-amy', user: { id: '4715', name: 'Amy Admin', employeeId: 'E7' } });
    const url = `${sim.url}/api/account/1003/configuration/le-users/users/4711`;
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const after = { id: 4711, fullName: 'Jane Doe', skillIds: [11, 12], memberOf: { agentGroupId: 22 }, maxChats: 3, passwordSh: 'b' };
    const put = (headers: Record<string, string>) => fetch(url, { method: 'PUT', headers, body: JSON.stringify(after) });
    expect((await put({ authorization: 'Bearer wrong' })).status).toBe(401);
    const saved = await put({ authorization: 'Bearer bearer-amy', 'content-type': 'application/json' });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('access-control-allow-origin')).toBe('*');

    const today = new Date().toISOString().slice(0, 10);
    const { results, header } = blocks(await (await exportCsv('1003', { fromDate: today, toDate: today, timezone: 'UTC' })).text());
    const rows = results.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
    expect(
      rows.map((r) => [r['Object type'], r['Object ID'], r['Action type'], r.Element, r['Old value'], r['New value'], r.Originator]),
    ).toEqual([
      ['Users', '4711', 'Edit', 'Skills', 'Billing DE', 'Billing DE, Sales EN', 'Amy Admin'],
      ['Users', '4711', 'Edit', 'Member of', 'Tier 1', 'Tier 2', 'Amy Admin'],
      ['Users', '4711', 'Edit', 'Password', '', '*****', 'Amy Admin'],
    ]);
    // Saving the same object again changes nothing, so it records nothing.
    await put({ authorization: 'Bearer bearer-amy' });
    const again = blocks(await (await exportCsv('1003', { fromDate: today, toDate: today, timezone: 'UTC' })).text());
    expect(again.total).toBe(3);
  });

  it('streams a 250,000-row export without holding it in memory', async () => {
    await control('PUT', '/accounts/1005', { credentials: CREDENTIALS });
    await control('POST', '/accounts/1005/generate', { from: '2026-05-01', days: 1, rowsPerDay: 250_000, seed: 3 });
    const generated = Date.now();
    // Live heap, not garbage: a full collection before each sample.
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const response = await exportCsv('1005', { fromDate: '2026-05-01', toDate: '2026-05-01', timezone: 'UTC' });
    expect(response.status).toBe(200);
    let bytes = 0;
    let lines = 0;
    let peak = 0;
    let chunks = 0;
    let nextSample = 2 ** 20;
    const decoder = new TextDecoder();
    let carry = '';
    for await (const chunk of response.body!) {
      bytes += chunk.byteLength;
      // Records end in CRLF (values hold bare LFs); a CR at a chunk's end may meet its LF in the next.
      const text = carry + decoder.decode(chunk, { stream: true });
      lines += text.split('\r\n').length - 1;
      carry = text.endsWith('\r') ? '\r' : '';
      chunks++;
      if (bytes >= nextSample) {
        nextSample += 4 * 2 ** 20;
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
      }
    }
    expect(lines).toBe(9 + 250_000);
    expect(bytes).toBeGreaterThan(30 * 1024 * 1024);
    console.log(`250,000 rows: ${bytes} bytes in ${Date.now() - generated} ms, heap peak +${Math.round(peak / 2 ** 20)} MB`);
    // The whole CSV as one string would take at least its size in heap; streamed, a fraction of it.
    expect(chunks).toBeGreaterThan(100);
    expect(peak).toBeLessThan(bytes / 4);
  });
});
