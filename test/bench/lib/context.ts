import path from 'node:path';
import type { Baseline } from './baseline';
import type { Machine } from './machine';
import type { WorkerModules } from './worker-code';
import { ROOT, type Snapshot } from './wrangler';

export interface BenchContext {
  /** The command line as a user would type it. */
  command: string;
  machine: Machine;
  /** bench-data/ (git-ignored). */
  dataDir: string;
  log(message: string): void;
  /** The Worker as bundled at the start of the run (what wrangler dev serves)... */
  snapshot: Snapshot;
  /** ...and its modules loaded into Node at the same moment (SQL capture, direct runs). */
  code: WorkerModules;
  /** Which code that was: git HEAD and whether worker/ or drizzle/ had uncommitted changes. */
  codeVersion: string;
  /** With --before=<commit>: the Worker of that commit, bundled at the start of the run, which
   *  reads, export and verify measure on the same data in the same run (lib/baseline.ts). */
  before?: Baseline;
}

export const DATA_DIR = path.join(ROOT, 'bench-data');

/** `--name=value`, else the environment's BENCH_NAME; undefined when neither is set or empty. */
export function stringOption(name: string): string | undefined {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const raw = flag ? flag.slice(name.length + 3) : process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
  return raw === '' ? undefined : raw;
}

export function intOption(name: string, fallback: number): number {
  const raw = stringOption(name);
  if (raw === undefined) return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return value;
}
