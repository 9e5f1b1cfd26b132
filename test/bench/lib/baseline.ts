// Before/after in one run (`--before=<commit>`, BENCH_BEFORE): the Worker as it was at that
// commit (bundled once per run by snapshotCommit), measured against the current one on the same
// data and in the same run, the two side by side and their requests interleaved, so that the
// machine's other load falls on both alike. The data is built once, with today's migrations, and
// the baseline reads a copy of it (its own SQLite file: two workerds never share one); that holds
// as long as the baseline's migrations are a prefix of today's (checked), i.e. today's schema
// only adds to the one the baseline knows.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from './context';
import { table } from './report';
import { medianCi, ms, summarize } from './stats';
import { ROOT, snapshotCommit, startWorker, type RunningWorker } from './wrangler';

export interface Baseline {
  commit: string;
  short: string;
  /** Its commit message's first line. */
  subject: string;
  /** A wrangler config whose `main` is the baseline's bundle. */
  config: string;
}

const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();

/** Bundles the Worker of `commit` under `dir` (once per run, by run.ts). */
export async function snapshotBaseline(dir: string, commit: string): Promise<Baseline> {
  const full = git('rev-parse', '--verify', `${commit}^{commit}`);
  assertMigrationPrefix(full);
  const config = await snapshotCommit(dir, full);
  return { commit: full, short: full.slice(0, 7), subject: git('log', '-1', '--format=%s', full), config };
}

/** The baseline reads data migrated by today's drizzle/: each of its migrations must be one of
 *  today's, unchanged (today may have more). */
function assertMigrationPrefix(commit: string) {
  const then = git('ls-tree', '--name-only', commit, 'drizzle/')
    .split('\n')
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const now = readdirSync(path.join(ROOT, 'drizzle'))
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => `drizzle/${f}`);
  const mismatch = then.find((f, i) => now[i] !== f || git('show', `${commit}:${f}`) !== readFileSync(path.join(ROOT, f), 'utf8').trim());
  if (mismatch)
    throw new Error(
      `--before=${commit.slice(0, 7)}: its migration ${mismatch} is not today's ${now[then.indexOf(mismatch)] ?? '(none)'}, unchanged; ` +
        'the benchmarks build the data with today’s migrations and can compare only a baseline whose migrations are a prefix of them',
    );
}

export type Side = 'now' | 'before';

/** The order of round `i` among `sides`. With two, always the same, so that their requests
 *  strictly alternate: each follows one to the other (a request to a wrangler dev right after a
 *  long one to it, the other Worker's in between, was seen to stall until some other request
 *  arrived). With more, rotated by one each round: each side takes each place equally often and
 *  none follows itself. */
export function inTurn<T>(i: number, sides: readonly T[]): T[] {
  if (sides.length < 3) return [...sides];
  const k = i % sides.length;
  return [...sides.slice(k), ...sides.slice(0, k)];
}

const copies = new Map<string, string>();

/** The baseline's copy of a persist folder (made once per run and data build, while no
 *  wrangler runs on it). `version` names the build (its builtAt). */
export function persistCopy(persistTo: string, version: string): string {
  const key = `${persistTo}\n${version}`;
  const known = copies.get(key);
  if (known) return known;
  const copy = `${persistTo}-before`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(persistTo, copy, { recursive: true });
  copies.set(key, copy);
  return copy;
}

export interface SideWorker {
  side: Side;
  worker: RunningWorker;
  persistTo: string;
}

/** The current Worker (`config`, by default the snapshot) on `persistTo` and, with --before,
 *  the baseline on its copy of it: both running at once. */
export async function startSides(
  ctx: BenchContext,
  db: { persistTo: string; version: string },
  config = ctx.snapshot.worker,
): Promise<SideWorker[]> {
  const sides: SideWorker[] = [];
  // The copy first, while no workerd has the SQLite file open.
  const copy = ctx.before && persistCopy(db.persistTo, db.version);
  try {
    sides.push({ side: 'now', persistTo: db.persistTo, worker: await startWorker({ persistTo: db.persistTo, config }) });
    if (ctx.before && copy)
      sides.push({ side: 'before', persistTo: copy, worker: await startWorker({ persistTo: copy, config: ctx.before.config }) });
  } catch (error) {
    await stopSides(sides);
    throw error;
  }
  return sides;
}

export async function stopSides(sides: SideWorker[]) {
  for (const { worker } of sides) await worker.stop();
}

export interface Compared {
  what: string;
  /** Samples of each side; same length and index = the same round when `paired`. */
  before: number[];
  now: number[];
  paired: boolean;
  /** How to print a value (default ms). */
  format?: (value: number) => string;
}

const times = (r: number) => `${r.toFixed(r >= 10 ? 0 : 2)}×`;

/** Per-round ratios now / before of paired samples. */
const pairRatios = (c: Compared) => c.now.map((v, i) => v / c.before[i]!).filter(Number.isFinite);

/** Slower beyond noise: with 6 pairs or more, the whole 95 % interval of the median of the
 *  paired ratios lies above 1; with 5, every pair is above 1 (a chance of 1 in 32 if nothing
 *  changed). Fewer pairs cannot tell noise from a change: not judged. */
function verdict(c: Compared): 'worse' | 'better' | 'same' | 'too few' {
  const ratios = pairRatios(c);
  if (!c.paired || ratios.length < 5) return 'too few';
  const [lo, hi] = medianCi(ratios) ?? [Math.min(...ratios), Math.max(...ratios)];
  return lo > 1 ? 'worse' : hi < 1 ? 'better' : 'same';
}

const VERDICT = { worse: '**worse**', better: 'better', same: 'same within noise', 'too few': 'too few runs to tell' };

/** The before/after table of a section, and a sentence on what got worse beyond noise. */
export function comparison(baseline: Baseline, rows: Compared[]): string {
  const body = rows.map((c) => {
    const f = c.format ?? ms;
    const before = summarize(c.before).median;
    const now = summarize(c.now).median;
    const ratios = pairRatios(c);
    const ci = c.paired ? medianCi(ratios) : undefined;
    const median = times(summarize(ratios).median);
    const spread = !c.paired
      ? 'not paired'
      : ratios.length < 2
        ? median
        : ci
          ? `${median} (${times(ci[0])}–${times(ci[1])})`
          : `${median} (range ${times(Math.min(...ratios))}–${times(Math.max(...ratios))})`;
    const v = verdict(c);
    return [
      c.what,
      c.paired ? String(c.now.length) : `${c.before.length} / ${c.now.length}`,
      f(before),
      f(now),
      `**${times(now / before)}**`,
      spread,
      VERDICT[v],
    ];
  });
  const ratioOf = (c: Compared) => `${c.what} (${times(summarize(c.now).median / summarize(c.before).median)})`;
  const worse = rows.filter((c) => verdict(c) === 'worse');
  const untold = rows.filter((c) => verdict(c) === 'too few');
  const summary =
    (worse.length
      ? `**Worse beyond noise:** ${worse.map(ratioOf).join('; ')}.`
      : '**Nothing measured often enough got worse beyond noise.**') +
    (untold.length ? ` Measured too few times to tell: ${untold.map(ratioOf).join('; ')}.` : '');
  return `${table(
    [
      'scenario',
      'runs',
      `before (${baseline.short}) median`,
      'now median',
      'now / before (medians)',
      'paired now / before: median (95 % CI or range)',
      'verdict',
    ],
    body,
  )}

${summary} Verdict: *worse* or *better* when the 95 % confidence interval of the median of the paired ratios (order
statistics) lies wholly on one side of 1; with 5 pairs, when all of them do; fewer pairs are not judged. A ratio above 1
is slower (or bigger) now.`;
}

/** The section's note on the baseline (under "Worker code"). */
export const baselineLine = (b: Baseline, how = 'its Worker bundled from `git archive` and run on a copy of the same data') =>
  `before = ${b.short} (“${b.subject.slice(0, 100)}”), ${how} (\`--before=${b.short}\`)`;
