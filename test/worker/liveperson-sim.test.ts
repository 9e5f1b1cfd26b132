// workerd reaches the simulated LivePerson over real loopback HTTP at LIVEPERSON_CSDS_URL,
// the way the connector will: CSDS first, then the domain CSDS names.
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { simAccount, simFaults, simGenerate, simRequests, simUrl } from './liveperson-sim-client';

const CREDENTIALS = { consumerKey: 'k', consumerSecret: 's', token: 't', tokenSecret: 'ts' };

describe('simulated LivePerson from workerd', () => {
  it('answers CSDS with its own host as the domain, logs the request, and fails on demand', async () => {
    await simAccount('7001', CREDENTIALS);
    const csds = `${simUrl()}/api/account/7001/service/accountConfigReadOnly/baseURI.json?version=1.0`;
    const response = await fetch(csds);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ service: 'accountConfigReadOnly', account: '7001', baseURI: new URL(simUrl()).host });

    await simFaults('7001', [{ status: 503 }], 'csds');
    expect((await fetch(csds)).status).toBe(503);
    expect((await simRequests('7001')).map((r) => [r.path, r.status])).toEqual([
      ['/api/account/7001/service/accountConfigReadOnly/baseURI.json', 200],
      ['/api/account/7001/service/accountConfigReadOnly/baseURI.json', 503],
    ]);
  });

  it('refuses an unsigned export with 401', async () => {
    await simAccount('7002', CREDENTIALS);
    expect(await simGenerate('7002', { from: '2026-01-01', days: 2, rowsPerDay: 10 })).toEqual({ records: 20 });
    const response = await fetch(`${simUrl()}/api/account/7002/configuration/metadata/audit/export?fromDate=2026-01-01&toDate=2026-01-02`);
    expect(response.status).toBe(401);
  });

  it('streams a signed export to workerd', async () => {
    await simAccount('7003', CREDENTIALS);
    await simGenerate('7003', { from: '2026-02-01', days: 1, rowsPerDay: 5000, seed: 2 });
    const url = `${simUrl()}/api/account/7003/configuration/metadata/audit/export?fromDate=2026-02-01&toDate=2026-02-01&timezone=UTC`;
    const oauth = new OAuth({
      consumer: { key: CREDENTIALS.consumerKey, secret: CREDENTIALS.consumerSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const headers = {
      ...oauth.toHeader(oauth.authorize({ url, method: 'GET' }, { key: CREDENTIALS.token, secret: CREDENTIALS.tokenSecret })),
    };
    const response = await fetch(url, { headers });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('Search Criteria\r\n')).toBe(true);
    expect(text).toContain('\r\nTotal Items\r\n5000\r\n');
    expect(text.split('\r\n').length).toBeGreaterThan(5000);
  });
});
