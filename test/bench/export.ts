// (c) Exports (issue 3): a 100,000-row xlsx through HTTP — time to first byte, total time and
// the peak RSS growth of the workerd process that runs the Worker — then the same export in a
// workerd whose V8 heap is capped at 128 MB (Cloudflare's isolate limit; local workerd has
// none), which must complete; and a CSV of 1,000,000 rows (the reads benchmark's account) with
// workerd's memory at 25/50/75/100 % of the rows, to show that it stays flat.
import { unzipSync } from 'fflate';
import path from 'node:path';
import { baselineLine, comparison, inTurn, startSides, stopSides, type Side } from './lib/baseline';
import { intOption, type BenchContext } from './lib/context';
import { Client, newlines, newToken, streamGet, type Streamed } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { GcTrace, type HeapPeak, peakRssMb, resetPeak, rssMb, RssSampler, workerdOf } from './lib/memory';
import { probeTiming } from './lib/probe';
import { table } from './lib/report';
import { READS_SPEC, readsDir, seededDatabase, type SeededDatabase } from './lib/seed';
import { open } from './lib/sqlite';
import { ms, summarize } from './lib/stats';
import { startWorker, v8FlagsEnv, type RunningWorker } from './lib/wrangler';

const XLSX_ACCOUNT = 'bench-export';
const TARGET_SECONDS = 3;
const TARGET_MB = 128;
const HEAP_FLAGS = ['--max-heap-size=128'];
/** A CSV is "flat" when workerd's RSS grows less than this between 25 % and 100 % of the rows. */
const FLAT_MB = 16;
/** CSV exports of the 1M account per Worker in the before/after comparison (≈ 11 s each). */
const CSV_PAIRS = 2;
/** Allocated by the probe to show that the heap cap is in force (and absent without it). */
const ALLOCATE_MB = 200;

const mb = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '–');
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;

const exportToken = (worker: RunningWorker, account: string) => newToken(worker, account, 'exporter', ['audit:read', 'audit:export']);

/** Lets workerd settle (GC, the access log write), then reads its RSS. */
async function settledRss(pid: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return rssMb(pid);
}

interface Measured {
  streamed: Streamed;
  /** Sampled peak and the kernel's peak (VmHWM, reset before the run), MB. */
  peak: number;
  hwm: number;
  interval: number;
}

/** One streamed export, with workerd's RSS sampled meanwhile (`onChunk` may sample it too). */
async function measuredStream(
  pid: number,
  worker: RunningWorker,
  path: string,
  token: string,
  onChunk: (chunk: Buffer, sampler: RssSampler) => void,
): Promise<Measured> {
  resetPeak(pid);
  const sampler = new RssSampler(pid).start();
  let streamed: Streamed;
  try {
    streamed = await streamGet(worker.url, path, token, (chunk) => onChunk(chunk, sampler));
  } finally {
    sampler.stop();
  }
  return { streamed, peak: sampler.peak, hwm: peakRssMb(pid), interval: sampler.interval };
}

interface XlsxRun extends Measured {
  /** The largest V8 heap (used, committed) of any isolate during the run, MB (--trace-gc). */
  heapUsed: number;
  heapCommitted: number;
}

const finiteMax = (values: number[]) => Math.max(...values.filter(Number.isFinite));

interface XlsxSeries {
  label: string;
  /** The largest isolate's heap over all the series' exports (a trace that is never reset). */
  heap?: HeapPeak;
  baseline: number;
  runs: XlsxRun[];
  rows: number;
  /** What happened when the probe then held ALLOCATE_MB of heap. */
  allocation: string;
  allocationFailed: boolean;
  breakdown?: { handler: number; d1: number; calls: number; client: number };
  error?: string;
}

/** Exports the xlsx `repeats` times on one wrangler dev, sampling workerd's RSS. */
async function xlsxSeries(
  ctx: BenchContext,
  db: SeededDatabase,
  label: string,
  repeats: number,
  heapFlags: string[],
  validate: boolean,
  format: 'xlsx' | 'csv' = 'xlsx',
): Promise<XlsxSeries> {
  const trace = new GcTrace();
  const whole = new GcTrace();
  const env = v8FlagsEnv(['--trace-gc', ...heapFlags], path.join(ctx.dataDir, 'export'));
  let measuring = false;
  const onOutput = (text: string) => {
    trace.feed(text);
    if (measuring) whole.feed(text);
  };
  const worker = await startWorker({ persistTo: db.persistTo, config: ctx.snapshot.probe, env, onOutput, runtimeOutput: true });
  const series: XlsxSeries = { label, baseline: NaN, runs: [], rows: db.info.events, allocation: '', allocationFailed: false };
  try {
    const pid = workerdOf(worker.pid, Number(new URL(worker.url).port));
    const token = await exportToken(worker, XLSX_ACCOUNT);
    const path = `/v1/accounts/${XLSX_ACCOUNT}/events/export?format=${format}`;
    // Warm-up: the isolate, the export path and the token cache, on a small export.
    const small = await streamGet(worker.url, `${path}&objectType=lob`, token, () => {});
    if (small.status !== 200) throw new Error(`warm-up export answered ${small.status}`);
    series.baseline = await settledRss(pid);
    measuring = true;
    for (let i = 0; i < repeats; i++) {
      trace.reset();
      const chunks: Buffer[] = [];
      let measured: Measured;
      try {
        measured = await measuredStream(pid, worker, path, token, (chunk) => validate && i === 0 && chunks.push(chunk));
      } catch (error) {
        series.error = `run ${i + 1} failed: ${(error as Error).message}; workerd ${alive(pid) ? 'still running' : 'gone'}; wrangler said:\n${worker.output().slice(-1500)}`;
        break;
      }
      const { streamed } = measured;
      if (streamed.status !== 200) throw new Error(`${format} export answered ${streamed.status}`);
      const total = Number(streamed.headers['x-total-count']);
      if (format === 'xlsx' && total !== db.info.events) throw new Error(`X-Total-Count ${total}, expected ${db.info.events}`);
      if (chunks.length) {
        const files = unzipSync(Buffer.concat(chunks));
        const sheet = files['xl/worksheets/sheet1.xml'];
        if (!sheet) throw new Error('no xl/worksheets/sheet1.xml in the export');
        const rows = Buffer.from(sheet).toString('utf8').split('<row ').length - 1;
        if (rows !== db.info.events + 1) throw new Error(`the sheet has ${rows} rows, expected ${db.info.events + 1} (header + events)`);
      }
      await settledRss(pid); // also lets the last GC lines through wrangler
      const heap = trace.largest;
      series.runs.push({
        ...measured,
        heapUsed: heap.used,
        heapCommitted: heap.committed,
      });
    }
    measuring = false;
    series.heap = whole.largest;
    if (!series.error && format === 'xlsx') {
      // Where the time goes: the same export once through the probe's timing wrapper
      // (handler + stream consumed inside the isolate, every D1 call timed).
      const client = new Client(worker.url, token);
      const timed = await client.expect('GET', `/__bench/timed${path}`, undefined, [200]);
      const t = probeTiming(timed);
      series.breakdown = { handler: t.totalMs, d1: t.d1Ms, calls: t.d1Calls, client: timed.ms };
      client.close();
    }
    if (format !== 'xlsx') return series;
    // Is a heap cap in force? Hold ALLOCATE_MB of V8 heap in the same isolate. A workerd
    // that dies leaves the request hanging in wrangler's proxy: give up after 20 s.
    try {
      const reply = await fetch(`${worker.url}/__bench/allocate?mb=${ALLOCATE_MB}`, { signal: AbortSignal.timeout(20_000) });
      const text = await reply.text();
      series.allocationFailed = reply.status !== 200;
      series.allocation =
        reply.status === 200 ? `held ${ALLOCATE_MB} MB` : `answered ${reply.status} (${text.slice(0, 120).replace(/\s+/g, ' ')})`;
    } catch (error) {
      series.allocationFailed = true;
      series.allocation = `got no answer (${(error as Error).name === 'TimeoutError' ? 'none within 20 s' : (error as Error).message})`;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const oom = /Fatal JavaScript out of memory[^\n]*|Last few GCs|out of memory|Received signal #6: Aborted/i.exec(worker.output());
    const lastGc = [...worker.output().matchAll(/Mark-Compact[^\n]*?-> ([\d.]+) \(([\d.]+)\) MB/g)].at(-1);
    if (oom || !alive(pid))
      series.allocation +=
        `: workerd ${alive(pid) ? 'logged' : 'died'}${oom ? ` (“${oom[0].trim()}”` : ''}` +
        `${lastGc ? `${oom ? '; ' : ' ('}V8's last mark-compact left ${lastGc[1]} MB of ${lastGc[2]} MB heap` : ''}${oom || lastGc ? ')' : ''}`;
  } finally {
    await worker.stop();
  }
  return series;
}

function alive(pid: number): boolean {
  try {
    rssMb(pid);
    return true;
  } catch {
    return false;
  }
}

interface CsvResult extends Measured {
  rows: number;
  expected: number;
  baseline: number;
  /** RSS when 25/50/75/100 % of the rows had arrived. */
  quartiles: { share: number; rows: number; rss: number; atMs: number }[];
}

/** The reads account's events in retention: the rows its CSV export holds. */
function csvRowsExpected(ctx: BenchContext, db: SeededDatabase): number {
  const file = open(db.d1File, { readonly: true });
  const cutoff = ctx.code.retentionCutoff(Date.now(), 13);
  const expected = file
    .prepare('SELECT count(*) FROM audit_events WHERE account_id = ? AND occurred_at >= ?')
    .pluck()
    .get(READS_SPEC(0).accountId, cutoff) as number;
  file.close();
  return expected;
}

async function csvExport(ctx: BenchContext, db: SeededDatabase, env?: Record<string, string>): Promise<CsvResult> {
  const account = READS_SPEC(0).accountId;
  const expected = csvRowsExpected(ctx, db);
  const worker = await startWorker({ persistTo: db.persistTo, config: ctx.snapshot.worker, env, runtimeOutput: !!env });
  try {
    const pid = workerdOf(worker.pid, Number(new URL(worker.url).port));
    const token = await exportToken(worker, account);
    const path = `/v1/accounts/${account}/events/export?format=csv`;
    const small = await streamGet(worker.url, `${path}&objectType=lob`, token, () => {});
    if (small.status !== 200) throw new Error(`warm-up export answered ${small.status}`);
    const baseline = await settledRss(pid);
    const marks = [0.25, 0.5, 0.75, 1];
    const quartiles: CsvResult['quartiles'] = [];
    let lines = 0;
    const started = performance.now();
    const measured = await measuredStream(pid, worker, path, token, (chunk, sampler) => {
      lines += newlines(chunk);
      const rows = lines - 1; // the header line
      while (quartiles.length < marks.length && rows >= Math.round(marks[quartiles.length]! * expected))
        quartiles.push({ share: marks[quartiles.length]!, rows, rss: sampler.sample(), atMs: performance.now() - started });
    });
    if (measured.streamed.status !== 200) throw new Error(`CSV export answered ${measured.streamed.status}`);
    const rows = lines - 1;
    if (rows !== expected) throw new Error(`the CSV has ${rows} rows, expected ${expected}`);
    return { ...measured, rows, expected, baseline, quartiles };
  } finally {
    await worker.stop();
  }
}

interface SideExport {
  firstByteMs: number;
  totalMs: number;
  /** workerd's RSS: peak during the export − idle after the warm-up (as in the series), MB. */
  growth: number;
}

/** With --before: the same export from the current Worker and from the baseline, both running
 *  on the same rows (the baseline on a copy), `runs` times each, strictly alternating (lib/baseline.ts, inTurn).
 *  Each export is checked for its row count (X-Total-Count for xlsx, lines for CSV). */
async function exportsSideBySide(
  ctx: BenchContext,
  db: SeededDatabase,
  account: string,
  format: 'xlsx' | 'csv',
  runs: number,
  rows: number,
): Promise<Record<Side, SideExport[]>> {
  const out: Record<Side, SideExport[]> = { now: [], before: [] };
  const sides = await startSides(ctx, { persistTo: db.persistTo, version: db.info.builtAt });
  try {
    const path = `/v1/accounts/${account}/events/export?format=${format}`;
    const ready = [];
    for (const { side, worker } of sides) {
      const pid = workerdOf(worker.pid, Number(new URL(worker.url).port));
      const token = await exportToken(worker, account);
      const small = await streamGet(worker.url, `${path}&objectType=lob`, token, () => {});
      if (small.status !== 200) throw new Error(`warm-up export (${side}) answered ${small.status}`);
      ready.push({ side, worker, pid, token, idle: await settledRss(pid) });
    }
    for (let i = 0; i < runs; i++)
      for (const { side, worker, pid, token, idle } of inTurn(i, ready)) {
        await settledRss(pid);
        let lines = 0;
        const m = await measuredStream(pid, worker, path, token, (chunk) => (lines += newlines(chunk)));
        if (m.streamed.status !== 200) throw new Error(`${format} export (${side}) answered ${m.streamed.status}`);
        const got = format === 'xlsx' ? Number(m.streamed.headers['x-total-count']) : lines - 1;
        if (got !== rows) throw new Error(`${format} export (${side}): ${got} rows, expected ${rows}`);
        out[side].push({ firstByteMs: m.streamed.firstByteMs, totalMs: m.streamed.totalMs, growth: Math.max(m.peak, m.hwm) - idle });
      }
  } finally {
    await stopSides(sides);
  }
  return out;
}

export async function runExport(ctx: BenchContext): Promise<string> {
  const xlsxRows = intOption('export-rows', 100_000);
  const repeats = intOption('export-repeats', 5);
  const csvEvents = intOption('read-events', 1_000_000);
  const reuse = process.argv.includes('--reuse') || process.env.BENCH_REUSE === '1';
  const loadBefore = loadAverage();

  const xlsxDb = await seededDatabase(
    ctx,
    path.join(ctx.dataDir, 'export'),
    {
      accountId: XLSX_ACCOUNT,
      name: `Benchmark account (${xlsxRows.toLocaleString('en-US')} events)`,
      events: xlsxRows,
      days: 90,
      seed: 1,
    },
    reuse,
  );
  ctx.log(`export: ${repeats} × xlsx of ${xlsxRows} rows, workerd as wrangler dev starts it`);
  const free = await xlsxSeries(ctx, xlsxDb, 'no heap cap (workerd as wrangler dev runs it)', repeats, [], true);
  ctx.log(`export: ${repeats} × the same xlsx, workerd's V8 heap capped (${HEAP_FLAGS.join(' ')})`);
  const capped = await xlsxSeries(ctx, xlsxDb, `V8 heap capped: \`${HEAP_FLAGS.join(' ')}\``, repeats, HEAP_FLAGS, false);
  ctx.log('export: the same rows as CSV in a fresh workerd (what the reads alone cost in RSS)');
  const sameRowsCsv = await xlsxSeries(ctx, xlsxDb, 'CSV of the same rows, no heap cap', 2, [], false, 'csv');

  // The 1M-event account of the reads benchmark: reused when present (built otherwise).
  const readsDb = await seededDatabase(ctx, readsDir(ctx), READS_SPEC(csvEvents), true);
  ctx.log(`export: CSV of all ${csvEvents} events of ${READS_SPEC(0).accountId}`);
  const csv = await csvExport(ctx, readsDb);
  ctx.log(`export: the same CSV, workerd's V8 heap capped`);
  let cappedCsv: CsvResult | string;
  try {
    cappedCsv = await csvExport(ctx, readsDb, v8FlagsEnv(HEAP_FLAGS, path.join(ctx.dataDir, 'export')));
  } catch (error) {
    cappedCsv = (error as Error).message.slice(0, 300);
  }
  let sideBySide: ReportInput['sideBySide'];
  if (ctx.before) {
    ctx.log(`export: ${repeats} × the xlsx and ${CSV_PAIRS} × the CSV from the current Worker and from ${ctx.before.short}, side by side`);
    sideBySide = {
      xlsx: await exportsSideBySide(ctx, xlsxDb, XLSX_ACCOUNT, 'xlsx', repeats, xlsxDb.info.events),
      csv: await exportsSideBySide(ctx, readsDb, READS_SPEC(0).accountId, 'csv', CSV_PAIRS, csv.expected),
    };
  }

  return report({ ctx, loadBefore, xlsxRows, repeats, xlsxDb, free, capped, sameRowsCsv, readsDb, csv, cappedCsv, sideBySide });
}

interface ReportInput {
  ctx: BenchContext;
  loadBefore: string;
  xlsxRows: number;
  repeats: number;
  xlsxDb: SeededDatabase;
  free: XlsxSeries;
  capped: XlsxSeries;
  sameRowsCsv: XlsxSeries;
  readsDb: SeededDatabase;
  csv: CsvResult;
  cappedCsv: CsvResult | string;
  /** With --before: each export from both Workers, side by side. */
  sideBySide?: Record<'xlsx' | 'csv', Record<Side, SideExport[]>>;
}

function report(x: ReportInput): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const { free, capped, csv, sameRowsCsv } = x;
  const stats = (s: XlsxSeries) => ({
    ttfb: summarize(s.runs.map((r) => r.streamed.firstByteMs)),
    total: summarize(s.runs.map((r) => r.streamed.totalMs)),
    growth: Math.max(...s.runs.map((r) => Math.max(r.peak, r.hwm) - s.baseline)),
    peak: Math.max(...s.runs.map((r) => Math.max(r.peak, r.hwm))),
    heapUsed: finiteMax([s.heap?.used ?? NaN, ...s.runs.map((r) => r.heapUsed)]),
    heapCommitted: finiteMax([s.heap?.committed ?? NaN, ...s.runs.map((r) => r.heapCommitted)]),
    heapLive: s.heap?.live ?? NaN,
    bytes: s.runs[0]?.streamed.bytes ?? NaN,
    interval: summarize(s.runs.map((r) => r.interval)).median,
  });
  const f = stats(free);
  const c = stats(capped);
  const r = stats(sameRowsCsv);
  const seriesRows = (
    [
      [free, f, x.repeats],
      [capped, c, x.repeats],
      [sameRowsCsv, r, sameRowsCsv.runs.length],
    ] as const
  ).map(([s, st, planned]) => [
    s.label,
    s.error ? `**failed** after ${s.runs.length} of ${planned}` : `${s.runs.length} of ${planned}`,
    ms(st.ttfb.median),
    `**${seconds(st.total.median)}**`,
    `${seconds(st.total.min)} / ${seconds(st.total.max)}`,
    mb(s.baseline),
    mb(st.peak),
    `**+${mb(st.growth)}**`,
    `${mb(st.heapUsed)} / ${mb(st.heapCommitted)} / ${st.heapLive ? mb(st.heapLive) : '–'}`,
  ]);
  const perRun = (
    [
      [free, 'xlsx, no cap'],
      [capped, 'xlsx, capped'],
      [sameRowsCsv, 'csv, no cap'],
    ] as const
  ).flatMap(([s, label]) =>
    s.runs.map((run, i) => [
      label,
      i + 1,
      ms(run.streamed.firstByteMs),
      ms(run.streamed.totalMs),
      mb(run.peak),
      mb(run.hwm),
      `+${mb(Math.max(run.peak, run.hwm) - s.baseline)}`,
      `${mb(run.heapUsed)} / ${mb(run.heapCommitted)}`,
    ]),
  );

  const timeMet = f.total.median <= TARGET_SECONDS * 1000;
  const memMet = f.growth <= TARGET_MB;
  const heapMet = f.heapCommitted <= TARGET_MB;
  const cappedOk = !capped.error && capped.runs.length === x.repeats;
  const capProven = capped.allocationFailed && !free.allocationFailed;
  const verdicts = [
    timeMet
      ? `- Time: **${seconds(f.total.median)}** median for ${n(x.xlsxRows)} rows — target ≤ ${TARGET_SECONDS} s **met**.`
      : `- Time: **${seconds(f.total.median)}** median for ${n(x.xlsxRows)} rows — target ≤ ${TARGET_SECONDS} s **missed by ${seconds(f.total.median - TARGET_SECONDS * 1000)}** (${(f.total.median / (TARGET_SECONDS * 1000)).toFixed(2)}× the target).`,
    memMet
      ? `- Memory: workerd's RSS grew by at most **${mb(f.growth)} MB** during an export — target ≤ ${TARGET_MB} MB **met**; the Worker's V8 heap peaked at ${mb(f.heapUsed)} MB used (${mb(f.heapCommitted)} MB committed).`
      : `- Memory, as RSS of the workerd process: it grew by up to **${mb(f.growth)} MB** during an export — **${mb(f.growth - TARGET_MB)} MB over** the ${TARGET_MB} MB target. ` +
        `As the isolate's memory, which is what the ${TARGET_MB} MB limit applies to: its V8 heap peaked at **${mb(f.heapUsed)} MB used, ${mb(f.heapCommitted)} MB committed**${f.heapLive ? ` (at most ${mb(f.heapLive)} MB still live after a full collection)` : ''} — ${heapMet ? '**within** the target' : `**over** the target by ${mb(f.heapCommitted - TARGET_MB)} MB`}, and the capped runs below finish inside 128 MB (see below for the difference).`,
    cappedOk
      ? `- With the V8 heap capped at 128 MB: **all ${x.repeats} exports completed** (median ${seconds(c.total.median)})${capProven ? `, in the same workerd that could not hold ${ALLOCATE_MB} MB of heap (${capped.allocation}) — the cap was in force; without it the same allocation ${free.allocation}` : `; the control allocation of ${ALLOCATE_MB} MB ${capped.allocation} with the cap and ${free.allocation} without it${capped.allocationFailed ? '' : ' — **the cap was not shown to be in force**'}`}.`
      : `- With the V8 heap capped at 128 MB: **the export failed** — ${capped.error}`,
  ];
  const b = free.breakdown;
  const breakdown = b
    ? `Through the probe's timing wrapper (the stream consumed inside the isolate), one more uncapped export took ${ms(b.handler)} ms in the
handler, of which ${ms(b.d1)} ms waiting for D1 in ${b.calls} calls (the token, the chain head, the row count for the cap, the
access-log entry and the pages of up to 5,000 rows) and ${ms(b.handler - b.d1)} ms of JavaScript (XML of each row, deflate, the zip framing).`
    : '';
  const rssWhy = memMet
    ? ''
    : `**Why the RSS grows more than the heap.** The RSS is the whole workerd process, and wrangler dev's workerd runs more than the
Worker's isolate: the local D1 itself (a Durable Object with its SQLite database, in the same process; every page of rows is
read there, serialized and handed to the Worker), miniflare's helper workers, and memory outside V8's heap (network and stream
buffers, the zip's output chunks). Evidence: the V8 heap of the largest isolate, from V8's own \`--trace-gc\` lines, stayed at
${mb(f.heapUsed)} MB used (${mb(f.heapCommitted)} MB committed) while the RSS grew by ${mb(f.growth)} MB; with the cap, V8 lets the heap fill up to
it (${mb(c.heapUsed)} MB used${c.heapLive ? `, ${mb(c.heapLive)} MB live after full collections` : ''}) and collects more often, which is also why those runs are slower; the same ${n(x.xlsxRows)} rows exported as CSV in a fresh
workerd (no zip, no deflate: only the reads and a little text) grew the RSS by ${mb(r.growth)} MB with a ${mb(r.heapCommitted)} MB heap, so most of the growth comes
with reading the rows, not with the xlsx writer; and under \`${HEAP_FLAGS.join(' ')}\` the xlsx export completes ${cappedOk ? 'every time' : '(see above)'} while the RSS
grows by ${mb(c.growth)} MB. On Cloudflare the D1 database is not in the Worker's process; the isolate's own memory is the heap column.`;
  const why = timeMet
    ? ''
    : `\n**Why the time target is missed.** ${b ? `Of the ${ms(b.handler)} ms the export spends in the Worker, ${ms(b.d1)} ms (${((100 * b.d1) / b.handler).toFixed(0)} %) is D1 and ${ms(b.handler - b.d1)} ms JavaScript.` : ''} The numbers are from a 2-core machine shared with other test runs (load average before ${x.loadBefore}).\n`;

  const before = x.ctx.before;
  const sb = x.sideBySide;
  const compared =
    before && sb
      ? `**Before/after.** Each export again from two Workers running side by side — the current one (not the probe) and the one of ${before.short}
on a copy of the same D1 folder — ${x.repeats} times each for the xlsx and ${CSV_PAIRS} times each for the ${n(csv.expected)}-row CSV, strictly
alternating; 1 s of rest before each export, growth = workerd's peak RSS during it − its idle RSS after the warm-up (RSS
hardly shrinks, so later exports grow it less). Pairs: the *i*-th export of each.

${comparison(
  before,
  (
    [
      ['xlsx', `xlsx, ${n(x.xlsxRows)} rows`],
      ['csv', `CSV, ${n(csv.expected)} rows`],
    ] as const
  ).flatMap(([format, label]) => [
    { what: `${label}: total`, before: sb[format].before.map((r) => r.totalMs), now: sb[format].now.map((r) => r.totalMs), paired: true },
    {
      what: `${label}: first byte`,
      before: sb[format].before.map((r) => r.firstByteMs),
      now: sb[format].now.map((r) => r.firstByteMs),
      paired: true,
    },
    {
      what: `${label}: workerd RSS growth, MB`,
      before: sb[format].before.map((r) => r.growth),
      now: sb[format].now.map((r) => r.growth),
      paired: true,
      format: mb,
    },
  ]),
)}
`
      : '';
  const q = csv.quartiles;
  const first = q[0]?.rss ?? NaN;
  const lastQ = q.at(-1)?.rss ?? NaN;
  const spread = Math.max(...q.map((p) => p.rss)) - Math.min(...q.map((p) => p.rss));
  const flat = Math.max(...q.map((p) => p.rss)) - first <= FLAT_MB;
  const csvVerdict = flat
    ? `**Flat**: from 25 % to 100 % of the rows workerd's RSS moved by ${mb(spread)} MB (${mb(first)} → ${mb(lastQ)} MB; criterion: grows less than ${FLAT_MB} MB), with a peak ${mb(Math.max(csv.peak, csv.hwm) - csv.baseline)} MB above the idle baseline.`
    : `**Not flat**: from 25 % to 100 % of the rows workerd's RSS grew by ${mb(Math.max(...q.map((p) => p.rss)) - first)} MB (${mb(first)} → ${mb(lastQ)} MB; criterion: less than ${FLAT_MB} MB).`;
  return `## Exports: ${n(x.xlsxRows)}-row xlsx, under a 128 MB V8 heap, and a ${n(csv.rows)}-row CSV

- Command: \`${x.ctx.command}\` (this section alone: \`npm run bench -- export\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${x.loadBefore}, after ${loadAverage()}.
${machineMarkdown(x.ctx.machine)}
- Worker code: ${before ? `now = ${x.ctx.codeVersion}; ${baselineLine(before)}` : x.ctx.codeVersion}.

**Data.** xlsx: an account of its own, \`${XLSX_ACCOUNT}\`, with exactly ${n(x.xlsxDb.info.events)} events (${n(x.xlsxDb.info.changes)} changes, the same generator
as the other benchmarks, over the last 90 days), inserted with better-sqlite3 into a fresh local D1 file (lib/seed.ts, a valid hash chain,
\`accounts.chain_seq\` = the last seq so the export's snapshot covers them all) ${x.xlsxDb.reused ? `earlier (${x.xlsxDb.info.builtAt}, reused with --reuse)` : `in this run (${x.xlsxDb.info.buildSeconds.total.toFixed(0)} s)`}.
The export is unfiltered: \`GET /v1/accounts/${XLSX_ACCOUNT}/events/export?format=xlsx\`, every row (\`X-Total-Count\` checked = ${n(x.xlsxDb.info.events)};
the first file unzipped and its sheet checked to hold ${n(x.xlsxDb.info.events + 1)} rows). CSV: the reads benchmark's account (\`${READS_SPEC(0).accountId}\`,
${n(x.readsDb.info.events)} events over 12 months, ${x.readsDb.reused ? `built ${x.readsDb.info.builtAt} and reused` : 'built in this run'}), \`GET …/events/export?format=csv\`, all ${n(csv.expected)} rows in retention.

**Method.** \`wrangler dev\` (127.0.0.1) on the snapshot bundle; for the xlsx runs the probe build (the real Worker; only \`/__bench/*\`
paths differ) so that the same isolate can afterwards be asked to hold ${ALLOCATE_MB} MB of heap. One warm-up export (\`objectType=lob\`),
1 s of rest, then ${x.repeats} exports one after another (and two CSV exports of the same rows in a fresh workerd, for comparison), each read by the client as it streams (nothing kept). Memory is the **RSS of the
workerd process that runs the Worker**: wrangler dev runs two workerd processes, one for its proxy (listening on the public port) and
one for the Worker (found below the wrangler process by its command line), read from \`/proc/<pid>/status\` (\`VmRSS\`) every
~20 ms (median interval ${ms(f.interval)} ms) and checked against the kernel's own peak (\`VmHWM\`, reset through \`/proc/<pid>/clear_refs\`
before each export). Growth = peak − the idle RSS after the warm-up. The heap columns are V8's own numbers: the workerd of these runs
runs with \`--trace-gc\` (set like the heap cap below), whose line per collection gives the heap used and committed before and after it;
the column shows the largest isolate's peak during the export (– where none was logged). workerd holds several isolates here (the
Worker's, the local D1's Durable Object, miniflare's helpers) and the lines do not say which is which, so this is an upper bound
for the Worker's heap.

**How the heap is capped.** workerd takes V8 flags only in its configuration (\`Config.v8Flags\` in workerd.capnp), not on its command
line, and neither wrangler nor miniflare sets or exposes that field (\`NODE_OPTIONS\` reaches Node, not workerd). miniflare starts the
program named by \`MINIFLARE_WORKERD_PATH\` instead of its workerd, so the benchmark starts wrangler dev with that variable pointing at a
shell script running \`test/bench/lib/workerd-shim.mjs\`: it reads the binary Cap'n Proto configuration miniflare writes to workerd's
stdin, adds a segment with the flags and points \`v8Flags\` at it, then runs the real workerd with the same arguments, the patched
configuration and the same control pipe. The flags here: \`${HEAP_FLAGS.join(' ')}\` (V8's whole heap, in MB). Proof that it holds: after the
exports, the probe's \`/__bench/allocate?mb=${ALLOCATE_MB}\` (${ALLOCATE_MB} MB of JavaScript arrays held at once) ${capped.allocation} under the cap and
${free.allocation} without it.

${table([n(x.xlsxRows) + ' rows', 'runs', 'time to first byte, median ms', 'total, median', 'total min / max', 'workerd RSS idle MB', 'RSS peak MB', 'RSS growth MB (max)', 'V8 heap peak MB: used / committed / live after a full GC'], seriesRows)}

${verdicts.join('\n')}

The file is ${(f.bytes / 2 ** 20).toFixed(1)} MB. ${breakdown}
${why}
${rssWhy}

<details><summary>Each xlsx run</summary>

${table(['export', 'run', 'first byte ms', 'total ms', 'sampled RSS peak MB', 'VmHWM MB', 'RSS growth MB', 'V8 heap MB, used / committed'], perRun)}

</details>

**CSV, ${n(csv.rows)} rows** (${(csv.streamed.bytes / 2 ** 20).toFixed(0)} MB): first byte after ${ms(csv.streamed.firstByteMs)} ms, all of it after **${seconds(csv.streamed.totalMs)}**
(${n(Math.round((csv.rows / csv.streamed.totalMs) * 1000))} rows/s). workerd's RSS: ${mb(csv.baseline)} MB idle before, peak **${mb(Math.max(csv.peak, csv.hwm))} MB** (sampled ${mb(csv.peak)}, VmHWM ${mb(csv.hwm)}; median sampling interval ${ms(csv.interval)} ms), and as the rows arrived:

${table(
  ['rows streamed', 'at', 'workerd RSS MB', 'vs idle'],
  q.map((p) => [`${(p.share * 100).toFixed(0)} % (${n(p.rows)})`, seconds(p.atMs), mb(p.rss), `+${mb(p.rss - csv.baseline)}`]),
)}

${csvVerdict}

${
  typeof x.cappedCsv === 'string'
    ? `**Under the 128 MB heap cap the CSV export failed**: ${x.cappedCsv}`
    : `**Under the 128 MB heap cap** (same flags as above) the same ${n(x.cappedCsv.rows)}-row CSV completed too, in ${seconds(x.cappedCsv.streamed.totalMs)}; workerd's RSS at
25/50/75/100 %: ${x.cappedCsv.quartiles.map((p) => mb(p.rss)).join(' / ')} MB (idle ${mb(x.cappedCsv.baseline)} MB, peak ${mb(Math.max(x.cappedCsv.peak, x.cappedCsv.hwm))} MB).`
}

${compared}`;
}
