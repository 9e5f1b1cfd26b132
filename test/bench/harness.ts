// (0) How the Worker runs in the benchmarks. `wrangler dev`, the command, adds two conveniences
// of development to every request that no deployed Worker has: its devtools inspector (wrangler's
// Node process receives and logs every devtools event, four per subrequest such as a D1 call)
// and a request log line (one more). The benchmarks therefore run wrangler's dev server through
// its API without them (lib/dev-server.ts); this measures, in one run, the same requests under
// the command, under the API with the request log, and under the API as the benchmarks run it.
import path from 'node:path';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { intOption, type BenchContext } from './lib/context';
import { emitterChange } from './lib/data';
import { Client } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { table } from './lib/report';
import { ms, summarize } from './lib/stats';
import { applyLocalMigrations, startWorker, type RunningWorker } from './lib/wrangler';

interface Mode {
  label: string;
  via: 'cli' | 'api';
  requestLog: boolean;
}

const MODES: Mode[] = [
  { label: 'the `wrangler dev` command (inspector and request log; as `npm start` runs it)', via: 'cli', requestLog: true },
  { label: 'its API without the inspector (request log on)', via: 'api', requestLog: true },
  { label: 'its API without either (what the benchmarks run)', via: 'api', requestLog: false },
];

/** CPU time (ms) used so far by a process tree: workerd's processes, and the rest (wrangler's
 *  Node processes: the command starts a second one). */
function cpuMs(root: number): { wrangler: number; workerd: number } {
  const stats = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      /* gone meanwhile */
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p; p = stats.get(p)?.ppid) if (p === root) return true;
    return false;
  };
  const used = { wrangler: 0, workerd: 0 };
  for (const [pid, s] of stats) if (inTree(pid)) used[s.comm === 'workerd' ? 'workerd' : 'wrangler'] += s.ticks;
  const tickMs = 1000 / 100; // USER_HZ
  return { wrangler: used.wrangler * tickMs, workerd: used.workerd * tickMs };
}

interface Measured {
  healthz: number[];
  write: number[];
  read: number[];
  concurrent: { writes: number; wallMs: number; latencies: number[] };
  cpuPerWrite: { wrangler: number; workerd: number };
}

async function measure(worker: RunningWorker, account: string, requests: number, clients: number, perClient: number): Promise<Measured> {
  const operator = new Client(worker.url, worker.operatorToken);
  await operator.expect('POST', '/v1/accounts', { id: account, name: account, auditEnabledAt: '2020-01-01T00:00:00Z' }, [201]);
  const token = async (name: string, scopes: string[]) =>
    JSON.parse((await operator.expect('POST', `/v1/accounts/${account}/tokens`, { name, scopes }, [201])).body).token as string;
  const writers = [];
  for (let c = 0; c < clients; c++) writers.push(await token(`emitter ${c}`, ['events:write']));
  const reader = new Client(worker.url, await token('reader', ['audit:read']));
  operator.close();

  const one = new Client(worker.url, writers[0]!);
  const write = (client: Client, id: string, i: number) =>
    client.expect('POST', `/v1/accounts/${account}/changes`, emitterChange(id, i), [201]).then((r) => r.ms);
  for (let i = 0; i < 50; i++) await write(one, `warm-${i}`, i);
  const m: Measured = {
    healthz: [],
    write: [],
    read: [],
    concurrent: { writes: 0, wallMs: 0, latencies: [] },
    cpuPerWrite: { wrangler: 0, workerd: 0 },
  };
  // Interleaved, so that the machine's load moves all three alike.
  for (let i = 0; i < requests; i++) {
    m.healthz.push((await one.expect('GET', '/healthz', undefined, [200])).ms);
    m.write.push(await write(one, `one-${i}`, i));
    m.read.push((await reader.expect('GET', `/v1/accounts/${account}/events?limit=50`, undefined, [200])).ms);
  }
  one.close();
  reader.close();
  const before = cpuMs(worker.pid);
  const started = performance.now();
  await Promise.all(
    writers.map(async (t, c) => {
      const client = new Client(worker.url, t);
      for (let k = 0; k < perClient; k++) m.concurrent.latencies.push(await write(client, `c${c}-k${k}`, k));
      client.close();
    }),
  );
  m.concurrent.wallMs = performance.now() - started;
  m.concurrent.writes = clients * perClient;
  const after = cpuMs(worker.pid);
  const writes = m.concurrent.writes;
  m.cpuPerWrite = { wrangler: (after.wrangler - before.wrangler) / writes, workerd: (after.workerd - before.workerd) / writes };
  return m;
}

export async function runHarness(ctx: BenchContext): Promise<string> {
  const requests = intOption('harness-requests', 200);
  const clients = 20;
  const perClient = 25;
  const dir = path.join(ctx.dataDir, 'harness');
  const loadBefore = loadAverage();
  const results = new Map<Mode, Measured[]>(MODES.map((mode) => [mode, []]));
  // Two rounds in turn, so that neither mode gets the machine's quieter minutes.
  for (let round = 1; round <= 2; round++)
    for (const [i, mode] of MODES.entries()) {
      ctx.log(`harness: round ${round}, ${mode.label}`);
      const persistTo = path.join(dir, `persist-${round}-${i}`);
      rmSync(persistTo, { recursive: true, force: true });
      await applyLocalMigrations({ persistTo });
      const worker = await startWorker({ persistTo, config: ctx.snapshot.worker, via: mode.via, runtimeOutput: mode.requestLog });
      try {
        results.get(mode)!.push(await measure(worker, `bench-harness-${round}-${i}`, requests, clients, perClient));
      } finally {
        await worker.stop();
      }
    }

  const rows = MODES.map((mode) => {
    const runs = results.get(mode)!;
    const pooled = (pick: (m: Measured) => number[]) => summarize(runs.flatMap(pick));
    const concurrent =
      runs.reduce((sum, r) => sum + r.concurrent.writes, 0) / (runs.reduce((sum, r) => sum + r.concurrent.wallMs, 0) / 1000);
    const cpu = (key: 'wrangler' | 'workerd') => runs.reduce((sum, r) => sum + r.cpuPerWrite[key], 0) / runs.length;
    return {
      mode,
      healthz: pooled((m) => m.healthz).median,
      write: pooled((m) => m.write).median,
      read: pooled((m) => m.read).median,
      concurrent,
      p99: pooled((m) => m.concurrent.latencies).p99,
      cpu: { wrangler: cpu('wrangler'), workerd: cpu('workerd') },
    };
  });
  const [cli, , bench] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
  const x = (a: number, b: number) => `${(a / b).toFixed(1)}×`;

  return `## How the Worker runs: \`wrangler dev\` and what it adds to every request

- Command: \`${ctx.command}\` (this section alone: \`npm run bench -- harness\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}.
${machineMarkdown(ctx.machine)}
- Worker code: ${ctx.codeVersion}.

**What runs.** The Worker's bundle three ways, each on a fresh local D1, two rounds in turn:
${MODES.map((m, i) => `${i + 1}. ${m.label}`).join('\n')}

Against each: 50 single writes to warm up, then ${requests} times in turn \`GET /healthz\` (no D1), \`POST …/changes\` (one change,
two elements: the account's writer and one D1 transaction) and \`GET …/events?limit=50\` (D1 reads and the access log's
insert), one client; then ${clients} clients × ${perClient} single writes at once. CPU is what wrangler's Node processes and the
workerd processes below them used during the concurrent writes, per write (read from /proc).

${table(
  [
    'wrangler dev',
    '/healthz p50 ms',
    'one write p50 ms',
    'events page p50 ms',
    `${clients} × ${perClient} writes/s`,
    'p99 ms',
    "CPU ms per concurrent write: wrangler's Node",
    'workerd',
  ],
  rows.map((r) => [
    r.mode.label,
    ms(r.healthz),
    ms(r.write),
    ms(r.read),
    Math.round(r.concurrent).toLocaleString('en-US'),
    ms(r.p99),
    ms(r.cpu.wrangler),
    ms(r.cpu.workerd),
  ]),
)}

The command against how the benchmarks run it: \`/healthz\` ${x(cli.healthz, bench.healthz)}, a write ${x(cli.write, bench.write)}, an events page
${x(cli.read, bench.read)}, concurrent writes ${x(bench.concurrent, cli.concurrent)} the throughput. **Why.** The command attaches wrangler's
devtools inspector to workerd and enables its Network domain; for every D1 call workerd then reports four devtools events
(\`Network.requestWillBeSent\` … \`Network.loadingFinished\`: the local D1 binding is a fetch to \`http://d1/query\`), and wrangler posts
each from its inspector proxy to its Node process, which appends it to a debug log file (\`.wrangler/logs\`, whatever the
log level); each request's log line takes the same way. A request pays per D1 call, and even
\`/healthz\`, which calls nothing, pays for its log line and for wrangler's Node process still busy with the previous
request's events on the same 2 cores. No deployed Worker has either, so every other section measures wrangler's dev server without them
(\`test/bench/lib/dev-server.ts\`: the API the command calls, with the same config, local bindings, D1 and proxy). Sections dated
before 2026-12-03 were measured under the command.`;
}
