// (h) LivePerson backfill: 13 months of a simulated LivePerson account's audit trail (250,000
// rows) imported by the connector under wrangler dev — one UTC day per queue message, the CSV
// streamed, the rows written through the account's writer — against the batch ingest API's
// rows/s in the same run, with the Worker's memory sampled as the days go by.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startLivePersonSim } from '../../scripts/liveperson-sim/server';
import { intOption, type BenchContext } from './lib/context';
import { Client } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { GcTrace, RssSampler, workerdOf } from './lib/memory';
import { table } from './lib/report';
import { applyLocalMigrations, startWorker, v8FlagsEnv } from './lib/wrangler';
import { makeBatches } from './ingest';

const ACCOUNT = 'bench-liveperson';
const INGEST_ACCOUNT = 'bench-liveperson-ingest';
const DAY_MS = 86_400_000;
const CREDENTIALS = {
  consumerKey: 'bench-app-key',
  consumerSecret: 'bench-app-secret',
  token: 'bench-token',
  tokenSecret: 'bench-token-secret',
};

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

export async function runLivePerson(ctx: BenchContext): Promise<string> {
  const rows = intOption('liveperson-rows', 250_000);
  const months = intOption('liveperson-months', 13);
  const ingestEvents = intOption('liveperson-ingest-events', 20_000);
  const dir = path.join(ctx.dataDir, 'liveperson');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const loadBefore = loadAverage();

  const sim = await startLivePersonSim({ port: 0 });
  const persistTo = path.join(dir, 'persist');
  await applyLocalMigrations({ persistTo });
  // V8's own account of the heaps (--trace-gc), under Cloudflare's 128 MB isolate cap: RSS alone
  // also counts the local D1 (SQLite in the same workerd process), which grows with the data.
  const trace = new GcTrace();
  const worker = await startWorker({
    persistTo,
    config: ctx.snapshot.worker,
    vars: { LIVEPERSON_CSDS_URL: sim.url },
    env: v8FlagsEnv(['--trace-gc', '--max-heap-size=128'], dir),
    onOutput: trace.feed,
    runtimeOutput: true,
  });
  try {
    const operator = new Client(worker.url, worker.operatorToken);
    // History within the retention: the first day is the day after the cutoff, the last yesterday.
    const now = Date.now();
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
    const from = utcDay(cutoff.getTime() + DAY_MS);
    const days = Math.round((Date.parse(utcDay(now)) - Date.parse(from)) / DAY_MS);
    const rowsPerDay = Math.ceil(rows / days);
    for (const id of [ACCOUNT, INGEST_ACCOUNT])
      await operator.expect('POST', '/v1/accounts', { id, name: id, auditEnabledAt: new Date(now - 400 * DAY_MS).toISOString() }, [201]);
    const token = async (id: string, scopes: string[]) =>
      JSON.parse((await operator.expect('POST', `/v1/accounts/${id}/tokens`, { name: scopes.join('+'), scopes }, [201])).body)
        .token as string;
    const adminToken = await token(ACCOUNT, ['account:admin', 'audit:read']);
    const admin = new Client(worker.url, adminToken);
    const writer = new Client(worker.url, await token(INGEST_ACCOUNT, ['events:write']));

    const control = (method: string, suffix: string, body?: unknown) =>
      fetch(`${sim.url}/_sim/accounts/${ACCOUNT}${suffix}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => {
        if (!r.ok) throw new Error(`simulator ${method} ${suffix}: ${r.status} ${await r.text()}`);
        return r.status === 204 ? undefined : r.json();
      });
    await control('PUT', '', { credentials: CREDENTIALS });
    const generated = (await control('POST', '/generate', { from, days, rowsPerDay, seed: 42 })) as { records: number };
    ctx.log(`liveperson: ${n(generated.records)} rows over ${days} days (${rowsPerDay} a day) in the simulator`);

    // The batch ingest API in the same run, for comparison.
    ctx.log(`liveperson: batch ingest of ${n(ingestEvents)} events for comparison`);
    const batches = makeBatches(ingestEvents, 1000, 7, 'bench-lp-ingest');
    const ingestStart = performance.now();
    for (const batch of batches) await writer.expect('POST', `/v1/accounts/${INGEST_ACCOUNT}/changes/batch`, batch.body, [201]);
    const ingestMs = performance.now() - ingestStart;
    const ingestRate = (ingestEvents / ingestMs) * 1000;

    const workerd = workerdOf(worker.pid, Number(new URL(worker.url).port));
    const sampler = new RssSampler(workerd, 500).start();
    const progress: { t: number; daysDone: number; importedEvents: number; rss: number; heapUsed: number; heapLive: number }[] = [];
    ctx.log('liveperson: connecting and backfilling');
    trace.reset();
    const started = performance.now();
    await admin.expect(
      'PUT',
      `/v1/accounts/${ACCOUNT}/sources/liveperson`,
      { auth: { type: 'oauth1', ...CREDENTIALS }, backfillFrom: from },
      [200],
    );
    let status: any;
    for (;;) {
      status = JSON.parse((await admin.expect('GET', `/v1/accounts/${ACCOUNT}/sources/liveperson`, undefined, [200])).body);
      // The largest isolate's heap since the previous poll (then counted afresh).
      const heap = trace.largest;
      trace.reset();
      progress.push({
        t: performance.now() - started,
        daysDone: status.backfill.daysDone,
        importedEvents: status.importedEvents,
        rss: sampler.sample(),
        heapUsed: heap.collections ? heap.used : 0,
        heapLive: heap.collections ? heap.live : 0,
      });
      if (status.state === 'syncing' && status.backfill.daysDone === status.backfill.daysTotal) break;
      if (status.state === 'error') throw new Error(`the backfill stopped: ${status.lastError}`);
      if (performance.now() - started > 3 * 3_600_000) throw new Error(`the backfill did not finish in 3 hours: ${JSON.stringify(status)}`);
      if (progress.length % 30 === 0)
        ctx.log(`liveperson: ${status.backfill.daysDone}/${status.backfill.daysTotal} days, ${n(status.importedEvents)} events`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const backfillMs = performance.now() - started;
    sampler.stop();
    // The whole chain, checked by a Worker started afresh on the same D1 without the heap cap and
    // the trace (GET …/verify's own limits are the verify benchmark's subject, not this one's).
    ctx.log('liveperson: verifying the chain');
    await worker.stop();
    const checker = await startWorker({ persistTo, config: ctx.snapshot.worker });
    const verify = { ok: true, checked: 0 };
    try {
      const verifier = new Client(checker.url, adminToken);
      for (let fromSeq = 1; fromSeq <= status.importedEvents; fromSeq += 100_000) {
        const page = JSON.parse((await verifier.expect('GET', `/v1/accounts/${ACCOUNT}/verify?fromSeq=${fromSeq}`, undefined, [200])).body);
        verify.ok &&= page.ok;
        verify.checked += page.checked;
      }
      verifier.close();
    } finally {
      await checker.stop();
    }
    const skipped = Object.values(status.skipped as Record<string, number>).reduce((a, b) => a + b, 0);
    const importRate = ((status.importedEvents + skipped) / backfillMs) * 1000;

    // Memory as the days go by, per tenth of the days: the largest V8 heap (used, and live after a
    // full collection) of any isolate during that tenth, and workerd's RSS at its end.
    const total = status.backfill.daysTotal;
    const tenths = Array.from({ length: 10 }, (_, i) => {
      const inTenth = progress.filter((p) => p.daysDone > (total * i) / 10 && p.daysDone <= (total * (i + 1)) / 10);
      // A tenth the polls skipped over (a small run) has no samples of its own.
      if (!inTenth.length) return { label: `${i * 10}–${(i + 1) * 10} %`, days: '–', events: '–', s: '–', used: 0, live: 0, rss: '–' };
      const last = inTenth.at(-1)!;
      const max = (values: number[]) => (values.length ? Math.max(...values) : 0);
      return {
        label: `${i * 10}–${(i + 1) * 10} %`,
        days: String(last.daysDone),
        events: n(last.importedEvents),
        s: (last.t / 1000).toFixed(0),
        used: max(inTenth.map((p) => p.heapUsed)),
        live: max(inTenth.map((p) => p.heapLive)),
        rss: last.rss.toFixed(0),
      };
    });
    // Flat means the live heap (what survives a full collection) does not grow: the heap used
    // between collections is mostly garbage awaiting collection and swings with GC timing.
    const live = tenths
      .slice(1)
      .map((t) => t.live)
      .filter((u) => u > 0);
    const growth = live.length ? Math.max(...live) - Math.min(...live) : NaN;
    const peakUsed = Math.max(...tenths.map((t) => t.used));
    admin.close();
    writer.close();
    operator.close();

    return `## LivePerson backfill: ${months} months, ${n(generated.records)} rows

- Command: \`${ctx.command}\` (this section alone: \`npm run bench -- liveperson\`; sizes \`--liveperson-rows=N\`, \`--liveperson-months=N\`, \`--liveperson-ingest-events=N\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}.
${machineMarkdown(ctx.machine)}
- Worker code: ${ctx.codeVersion}.

**What runs.** The simulated LivePerson (\`scripts/liveperson-sim\`, in the benchmark's Node process) holds ${n(generated.records)} rows over
${days} UTC days (${from} to yesterday, ${rowsPerDay} a day, seed 42). The Worker runs under \`wrangler dev\` with a fresh local D1 and
\`LIVEPERSON_CSDS_URL\` pointing at the simulator; \`PUT …/sources/liveperson\` connects the account, and the benchmark polls
\`GET …/sources/liveperson\` every second until the backfill is done (${status.backfill.daysTotal} days: one queue message each, the
day's CSV streamed and parsed, its changes written through the account's writer). For comparison, the same run first sends
${n(ingestEvents)} events to another account through \`POST …/changes/batch\` (1,000 changes a batch, one client).

${table(
  ['', 'rows', 'time', 'rows/s'],
  [
    [
      'LivePerson backfill (rows read, imported + skipped)',
      n(status.importedEvents + skipped),
      `${(backfillMs / 1000).toFixed(1)} s`,
      n(importRate),
    ],
    ['batch ingest API (events)', n(ingestEvents), `${(ingestMs / 1000).toFixed(1)} s`, n(ingestRate)],
  ],
)}

Imported ${n(status.importedEvents)} events, skipped ${n(skipped)} rows (${
      Object.entries(status.skipped)
        .map(([reason, count]) => `${reason}: ${n(count as number)}`)
        .join('; ') || 'none'
    }); GET …/verify afterwards (a fresh Worker on the same D1): ok ${verify.ok}, ${n(verify.checked)} events checked. The backfill ran at
${(importRate / ingestRate).toFixed(2)}× the batch API's rows/s: it adds a day's round trip to LivePerson (CSDS and the signed export),
the CSV parse and one queue delivery per day, and writes ${'≤'} 500 changes a request.

**Memory.** workerd ran with V8's \`--trace-gc\` and \`--max-heap-size=128\` (Cloudflare's isolate limit). Per tenth of the days:
the largest heap used by any isolate during it and the largest left live after a full collection (MB, V8's own numbers),
and workerd's RSS at its end (which also holds the local D1's SQLite, growing with the database):

${table(
  ['days', 'days done', 'events', 's', 'heap used MB', 'heap live MB', 'RSS MB'],
  tenths.map((t) => [t.label, t.days, t.events, t.s, t.used ? t.used.toFixed(1) : '–', t.live ? t.live.toFixed(1) : '–', t.rss]),
)}

After the first tenth the live heap moves within ${growth.toFixed(1)} MB (the heap used peaked at ${peakUsed.toFixed(1)} MB, under the 128 MB cap)${
      growth <= 8
        ? ': flat as the days go by. A day is held while it is imported (its groups of rows, not the CSV text) and dropped after.'
        : ': **it grows** with the days (target: flat).'
    } RSS peaked at ${sampler.peak.toFixed(0)} MB.
`;
  } catch (error) {
    console.error(`wrangler's last output:\n${worker.output().slice(-4000)}`);
    throw error;
  } finally {
    await worker.stop();
    await sim.close();
  }
}
