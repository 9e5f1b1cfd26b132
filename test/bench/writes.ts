// (f) Concurrent single writes: many clients, each sending single changes
// (POST /v1/accounts/{a}/changes) one after another, to one account — the platform's bursts
// (a bulk user import, a provisioning script). The same scenarios run, in the same run, against
// the Worker as it was before the account's writer (the parent of the commit that added it, bundled from a
// `git archive`) and against the current one; the overload scenario runs on the current one only
// (the old one falls over there, see issue 10). Bounded loops, loopback only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { intOption, type BenchContext } from './lib/context';
import { emitterChange } from './lib/data';
import { Client } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { table } from './lib/report';
import { probeTiming, type ProbeTiming } from './lib/probe';
import { open } from './lib/sqlite';
import { ms, summarize } from './lib/stats';
import { applyLocalMigrations, d1SqlitePath, ROOT, snapshotCommit, startWorker, type RunningWorker } from './lib/wrangler';

interface Answer {
  status: number;
  ms: number;
  changeId: string;
  retryAfter?: string;
}

interface ScenarioResult {
  name: string;
  account: string;
  clients: number;
  perClient: number;
  wallMs: number;
  answers: Answer[];
  /** An audit:read token of the account, for verify. */
  reader: string;
}

/** Issue 10's one-client p50 when it was filed (the old code under the `wrangler dev` command). */
const ISSUE_ONE_CLIENT_P50_MS = 22;

/** An account with one write token per client (the per-token rate limit stays out of the way). */
async function accountWithTokens(worker: RunningWorker, id: string, clients: number) {
  const operator = new Client(worker.url, worker.operatorToken);
  await operator.expect('POST', '/v1/accounts', { id, name: `Benchmark ${id}`, auditEnabledAt: '2020-01-01T00:00:00Z' }, [201]);
  const tokens: string[] = [];
  for (let c = 0; c < clients; c++)
    tokens.push(
      JSON.parse(
        (await operator.expect('POST', `/v1/accounts/${id}/tokens`, { name: `emitter ${c}`, scopes: ['events:write'] }, [201])).body,
      ).token,
    );
  const reader = JSON.parse(
    (await operator.expect('POST', `/v1/accounts/${id}/tokens`, { name: 'reader', scopes: ['audit:read'] }, [201])).body,
  ).token as string;
  operator.close();
  return { tokens, reader };
}

/** `clients` clients at once, each sending `perClient` single changes one after another
 *  (a refused write is not retried: the answer is what is measured). */
async function scenario(worker: RunningWorker, name: string, account: string, clients: number, perClient: number): Promise<ScenarioResult> {
  const { tokens, reader } = await accountWithTokens(worker, account, clients);
  const answers: Answer[] = [];
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, c) => {
      const client = new Client(worker.url, token);
      for (let k = 0; k < perClient; k++) {
        const changeId = `${account}-c${c}-k${k}`;
        const sent = performance.now();
        try {
          const reply = await client.request('POST', `/v1/accounts/${account}/changes`, emitterChange(changeId, c * perClient + k));
          const retryAfter = reply.headers['retry-after'];
          answers.push({
            status: reply.status,
            ms: reply.ms,
            changeId,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
          });
        } catch {
          answers.push({ status: 0, ms: performance.now() - sent, changeId });
        }
      }
      client.close();
    }),
  );
  return { name, account, clients, perClient, wallMs: performance.now() - started, answers, reader };
}

/** One client per Worker, each sending `count` single changes one after another, the two
 *  Workers in turn request by request. A client waits for each answer, so its throughput is its
 *  writes over the time its own requests took (the scenario's wallMs here). */
async function oneClientInTurn(workers: Record<'before' | 'now', RunningWorker>, account: string, count: number) {
  const sides = (['before', 'now'] as const).map((code) => ({ code, worker: workers[code] }));
  const prepared = await Promise.all(sides.map(async ({ worker }) => ({ worker, ...(await accountWithTokens(worker, account, 1)) })));
  const clients = prepared.map(({ worker, tokens }) => new Client(worker.url, tokens[0]!));
  const answers: Answer[][] = sides.map(() => []);
  for (let k = 0; k < count; k++)
    for (const [s, client] of clients.entries()) {
      const changeId = `${account}-c0-k${k}`;
      const reply = await client.request('POST', `/v1/accounts/${account}/changes`, emitterChange(changeId, k));
      answers[s]!.push({ status: reply.status, ms: reply.ms, changeId });
    }
  for (const client of clients) client.close();
  const result = (s: number): ScenarioResult => ({
    name: 'one client',
    account,
    clients: 1,
    perClient: count,
    wallMs: answers[s]!.reduce((sum, a) => sum + a.ms, 0),
    answers: answers[s]!,
    reader: prepared[s]!.reader,
  });
  return { before: result(0), now: result(1) };
}

/** Where one write's time goes: single writes through the probe build (which times the handler and
 *  every D1 call, the writer's included, inside the isolate; 1 ms clock, so means), each after a
 *  \`/healthz\` (the floor) in turn. */
async function probeOneWrite(config: string, persistTo: string, count: number) {
  await applyLocalMigrations({ persistTo });
  const worker = await startWorker({ persistTo, config });
  try {
    const { tokens } = await accountWithTokens(worker, 'bench-writes-probe', 1);
    const client = new Client(worker.url, tokens[0]!);
    const floor: number[] = [];
    const atClient: number[] = [];
    const timings: ProbeTiming[] = [];
    for (let k = -30; k < count; k++) {
      const healthz = await client.expect('GET', '/healthz', undefined, [200]);
      const reply = await client.expect(
        'POST',
        '/__bench/timed/v1/accounts/bench-writes-probe/changes',
        emitterChange(`probe-${k}`, k),
        [201],
      );
      if (k < 0) continue; // warm-up
      floor.push(healthz.ms);
      atClient.push(reply.ms);
      timings.push(probeTiming(reply));
    }
    client.close();
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    return {
      floor: summarize(floor).median,
      client: summarize(atClient).median,
      clientMean: mean(atClient),
      handler: mean(timings.map((t) => t.totalMs)),
      d1: mean(timings.map((t) => t.d1Ms)),
      d1Calls: mean(timings.map((t) => t.d1Calls)),
    };
  } finally {
    await worker.stop();
  }
}

const throughput = (r: ScenarioResult) => r.answers.filter((a) => a.status === 201).length / r.wallMs;

/** One-client rounds as one scenario: all their answers, over all their time. */
const pooled = (runs: ScenarioResult[]): ScenarioResult => ({
  ...runs[0]!,
  perClient: runs.reduce((sum, r) => sum + r.perClient, 0),
  wallMs: runs.reduce((sum, r) => sum + r.wallMs, 0),
  answers: runs.flatMap((r) => r.answers),
});

/** The round whose throughput is the median of the rounds'. */
const medianRound = (runs: ScenarioResult[]) => [...runs].sort((a, b) => throughput(a) - throughput(b))[(runs.length - 1) >> 1]!;

const warmUp = async (worker: RunningWorker) => {
  await scenario(worker, 'warm-up', 'bench-writes-warmup', 4, 10);
};

function row(code: string, r: ScenarioResult) {
  const ok = r.answers.filter((a) => a.status === 201);
  const latency = summarize(ok.map((a) => a.ms));
  const statuses = new Map<number, number>();
  for (const a of r.answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  return {
    writesPerSecond: (ok.length / r.wallMs) * 1000,
    latency,
    cells: [
      code,
      `${r.clients} × ${r.perClient}`,
      Math.round((ok.length / r.wallMs) * 1000).toLocaleString('en-US'),
      ms(latency.median),
      ms(latency.p99),
      ms(latency.max),
      [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s === 0 ? 'no answer' : s} × ${n}`)
        .join(', '),
    ],
  };
}

/** What the overload scenario stored, read from the D1 file once the Worker stopped. */
function checkStored(persistTo: string, r: ScenarioResult) {
  const db = open(d1SqlitePath(persistTo), { readonly: true });
  const events = db
    .prepare('SELECT seq, change_id AS changeId, occurred_at AS occurredAt FROM audit_events WHERE account_id = ? ORDER BY seq')
    .all(r.account) as {
    seq: number;
    changeId: string;
    occurredAt: number;
  }[];
  const requests = new Set(db.prepare('SELECT change_id FROM change_requests WHERE account_id = ?').pluck().all(r.account) as string[]);
  const head = db.prepare('SELECT chain_seq FROM accounts WHERE id = ?').pluck().get(r.account) as number;
  db.close();
  const accepted = new Set(r.answers.filter((a) => a.status === 201).map((a) => a.changeId));
  const perChange = new Map<string, number>();
  for (const e of events) perChange.set(e.changeId, (perChange.get(e.changeId) ?? 0) + 1);
  return {
    gapFree: events.every((e, i) => e.seq === i + 1) && head === events.length,
    storedOnce:
      [...accepted].every((id) => perChange.get(id) === 2 && requests.has(id)) &&
      perChange.size === accepted.size &&
      requests.size === accepted.size,
    occurredInSeqOrder: events.every((e, i) => i === 0 || e.occurredAt >= events[i - 1]!.occurredAt),
    events: events.length,
    accepted: accepted.size,
  };
}

export async function runWrites(ctx: BenchContext): Promise<string> {
  const one = intOption('writes-one', 100);
  const clients = intOption('writes-clients', 20);
  const perClient = intOption('writes-per-client', 50);
  const rounds = intOption('writes-rounds', 3);
  const burstClients = intOption('writes-burst-clients', 100);
  const burstPerClient = intOption('writes-burst-per-client', 20);
  const dir = path.join(ctx.dataDir, 'writes');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const loadBefore = loadAverage();

  // The parent of the commit that added the writer: the same baseline on any branch, merged or not.
  const writerAdded = execFileSync('git', ['log', '-1', '--format=%H', '--diff-filter=A', '--', 'worker/writer/account-writer.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).trim();
  const baseCommit = execFileSync('git', ['rev-parse', `${writerAdded}^`], { cwd: ROOT, encoding: 'utf8' }).trim();
  ctx.log(`writes: bundling the baseline Worker (${baseCommit.slice(0, 7)}, before the account's writer)`);
  const baselineConfig = await snapshotCommit(path.join(dir, 'baseline'), baseCommit);

  const results: Record<'before' | 'now', ScenarioResult[]> = { before: [], now: [] };
  const oneClientRounds: Record<'before' | 'now', ScenarioResult[]> = { before: [], now: [] };
  const concurrentRounds: Record<'before' | 'now', ScenarioResult[]> = { before: [], now: [] };
  let stored: ReturnType<typeof checkStored> | undefined;
  let verify: { ok: boolean; checked: number } | undefined;
  // Both Workers run at once: the one-client scenario alternates between them request by
  // request, so that the machine's load meets both alike; the concurrent ones take turns.
  const persistTo = { before: path.join(dir, 'persist-before'), now: path.join(dir, 'persist-now') };
  const workers: Partial<Record<'before' | 'now', RunningWorker>> = {};
  try {
    for (const [code, config] of [
      ['before', baselineConfig],
      ['now', ctx.snapshot.worker],
    ] as const) {
      await applyLocalMigrations({ persistTo: persistTo[code] });
      workers[code] = await startWorker({ persistTo: persistTo[code], config });
      await warmUp(workers[code]);
    }
    const both = workers as Record<'before' | 'now', RunningWorker>;
    // A scenario lasts a few seconds and this machine's speed drifts from one to the next, so
    // both run in rounds: each round one client per Worker in turn, then the concurrent
    // scenario on each. One client is reported over all rounds, the concurrent scenario's
    // round of median throughput.
    for (let round = 1; round <= rounds; round++) {
      ctx.log(`writes: round ${round} of ${rounds}: 1 × ${one}, before and now in turn`);
      const alone = await oneClientInTurn(both, `bench-writes-one-${round}`, one);
      for (const code of ['before', 'now'] as const) {
        oneClientRounds[code].push(alone[code]);
        ctx.log(`writes (${code}): round ${round} of ${rounds}: ${clients} × ${perClient}`);
        concurrentRounds[code].push(await scenario(both[code], 'concurrent', `bench-writes-concurrent-${round}`, clients, perClient));
      }
    }
    for (const code of ['before', 'now'] as const) results[code].push(pooled(oneClientRounds[code]), medianRound(concurrentRounds[code]));
    ctx.log(`writes (now): ${burstClients} × ${burstPerClient}`);
    const burst = await scenario(both.now, 'overload', `bench-writes-burst`, burstClients, burstPerClient);
    results.now.push(burst);
    const verifier = new Client(both.now.url, burst.reader);
    verify = JSON.parse((await verifier.expect('GET', `/v1/accounts/${burst.account}/verify`, undefined, [200])).body);
    verifier.close();
    await both.now.stop();
    stored = checkStored(persistTo.now, burst);
  } finally {
    await Promise.all(Object.values(workers).map((w) => w.stop()));
  }
  ctx.log(`writes: ${one} single writes through the probe`);
  const probed = await probeOneWrite(ctx.snapshot.probe, path.join(dir, 'persist-probe'), one);

  const rows = (['before', 'now'] as const).flatMap((code) =>
    results[code].map((r) => ({ code, r, ...row(code === 'before' ? `before (${baseCommit.slice(0, 7)})` : 'now', r) })),
  );
  const find = (code: 'before' | 'now', name: string) => rows.find((x) => x.code === code && x.r.name === name)!;
  const beforeOne = find('before', 'one client');
  const beforeConc = find('before', 'concurrent');
  const nowOne = find('now', 'one client');
  const nowConc = find('now', 'concurrent');
  const burst = find('now', 'overload');
  const x = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  const concErrors = nowConc.r.answers.filter((a) => a.status !== 201).length;
  const busy = burst.r.answers.filter((a) => a.status === 503);
  const otherFailures = burst.r.answers.filter((a) => a.status !== 201 && a.status !== 503);
  const busyLatency = summarize(busy.map((a) => a.ms));
  const check = (ok: boolean) => (ok ? '**met**' : '**missed**');

  const targets = [
    `${clients} × ${perClient}: throughput ${x(nowConc.writesPerSecond, beforeConc.writesPerSecond)} the old code's (target ≥ 10×) — ${check(nowConc.writesPerSecond >= 10 * beforeConc.writesPerSecond)}; ` +
      `${x(nowConc.writesPerSecond, nowOne.writesPerSecond)} one client's in the same run (target ≥ 4×) — ${check(nowConc.writesPerSecond >= 4 * nowOne.writesPerSecond)}; ` +
      `p99 ${ms(nowConc.latency.p99)} ms (target ≤ 250 ms) — ${check(nowConc.latency.p99 <= 250)}; ${concErrors} errors (target 0) — ${check(concErrors === 0)}.`,
    `${burstClients} × ${burstPerClient}: ${otherFailures.length} answers other than 201 and 503 (target 0) — ${check(otherFailures.length === 0)}; ` +
      `${busy.length} prompt 503s (median ${ms(busyLatency.median)} ms, max ${ms(busyLatency.max)} ms), every one with Retry-After: ${busy.every((a) => a.retryAfter && /^\d+$/.test(a.retryAfter)) ? 'yes' : '**no**'}; ` +
      `every accepted change stored once: ${stored?.storedOnce ? 'yes' : '**no**'} (${stored?.accepted} accepted, ${stored?.events} events); seq gap-free: ${stored?.gapFree ? 'yes' : '**no**'}; ` +
      `verify ok: ${verify?.ok ? 'yes' : '**no**'} (${verify?.checked} events); occurredAt in seq order: ${stored?.occurredInSeqOrder ? 'yes' : '**no**'} — ${check(!otherFailures.length && !!stored?.storedOnce && !!stored?.gapFree && !!verify?.ok)}.`,
    `One client, one change at a time: p50 ${ms(nowOne.latency.median)} ms against ${ms(beforeOne.latency.median)} ms before in the same run (target ≤ half) — ${check(nowOne.latency.median <= beforeOne.latency.median / 2)}` +
      (nowOne.latency.median <= beforeOne.latency.median / 2
        ? '.'
        : `; \`/healthz\` plus the write's one D1 transaction alone take ${ms(probed.floor + probed.d1)} ms (${ms(probed.floor)} + ${ms(probed.d1)}, probe below)${probed.floor + probed.d1 > beforeOne.latency.median / 2 ? ", already more than half of the old code's" : ", against half of the old code's"} ${ms(beforeOne.latency.median)} ms. Against the ${ISSUE_ONE_CLIENT_P50_MS} ms the issue measured (under the \`wrangler dev\` command): ${(nowOne.latency.median / ISSUE_ONE_CLIENT_P50_MS).toFixed(2)}×.`),
  ];

  return `## Concurrent single writes: one account, many clients

- Command: \`${ctx.command}\` (this section alone: \`npm run bench -- writes\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}.
${machineMarkdown(ctx.machine)}
- Worker code: now = ${ctx.codeVersion}; before = ${baseCommit.slice(0, 7)} (the merge base with main: every write reads the head, hashes and compare-and-sets it, retrying on a lost race), bundled from \`git archive\`.

**What runs.** The old and the current Worker run side by side, each on a fresh local D1 (the current migrations for both);
each scenario is a fresh account; every client has its own token and keep-alive connection and sends
\`POST /v1/accounts/{a}/changes\` (one change, two elements, no \`occurredAt\`) one after another. The one-client scenario
alternates between the two Workers request by request (its throughput: its 201s over the time its own requests took); in the
others all clients start together. Both run in ${rounds} rounds (each: one client per Worker in turn, then ${clients} × ${perClient} on the old
code, then on the current); the table shows one client over all rounds (${one} changes each round) and ${clients} × ${perClient}'s round of median throughput. A refused write is not retried. Throughput counts 201s over the scenario's
wall time; latencies are of the 201s. Before the timed scenarios, 4 × 10 writes to another account warm the Worker up. The
${burstClients} × ${burstPerClient} scenario runs on the current code only (the old one fell over at 100 × 10, issue 10); afterwards
its D1 file is read: each accepted changeId stored once with its two events and one idempotency record, nothing else
stored, \`seq\` 1..N gap-free with the head at N, and \`GET …/verify\`.

${table(
  ['code', 'clients × changes', 'writes/s', 'p50 ms', 'p99 ms', 'max ms', 'statuses'],
  rows.map((r) => r.cells),
)}

${clients} × ${perClient} in ${rounds} rounds, writes/s: ${(['before', 'now'] as const)
    .map((code) => `${code} ${concurrentRounds[code].map((r) => Math.round(throughput(r) * 1000).toLocaleString('en-US')).join(', ')}`)
    .join('; ')} (the table shows each side's median round); one client, writes/s: ${(['before', 'now'] as const)
    .map((code) => `${code} ${oneClientRounds[code].map((r) => Math.round(throughput(r) * 1000).toLocaleString('en-US')).join(', ')}`)
    .join('; ')}.

${targets.map((t) => `- ${t}`).join('\n')}

**Why.** Before, every write read the chain head, hashed, and compare-and-set the head in its D1 batch; concurrent writers
mostly lost and started over, so the work grew with the square of the concurrency. Now all writes of an account go through
its writer (a Durable Object): it holds the head, and while one D1 batch is in flight the arriving writes queue and go
into the next batch together: one D1 transaction for the group, which reads the head and writes every event, idempotency
record and the new head (changeIds are looked up, one query for the group, only when the transaction met one already stored;
names only when a change needs them). One client gains too: a write was four D1 round trips (idempotency look-up, head,
transaction, reading the events back) and is one, since the writer knows the head and answers with the events it wrote.

**Where one write's time goes** (${one} single writes through the probe build, which times the handler and every D1 call,
the writer's included, inside the isolate; each after a \`/healthz\`): ${ms(probed.client)} ms median at the client
(mean ${ms(probed.clientMean)}) against ${ms(probed.floor)} ms for \`/healthz\`; in the Worker ${ms(probed.handler)} ms (mean), of which
${ms(probed.d1)} ms waiting for D1 (${probed.d1Calls.toFixed(1)} calls a write: the writer's one transaction), the rest
authentication, the rate limiter, validation, canonical JSON and SHA-256 of the body and of each event, and the call to the
writer. A write is the floor plus one D1 transaction and the hop to the writer. The old code made the same transaction
plus three reads (a bare D1 round trip costs under a millisecond here, see the reads section); in production, where each
D1 call crosses the network, those reads weigh more. Under concurrency the single isolate's JavaScript per request,
wrangler's dev proxy and the clients share the same 2 cores, which bounds throughput and p99.
`;
}
