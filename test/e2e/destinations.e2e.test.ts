// Destinations end to end (issue 13, "How we will know"): a real local Worker (wrangler dev,
// local queues and D1) streaming to a real HTTP receiver on loopback. 10,000 events from 20
// concurrent clients; the receiver is killed in the middle (open connections cut) and started
// again on the same port. Every event must arrive (duplicates allowed, none missing), in seq
// order, every delivery's signature verified by the standardwebhooks package.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyLocalMigrations, freePort, startWorker, type RunningWorker } from '../../scripts/lib';
import { ReceiverStore, startReceiver, type Receiver } from '../../scripts/webhook-receiver/server';

const EVENTS = 10_000;
const CLIENTS = 20;
const PER_BATCH = 25;
const ACCOUNT = 'e2e-destinations';

let scratch: string;
let worker: RunningWorker;
let receiver: Receiver;
const store = new ReceiverStore();
let receiverPort: number;

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'audit-trail-e2e-destinations-'));
  const persistTo = path.join(scratch, 'state');
  await applyLocalMigrations({ persistTo });
  receiverPort = await freePort();
  receiver = await startReceiver({ port: receiverPort, store });
  worker = await startWorker({ port: await freePort(), persistTo, vars: { DESTINATIONS_ALLOW_INSECURE: 'true' } });
});
afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function api(token: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${worker.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('streaming to a destination through a receiver restart', () => {
  it('delivers 10,000 events from 20 clients, none missing, in seq order', async () => {
    const operator = worker.operatorToken;
    expect(
      (await api(operator, 'POST', '/v1/accounts', { id: ACCOUNT, name: 'E2E destinations', auditEnabledAt: '2020-01-01T00:00:00Z' }))
        .status,
    ).toBe(201);
    const token = async (scopes: string[], name: string) => {
      const res = await api(operator, 'POST', `/v1/accounts/${ACCOUNT}/tokens`, { name, scopes });
      expect(res.status, res.text).toBe(201);
      return res.json.token as string;
    };
    const admin = await token(['account:admin'], 'admin');
    const writers = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => token(['events:write'], `emitter ${c}`)));
    // A receiver that takes 50 ms to answer: the kill is likely to cut a delivery it has already recorded.
    store.hook('siem').behaviour.delayMs = 50;
    const created = await api(admin, 'POST', `/v1/accounts/${ACCOUNT}/destinations`, {
      url: `http://127.0.0.1:${receiverPort}/hooks/siem`,
    });
    expect(created.status, created.text).toBe(201);
    const { id, secret } = created.json as { id: string; secret: string };

    // 20 clients at once, each sending its share in batches; the receiver dies half-way.
    let sent = 0;
    let killed = false;
    let killedAt = 0;
    const perClient = EVENTS / CLIENTS;
    const outage = (async () => {
      while (sent < EVENTS / 2) await sleep(20);
      killedAt = Date.now();
      await receiver.close();
      killed = true;
      await sleep(3_000);
      receiver = await startReceiver({ port: receiverPort, store });
    })();
    await Promise.all(
      writers.map(async (writer, c) => {
        for (let k = 0; k < perClient; k += PER_BATCH) {
          const changes = Array.from({ length: PER_BATCH }, (_, j) => ({
            changeId: `e2e-${c}-${k + j}`,
            objectType: 'user',
            objectId: String(c * perClient + k + j),
            objectName: `User ${c}-${k + j}`,
            action: 'edit',
            originator: { id: String(c), name: `Client ${c}` },
            elements: [{ element: 'Nickname', oldValue: 'a', newValue: 'b' }],
          }));
          const res = await api(writer, 'POST', `/v1/accounts/${ACCOUNT}/changes/batch`, { changes });
          expect(res.status, res.text).toBe(201);
          sent += PER_BATCH;
        }
      }),
    );
    await outage;
    expect(killed).toBe(true);

    // Wait for the destination to catch up with the chain head.
    const started = Date.now();
    let status;
    for (;;) {
      status = (await api(admin, 'GET', `/v1/accounts/${ACCOUNT}/destinations/${id}`)).json;
      if (status.deliveredThroughSeq === EVENTS || Date.now() - started > 100_000) break;
      await sleep(500);
    }
    expect(status).toMatchObject({ state: 'active', headSeq: EVENTS, deliveredThroughSeq: EVENTS, behind: 0 });

    const hook = store.hook('siem');
    const wh = new Webhook(secret);
    // Every delivery the receiver took, in the order it took them (failed answers and cut connections included).
    const firstSeen: number[] = [];
    const seen = new Set<number>();
    let duplicates = 0;
    for (const delivery of hook.received) {
      const body = wh.verify(delivery.body, delivery.headers) as { type: string; events: { seq: number }[] };
      expect(body.type).toBe('audit.events');
      const seqs = body.events.map((e) => e.seq);
      // Each delivery is a run of consecutive events.
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      for (const seq of seqs) {
        if (seen.has(seq)) duplicates++;
        else {
          seen.add(seq);
          firstSeen.push(seq);
        }
      }
    }
    // None missing, and first seen in seq order.
    expect(firstSeen).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    const attempts = (await api(admin, 'GET', `/v1/accounts/${ACCOUNT}/destinations/${id}/deliveries`)).json.items;
    const before = hook.received.filter((d) => d.at < killedAt).length;
    console.log(
      `e2e destinations: ${hook.received.length} deliveries received (${before} before the kill), ${duplicates} duplicate events; ` +
        `failed attempts among the last ${attempts.length}: ${attempts.filter((a: { error: unknown }) => a.error !== null).length}`,
    );
  }, 240_000);
});
