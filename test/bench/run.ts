// npm run bench [-- harness ingest writes reads export extension verify liveperson webhooks]: runs the benchmarks (all, or those
// named) and rewrites their sections of docs/BENCHMARKS.md.
//
// Sizes (defaults are the documented benchmark; smaller ones for development):
//   --ingest-events=N   BENCH_INGEST_EVENTS   events recorded over HTTP (100000)
//   --batch-changes=N   BENCH_BATCH_CHANGES   changes per batch request (1000)
//   --read-events=N     BENCH_READ_EVENTS     events in the 1M account of reads, export (CSV) and verify (1000000)
//   --requests=N        BENCH_REQUESTS        timed requests per read scenario (300)
//   --export-rows=N     BENCH_EXPORT_ROWS     rows of the xlsx export (100000)
//   --export-repeats=N  BENCH_EXPORT_REPEATS  xlsx exports per workerd (5)
//   --opens=N           BENCH_OPENS           extension: timed panel opens per case (20)
//   --chain-events=N    BENCH_CHAIN_EVENTS    verify: events ingested with and without the chain (100000)
//   --writes-one=N, --writes-clients=N, --writes-per-client=N, --writes-burst-clients=N,
//   --writes-burst-per-client=N           writes: 1 × 100 (a round), 20 × 50 (a round) and 100 × 20 single changes
//   --writes-rounds=N                     writes: rounds of the one-client and 20 × 50 scenarios (3)
//   --before=COMMIT     BENCH_BEFORE=COMMIT   reads, export, verify: also measure the Worker of COMMIT (bundled from
//                                             `git archive`) on the same data, interleaved with the current one;
//                                             extension: COMMIT's extension (built likewise) against the same Worker;
//                                             each adds a before/after table (lib/baseline.ts)
//   --reuse             BENCH_REUSE=1         reads, export: reuse their databases under bench-data/ if built with
//                                             the same size (export's CSV and verify always reuse the 1M account
//                                             when it is there, built by reads)
//   --liveperson-rows=N, --liveperson-months=N, --liveperson-ingest-events=N
//                                             liveperson: rows of the backfill (250000) over months (13); batch events (20000)
//   --webhooks-rate=N, --webhooks-seconds=N, --webhooks-outage-seconds=N
//                                             webhooks: steady load (200 events/s) for 60 s; a 600 s outage under it
//   --harness-requests=N                  harness: requests of each kind per way of running (200)
//   --no-report                               print the sections instead of writing docs/BENCHMARKS.md
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { snapshotBaseline } from './lib/baseline';
import { DATA_DIR, stringOption, type BenchContext } from './lib/context';
import { machineFacts } from './lib/machine';
import { REPORT, writeSection } from './lib/report';
import { migrationStatements } from './lib/sqlite';
import { workerModules } from './lib/worker-code';
import { ROOT, snapshotWorkers } from './lib/wrangler';
import { runExport } from './export';
import { runExtension } from './extension';
import { runHarness } from './harness';
import { runIngest } from './ingest';
import { runLivePerson } from './liveperson';
import { runReads } from './reads';
import { runVerify } from './verify';
import { runWebhooks } from './webhooks';
import { runWrites } from './writes';

// In this order: reads builds the 1M-event account that export (CSV) and verify then reuse.
const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<string>> = {
  harness: runHarness,
  ingest: runIngest,
  writes: runWrites,
  reads: runReads,
  export: runExport,
  extension: runExtension,
  verify: runVerify,
  liveperson: runLivePerson,
  webhooks: runWebhooks,
};

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !(n in BENCHMARKS));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const selected = Object.keys(BENCHMARKS).filter((name) => !names.length || names.includes(name));
const flags = args.filter((a) => a.startsWith('-'));
const sizeEnv = Object.entries(process.env)
  .filter(([k]) => k.startsWith('BENCH_'))
  .map(([k, v]) => `${k}=${v} `)
  .join('');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const git = (...gitArgs: string[]) => {
  try {
    return execFileSync('git', gitArgs, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
// One snapshot of the Worker for the whole run: its modules in Node and its bundle, together.
log('bundling the Worker and the probe (a snapshot: edits made during the run do not reach it)');
const code = await workerModules();
const snapshot = await snapshotWorkers(path.join(DATA_DIR, 'snapshot'));
migrationStatements();
const beforeCommit = stringOption('before');
if (beforeCommit) log(`bundling the baseline Worker of ${beforeCommit} (--before)`);
const before = beforeCommit ? await snapshotBaseline(path.join(DATA_DIR, 'before'), beforeCommit) : undefined;
const dirty = git('status', '--porcelain', '--', 'worker', 'drizzle', 'wrangler.jsonc');
const codeVersion = `git ${git('rev-parse', '--short', 'HEAD') || '?'}${dirty ? ' plus uncommitted changes in worker/, drizzle/ or wrangler.jsonc' : ''}, bundled ${snapshot.takenAt}`;
const ctx: BenchContext = {
  command: `${sizeEnv}npx tsx test/bench/run.ts${args.length ? ' ' + args.join(' ') : ''}`,
  machine: machineFacts(),
  dataDir: DATA_DIR,
  log,
  snapshot,
  code,
  codeVersion,
  before,
};

const started = Date.now();
for (const name of selected) {
  const section = await BENCHMARKS[name]!(ctx);
  for (const line of section.split('\n')) if (/target/i.test(line) && /\*\*/.test(line)) console.log(`  ${line.trim()}`);
  if (flags.includes('--no-report')) console.log(section);
  else {
    writeSection(name, section);
    ctx.log(`${name}: written to ${REPORT}`);
  }
}
ctx.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
