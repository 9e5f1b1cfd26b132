// wrangler for the benchmarks.
//
// Other engineers edit worker/ while benchmarks run, and `wrangler dev` restarts the Worker
// on every saved file ("Your worker restarted mid-request"). So each benchmark first takes a
// snapshot: `wrangler deploy --dry-run --outdir` bundles the real Worker (wrangler.jsonc, as
// it would be deployed) and the probe Worker, and `wrangler dev --no-bundle` then runs those
// bundles, which nobody edits. Migrations, the quiet environment, free ports, the health wait
// and the local secrets (.dev.vars) come from scripts/lib, shared with npm start and the
// end-to-end tests. (scripts/lib's startWorker runs wrangler.jsonc's sources, which restart
// mid-run whenever someone saves a file.)
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DevServerOptions } from './dev-server';
import {
  applyLocalMigrations as applyMigrations,
  DEV_VARS_FILE,
  ensureDevVars,
  freePort,
  parseDevVars,
  REPO_ROOT,
  runWrangler,
  waitForHttpOk,
  wranglerEnv,
} from '../../../scripts/lib/index';

export const ROOT = REPO_ROOT;
const DEV_SERVER = path.join(ROOT, 'test/bench/lib/dev-server.ts');
const WRANGLER_BIN = path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
export const PROBE_ENTRY = path.join(ROOT, 'test/bench/probe/probe-worker.js');

export interface RunningWorker {
  url: string;
  operatorToken: string;
  /** The wrangler dev process (workerd runs below it: see lib/memory.ts). */
  pid: number;
  /** The last 20 kB of wrangler's output (for diagnostics). */
  output(): string;
  stop(): Promise<void>;
}

export async function applyLocalMigrations({ persistTo }: { persistTo: string }): Promise<void> {
  await applyMigrations({ persistTo });
}

/** The local D1 SQLite file of the `DB` binding under a persist folder. */
export function d1SqlitePath(persistTo: string): string {
  const dir = path.join(persistTo, 'v3/d1/miniflare-D1DatabaseObject');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite') : [];
  if (files.length !== 1) throw new Error(`expected one D1 .sqlite file in ${dir}, found ${files.length}: ${files.join(', ')}`);
  return path.join(dir, files[0]!);
}

/** wrangler.jsonc without comments and trailing commas. */
function readJsonc(file: string): any {
  const text = readFileSync(file, 'utf8');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const string = /"(?:[^"\\]|\\.)*"/y;
      string.lastIndex = i;
      const m = string.exec(text)!;
      out += m[0];
      i += m[0].length - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i) + 1;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

export interface Snapshot {
  /** wrangler configs whose `main` is a bundle made at snapshot time. */
  worker: string;
  probe: string;
  takenAt: string;
}

/** Bundles the real Worker and the probe as they are now (see the top of this file). */
export async function snapshotWorkers(dir: string): Promise<Snapshot> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const base = readJsonc(path.join(ROOT, 'wrangler.jsonc'));
  delete base.$schema;
  delete base.triggers; // no cron during a benchmark
  for (const db of base.d1_databases ?? []) if (db.migrations_dir) db.migrations_dir = path.join(ROOT, db.migrations_dir);
  const configs: Record<'worker' | 'probe', string> = { worker: '', probe: '' };
  for (const [kind, main] of [
    ['worker', path.join(ROOT, base.main)],
    ['probe', PROBE_ENTRY],
  ] as const) {
    const sourceConfig = path.join(dir, `${kind}.source.json`);
    writeFileSync(sourceConfig, JSON.stringify({ ...base, name: `${base.name}-bench-${kind}`, main }, null, 2));
    const outdir = path.join(dir, kind);
    await runWrangler(['deploy', '--dry-run', '--config', sourceConfig, '--outdir', outdir]);
    const bundle = ['index.js', path.basename(main).replace(/\.[cm]?[jt]s$/, '.js')]
      .map((f) => path.join(outdir, f))
      .find((f) => existsSync(f));
    if (!bundle) throw new Error(`no bundle in ${outdir}: ${readdirSync(outdir).join(', ')}`);
    configs[kind] = path.join(dir, `${kind}.json`);
    writeFileSync(configs[kind], JSON.stringify({ ...base, name: `${base.name}-bench-${kind}`, main: bundle, no_bundle: true }, null, 2));
  }
  return { ...configs, takenAt: new Date().toISOString() };
}

/** Bundles the Worker as it was at `commit` (its worker/, drizzle/ and wrangler.jsonc, taken
 *  with `git archive` into `dir`, which lies inside the repository so that node_modules
 *  resolves): a baseline that a benchmark measures in the same run. Answers its config. */
export async function snapshotCommit(dir: string, commit: string): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  const src = path.join(dir, 'src');
  // shared/ (the vocabulary) exists only in later commits.
  archiveInto(src, commit, ['worker', 'drizzle', 'wrangler.jsonc', 'shared']);
  const base = readJsonc(path.join(src, 'wrangler.jsonc'));
  delete base.$schema;
  delete base.triggers;
  for (const db of base.d1_databases ?? []) if (db.migrations_dir) db.migrations_dir = path.join(src, db.migrations_dir);
  const name = `${base.name}-bench-baseline`;
  const sourceConfig = path.join(dir, 'source.json');
  writeFileSync(sourceConfig, JSON.stringify({ ...base, name, main: path.join(src, base.main) }, null, 2));
  const outdir = path.join(dir, 'bundle');
  await runWrangler(['deploy', '--dry-run', '--config', sourceConfig, '--outdir', outdir]);
  const bundle = path.join(outdir, 'index.js');
  if (!existsSync(bundle)) throw new Error(`no bundle in ${outdir}: ${readdirSync(outdir).join(', ')}`);
  const config = path.join(dir, 'baseline.json');
  writeFileSync(config, JSON.stringify({ ...base, name, main: bundle, no_bundle: true }, null, 2));
  return config;
}

/** Writes `paths` as they were at `commit` into `dir` (git archive), skipping those the commit
 *  does not have. `dir` should lie inside the repository, so that node_modules resolves. */
export function archiveInto(dir: string, commit: string, paths: string[]) {
  mkdirSync(dir, { recursive: true });
  const present = paths.filter((p) => spawnSync('git', ['-C', ROOT, 'cat-file', '-e', `${commit}:${p}`]).status === 0);
  const archive = spawnSync('git', ['-C', ROOT, 'archive', '--format=tar', commit, ...present], { maxBuffer: 256 * 2 ** 20 });
  if (archive.status !== 0) throw new Error(`git archive ${commit}: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar: ${untar.stderr}`);
}

/** wrangler's dev server (lib/dev-server.ts: `wrangler dev --no-bundle` without the devtools
 *  inspector) on a snapshot config, 127.0.0.1 and a free port, with the secrets of .dev.vars. */
export async function startWorker({
  persistTo,
  config,
  env,
  vars,
  onOutput,
  runtimeOutput = false,
  via = 'api',
}: {
  persistTo: string;
  config: string;
  /** Worker variables besides the local secrets (e.g. LIVEPERSON_CSDS_URL of a simulator). */
  vars?: Record<string, string>;
  /** Extra environment for wrangler (e.g. v8FlagsEnv()). */
  env?: Record<string, string>;
  /** Sees all of wrangler's output (stdout and stderr) as it comes. */
  onOutput?: (text: string) => void;
  /** Keep workerd's own stdout (V8's --trace-gc lines) and the Worker's console.log, which
   *  wrangler prints at its "log" level. Otherwise it runs at "warn" (warnings and errors
   *  still come), which also spares every request a log line that wrangler's Node process
   *  receives over HTTP and appends to its debug log file. */
  runtimeOutput?: boolean;
  /** "cli": the `wrangler dev` command itself, as npm start runs it (devtools inspector and
   *  request log on), for measuring what those cost (lib/harness.ts). */
  via?: 'api' | 'cli';
}): Promise<RunningWorker> {
  const { operatorToken } = ensureDevVars();
  const devVars = parseDevVars(readFileSync(DEV_VARS_FILE, 'utf8'));
  const port = await freePort();
  const options: DevServerOptions = {
    config,
    hostname: '127.0.0.1',
    port,
    persistTo,
    logLevel: runtimeOutput ? 'log' : 'warn',
    vars: Object.fromEntries([...devVars, ...Object.entries(vars ?? {})]),
  };
  const command =
    via === 'cli'
      ? [
          WRANGLER_BIN,
          'dev',
          '--local',
          '--no-bundle',
          ...['--config', config, '--ip', options.hostname, '--port', String(port), '--persist-to', persistTo],
          ...['--inspector-port', String(await freePort()), '--show-interactive-dev-session=false'],
          ...Object.entries(options.vars).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
        ]
      : ['--import', 'tsx', DEV_SERVER];
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    // The options hold the local secrets: in the environment rather than on the command line.
    env: { ...wranglerEnv(), ...env, BENCH_DEV_SERVER: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const take = (d: Buffer) => {
    output = (output + d).slice(-20_000);
    onOutput?.(String(d));
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  const killOnExit = () => signal('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited) return;
    signal('SIGINT'); // lets wrangler stop workerd and flush local state
    const timer = setTimeout(() => signal('SIGKILL'), 8_000);
    await exit;
    clearTimeout(timer);
    signal('SIGTERM'); // a workerd that outlived wrangler, if any
  };
  const url = `http://127.0.0.1:${port}`;
  const died = exit.then(() => {
    throw new Error(`wrangler dev (${path.basename(config)}) exited early:\n${output}`);
  });
  try {
    await waitForHttpOk(`${url}/healthz`, { timeoutMs: 90_000, abandon: died });
  } catch (error) {
    await stop();
    throw error;
  }
  died.catch(() => {});
  return { url, operatorToken, pid: child.pid!, output: () => output, stop };
}

/** Environment that makes wrangler dev run workerd with these V8 flags (e.g. a capped heap):
 *  miniflare starts MINIFLARE_WORKERD_PATH instead of its workerd, here a shell script that
 *  runs lib/workerd-shim.mjs, which writes the flags into the configuration workerd reads
 *  from stdin (Config.v8Flags) and then runs the real workerd. See workerd-shim.mjs. */
export function v8FlagsEnv(flags: string[], dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const shim = path.join(dir, 'workerd-with-v8-flags.sh');
  const script = path.join(ROOT, 'test/bench/lib/workerd-shim.mjs');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(script)} "$@"\n`, { mode: 0o755 });
  chmodSync(shim, 0o755);
  const real = createRequire(path.join(ROOT, 'package.json'))('workerd');
  return { MINIFLARE_WORKERD_PATH: shim, BENCH_WORKERD_REAL: String(real.default ?? real), BENCH_WORKERD_V8_FLAGS: flags.join(' ') };
}
