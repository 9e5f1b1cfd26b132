// Memory of the workerd process that runs the Worker, from /proc (Linux): found as a
// descendant of the wrangler dev process, sampled every ~20 ms while a request runs.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const MB = 1024; // /proc reports kB

function statusField(pid: number, field: string): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Resident set size, MB. */
export const rssMb = (pid: number) => statusField(pid, 'VmRSS') / MB;
/** Peak resident set size since start or the last resetPeak, MB. */
export const peakRssMb = (pid: number) => statusField(pid, 'VmHWM') / MB;

/** Resets the kernel's peak RSS (VmHWM) of a process to its current RSS. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function children(): Map<number, { ppid: number; comm: string }> {
  const all = new Map<number, { ppid: number; comm: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      all.set(Number(entry), { ppid, comm });
    } catch {
      /* gone meanwhile */
    }
  }
  return all;
}

/** The pids of processes named `name` below `root` (any depth). */
export function descendantsNamed(root: number, name: string): number[] {
  const all = children();
  const found: number[] = [];
  const below = (pid: number): boolean => {
    for (let p = all.get(pid)?.ppid, hops = 0; p !== undefined && hops < 20; p = all.get(p)?.ppid, hops++) if (p === root) return true;
    return false;
  };
  for (const [pid, info] of all) if (info.comm === name && below(pid)) found.push(pid);
  return found;
}

/** The workerd process that runs the Worker under a wrangler dev process. wrangler dev runs
 *  two: one for its proxy, which listens on the public port (`--socket-addr=entry=…:<port>`),
 *  and one for the Worker itself, which listens on a port of its own choosing (`entry=…:0`). */
export function workerdOf(wranglerPid: number, publicPort: number): number {
  const found = descendantsNamed(wranglerPid, 'workerd').filter(
    (pid) =>
      !readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .some((arg) => arg.startsWith('--socket-addr=entry=') && arg.endsWith(`:${publicPort}`)),
  );
  if (found.length !== 1) throw new Error(`expected one Worker workerd below wrangler dev (pid ${wranglerPid}), found ${found.length}`);
  return found[0]!;
}

export interface Sample {
  /** ms since the sampler started */
  t: number;
  rss: number;
}

/** Samples a process's RSS on a timer (every `everyMs`, default 20). */
export class RssSampler {
  readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private started = performance.now();
  constructor(
    readonly pid: number,
    private everyMs = 20,
  ) {}

  start(): this {
    this.started = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  sample(): number {
    const rss = rssMb(this.pid);
    this.samples.push({ t: performance.now() - this.started, rss });
    return rss;
  }

  stop(): this {
    clearInterval(this.timer);
    this.sample();
    return this;
  }

  get peak(): number {
    return Math.max(...this.samples.map((s) => s.rss));
  }

  /** Median interval between samples, ms (the timer shares the event loop with the client). */
  get interval(): number {
    const gaps = this.samples
      .slice(1)
      .map((s, i) => s.t - this.samples[i]!.t)
      .sort((a, b) => a - b);
    return gaps[Math.floor(gaps.length / 2)] ?? NaN;
  }
}

/** V8's own view of the heaps, from workerd run with `--trace-gc` (one line per collection:
 *  "[pid:isolate] … ms: Scavenge 51.1 (67.9) -> 22.2 (63.3) MB, …" = used (committed) before ->
 *  after). Keeps, per isolate, the largest used and committed heap seen, and the largest heap
 *  left after a full collection (mark-compact): the live data. */
export class GcTrace {
  private partial = '';
  private byIsolate = new Map<string, HeapPeak>();

  /** Feed wrangler's output here (startWorker's onOutput). */
  readonly feed = (text: string) => {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: ([A-Za-z -]+?)(?: \([a-z ]+\))? ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(
        line,
      );
      if (!m) continue;
      const entry = this.byIsolate.get(m[1]!) ?? { used: 0, committed: 0, live: 0, collections: 0 };
      entry.used = Math.max(entry.used, Number(m[3]), Number(m[5]));
      entry.committed = Math.max(entry.committed, Number(m[4]), Number(m[6]));
      if (/Mark/.test(m[2]!) && !/Minor/.test(m[2]!)) entry.live = Math.max(entry.live, Number(m[5]));
      entry.collections++;
      this.byIsolate.set(m[1]!, entry);
    }
  };

  reset() {
    this.byIsolate.clear();
  }

  /** The isolate with the largest heap since the last reset (the Worker's, during an export);
   *  NaN when no collection was logged. */
  get largest(): HeapPeak & { isolates: number } {
    const all = [...this.byIsolate.values()];
    const top = all.sort((a, b) => b.committed - a.committed)[0] ?? { used: NaN, committed: NaN, live: NaN, collections: 0 };
    return { ...top, isolates: all.length };
  }
}

export interface HeapPeak {
  used: number;
  committed: number;
  /** The largest heap left after a full (mark-compact) collection; 0 if none ran. */
  live: number;
  collections: number;
}
