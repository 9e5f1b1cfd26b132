// Destinations (webhooks streaming the audit trail, issue 13): how far behind the chain a
// receiver is under a steady load, and how fast a destination catches up after an outage.
// One Worker (wrangler dev: local queue and D1), one receiver on loopback (scripts/webhook-receiver).
//   steady:  --webhooks-rate events/s (default 200) for --webhooks-seconds (60), sent as batches
//            of 10 single-element changes every 50 ms; lag = when the receiver took an event −
//            the event's recordedAt (the commit; the same machine's clock).
//   outage:  the receiver answers 503 for --webhooks-outage-seconds (600: the 10 minutes) while the same load
//            goes on; then it answers again and the admin calls POST …/resume (otherwise the
//            backoff's next try would be up to 10 minutes away); catch-up = events queued / time
//            until the destination is at the head.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { intOption, type BenchContext } from './lib/context';
import { Client } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { table } from './lib/report';
import { ms, summarize } from './lib/stats';
import { applyLocalMigrations, startWorker, type RunningWorker } from './lib/wrangler';
import { freePort } from '../../scripts/lib';
import { startReceiver, type ReceiverStore } from '../../scripts/webhook-receiver/server';

const BATCH = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `rate` events/s for `seconds`, in batches of BATCH every BATCH/rate seconds (paced to the clock). */
async function steadyLoad(client: Client, account: string, prefix: string, rate: number, seconds: number) {
  const interval = (BATCH / rate) * 1000;
  const batches = Math.round((rate * seconds) / BATCH);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let b = 0; b < batches; b++) {
    const due = started + b * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const changes = Array.from({ length: BATCH }, (_, j) => ({
      changeId: `${prefix}-${b}-${j}`,
      objectType: 'user',
      objectId: String((b * BATCH + j) % 1000),
      objectName: `User ${(b * BATCH + j) % 1000}`,
      action: 'edit',
      originator: { id: '17', name: 'Load' },
      elements: [{ element: 'Nickname', oldValue: 'a', newValue: 'b' }],
    }));
    inFlight.push(client.expect('POST', `/v1/accounts/${account}/changes/batch`, { changes }, [201]).then(() => undefined));
    // Keep a few requests in flight at most: the load is paced, not a flood.
    if (inFlight.length >= 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return batches * BATCH;
}

async function destinationStatus(admin: Client, account: string, id: string) {
  return JSON.parse((await admin.expect('GET', `/v1/accounts/${account}/destinations/${id}`, undefined, [200])).body);
}

async function untilCaughtUp(admin: Client, account: string, id: string, headSeq: number, timeoutMs: number) {
  const started = performance.now();
  for (;;) {
    const status = await destinationStatus(admin, account, id);
    if (status.deliveredThroughSeq >= headSeq) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`not caught up after ${timeoutMs} ms: ${JSON.stringify(status)}`);
    await sleep(100);
  }
}

/** Lags (ms) of the events the receiver took first, from `fromSeq` on. */
function lags(store: ReceiverStore, hook: string, fromSeq: number) {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const delivery of store.hook(hook).received) {
    if (delivery.status >= 300) continue;
    const body = JSON.parse(delivery.body) as { events: { seq: number; recordedAt: string }[] };
    for (const e of body.events)
      if (e.seq >= fromSeq && !seen.has(e.seq)) {
        seen.add(e.seq);
        out.push(delivery.at - Date.parse(e.recordedAt));
      }
  }
  return out;
}

export async function runWebhooks(ctx: BenchContext): Promise<string> {
  const rate = intOption('webhooks-rate', 200);
  const seconds = intOption('webhooks-seconds', 60);
  const outageSeconds = intOption('webhooks-outage-seconds', 600);
  const dir = path.join(ctx.dataDir, 'webhooks');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const persistTo = path.join(dir, 'persist');
  await applyLocalMigrations({ persistTo });
  const receiver = await startReceiver({ port: await freePort() });
  const loadBefore = loadAverage();
  let worker: RunningWorker | undefined;
  try {
    worker = await startWorker({ persistTo, config: ctx.snapshot.worker, vars: { DESTINATIONS_ALLOW_INSECURE: 'true' } });
    const operator = new Client(worker.url, worker.operatorToken);
    const account = 'bench-webhooks';
    await operator.expect(
      'POST',
      '/v1/accounts',
      { id: account, name: 'Benchmark webhooks', auditEnabledAt: '2020-01-01T00:00:00Z' },
      [201],
    );
    const token = async (scopes: string[]) =>
      JSON.parse((await operator.expect('POST', `/v1/accounts/${account}/tokens`, { name: scopes.join('+'), scopes }, [201])).body)
        .token as string;
    const writer = new Client(worker.url, await token(['events:write']));
    const admin = new Client(worker.url, await token(['account:admin']));
    const hook = 'bench';
    const created = JSON.parse(
      (
        await admin.expect(
          'POST',
          `/v1/accounts/${account}/destinations`,
          { url: `http://127.0.0.1:${receiver.port}/hooks/${hook}` },
          [201],
        )
      ).body,
    );
    const id = created.id as string;

    ctx.log(`webhooks: warm-up`);
    await steadyLoad(writer, account, 'warm', rate, 3);
    await untilCaughtUp(admin, account, id, (await destinationStatus(admin, account, id)).headSeq, 60_000);

    ctx.log(`webhooks: steady ${rate} events/s for ${seconds} s`);
    const steadyFrom = (await destinationStatus(admin, account, id)).headSeq + 1;
    const steadyEvents = await steadyLoad(writer, account, 'steady', rate, seconds);
    const steadyHead = (await destinationStatus(admin, account, id)).headSeq;
    await untilCaughtUp(admin, account, id, steadyHead, 120_000);
    const steadyLags = summarize(lags(receiver.store, hook, steadyFrom));

    ctx.log(`webhooks: the receiver answers 503 for ${outageSeconds} s under the same load`);
    receiver.store.hook(hook).behaviour.status = 503;
    const outageFrom = (await destinationStatus(admin, account, id)).headSeq + 1;
    const queued = await steadyLoad(writer, account, 'outage', rate, outageSeconds);
    receiver.store.hook(hook).behaviour.status = 200;
    const outageHead = (await destinationStatus(admin, account, id)).headSeq;
    await admin.expect('POST', `/v1/accounts/${account}/destinations/${id}/resume`, undefined, [202]);
    const catchUpMs = await untilCaughtUp(admin, account, id, outageHead, 600_000);
    const caughtUp = lags(receiver.store, hook, outageFrom).length;
    const deliveries = receiver.store.hook(hook).received.filter((d) => d.status < 300).length;
    operator.close();
    writer.close();
    admin.close();

    const rows = [
      [
        'steady lag',
        `${steadyEvents.toLocaleString('en-US')} events at ${rate}/s`,
        ms(steadyLags.median),
        ms(steadyLags.p99),
        ms(steadyLags.max),
      ],
    ];
    return [
      `## Webhooks (destinations): lag at ${rate} events/s, catch-up after a ${outageSeconds}-second outage`,
      '',
      `- Command: \`${ctx.command}\` (this section alone: \`npm run bench -- webhooks\`; sizes \`--webhooks-rate=N\`, \`--webhooks-seconds=N\`, \`--webhooks-outage-seconds=N\`)`,
      `- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}.`,
      machineMarkdown(ctx.machine),
      `- Worker code: ${ctx.codeVersion}.`,
      '',
      `**What runs.** One destination, one receiver on loopback (\`scripts/webhook-receiver\`, in the benchmark's Node process), the Worker ` +
        `under wrangler dev (local queue, local D1). Load: batches of ${BATCH} single-element changes paced to ${rate} events/s. ` +
        `Lag = when the receiver took an event − its \`recordedAt\` (the commit), in ms; each event counted once, the first time it was accepted.`,
      '',
      table(['scenario', 'events', 'lag median (ms)', 'lag p99 (ms)', 'lag max (ms)'], rows),
      '',
      `**Catch-up after a ${outageSeconds}-second outage** (the receiver answered 503 while ${queued.toLocaleString('en-US')} events ` +
        `were committed at ${rate}/s; then it answered again and \`POST …/resume\` was called, since the backoff's next try could have been minutes away): ` +
        `${caughtUp.toLocaleString('en-US')} events delivered in ${(catchUpMs / 1000).toFixed(1)} s, ` +
        `**${Math.round(caughtUp / (catchUpMs / 1000)).toLocaleString('en-US')} events/s** (100 per delivery, one delivery in flight). ` +
        `Accepted deliveries in the whole run: ${deliveries.toLocaleString('en-US')}.`,
      '',
      `A part of the steady lag is likely the queue's batching (the consumer takes up to 100 kicks or waits \`max_batch_timeout\`, 1 s in wrangler.jsonc); not measured separately.`,
    ].join('\n');
  } finally {
    await worker?.stop();
    await receiver.close();
  }
}
