// (e) Verification (issue 5): how fast the hash chain of a 1,000,000-event account is checked —
// through the API (`GET …/verify`, at most 250,000 events a call, continued from nextFromSeq)
// and by the offline verifier (`npm run verify -- export.ndjson`) on an NDJSON export of the
// same chain — and what the chain costs on ingest: the same batches recorded by the Worker
// with and without it (a build whose eventHash answers a constant), interleaved.
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  createWriteStream,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { baselineLine, comparison, inTurn, startSides, stopSides, type Side } from './lib/baseline';
import { intOption, type BenchContext } from './lib/context';
import { Client, newlines, newToken, streamGet } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { probeTiming } from './lib/probe';
import { table } from './lib/report';
import { READS_SPEC, readsDir, seededDatabase, type SeededDatabase } from './lib/seed';
import { open } from './lib/sqlite';
import { ms, summarize } from './lib/stats';
import { workerdOf } from './lib/memory';
import { applyLocalMigrations, d1SqlitePath, ROOT, startWorker, v8FlagsEnv, type RunningWorker } from './lib/wrangler';
import { createAccount, makeBatches } from './ingest';

const ACCOUNT = READS_SPEC(0).accountId;
const NO_CHAIN_HASH = 'f'.repeat(64);
/** Events per GET …/verify call: the endpoint allows 250,000, but see the 128 MB experiment. */
const VERIFY_WINDOW = 100_000;
const HEAP_FLAGS = ['--max-heap-size=128'];
/** NDJSON exports of the 1M chain per Worker in the before/after comparison. */
const EXPORT_RUNS = 2;
const n = (v: number) => Math.round(v).toLocaleString('en-US');
const perSecond = (count: number, msTotal: number) => n((count / msTotal) * 1000);

const readerToken = (worker: RunningWorker) => newToken(worker, ACCOUNT, 'auditor', ['audit:read', 'audit:export']);

interface VerifyCall {
  fromSeq: number;
  toSeq: number;
  checked: number;
  ok: boolean;
  ms: number;
  error?: string;
}

/** Calls GET …/verify over [from, to] (fromSeq/toSeq), continued from nextFromSeq should the
 *  Worker stop early. A connection of its own: one kept alive through the seconds another
 *  Worker's window takes was seen to hang in wrangler's proxy. */
async function verifyRange(worker: RunningWorker, token: string, from: number, to: number): Promise<VerifyCall[]> {
  const client = new Client(worker.url, token);
  const calls: VerifyCall[] = [];
  try {
    while (from <= to) {
      const reply = await client.expect('GET', `/v1/accounts/${ACCOUNT}/verify?fromSeq=${from}&toSeq=${to}`, undefined, [200]);
      const report = JSON.parse(reply.body);
      calls.push({ fromSeq: report.fromSeq, toSeq: report.toSeq, checked: report.checked, ok: report.ok, ms: reply.ms });
      if (!report.ok) throw new Error(`verify reports a broken chain: ${reply.body.slice(0, 500)}`);
      from = report.complete ? to + 1 : report.nextFromSeq;
    }
  } finally {
    client.close();
  }
  return calls;
}

/** The endpoint's default size once (`?fromSeq=1`: as many events as it checks in a call), which may
 *  take the isolate down: a failure is an answer. */
async function defaultSizeCall(worker: RunningWorker, token: string): Promise<VerifyCall> {
  const started = performance.now();
  try {
    const reply = await fetch(`${worker.url}/v1/accounts/${ACCOUNT}/verify?fromSeq=1`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(90_000),
    });
    const body = JSON.parse(await reply.text());
    return { fromSeq: body.fromSeq, toSeq: body.toSeq, checked: body.checked, ok: body.ok, ms: performance.now() - started };
  } catch (error) {
    return { fromSeq: 1, toSeq: 250_000, checked: 0, ok: false, ms: performance.now() - started, error: (error as Error).message };
  }
}

interface ApiSide {
  token: string;
  defaultCall: VerifyCall;
  calls: VerifyCall[];
  /** Client ms per window of VERIFY_WINDOW events (its calls summed). */
  windows: number[];
  /** Windows asked twice because the first request got no answer. */
  stalls: number;
  /** Its NDJSON exports (with the baseline, EXPORT_RUNS). */
  exports: { ms: number; firstByteMs: number; bytes: number; lines: number }[];
}

interface Attempt {
  what: string;
  ok: boolean;
  ms: number;
  detail: string;
}

/** One request to a workerd whose V8 heap is capped; a workerd that dies leaves the request
 *  hanging in wrangler's proxy, hence the timeout. */
async function attempt(worker: RunningWorker, pid: number, what: string, path: string, token?: string): Promise<Attempt> {
  const started = performance.now();
  try {
    const reply = await fetch(`${worker.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(60_000),
    });
    const body = await reply.text();
    const parsed = reply.status === 200 ? JSON.parse(body) : undefined;
    const ok = reply.status === 200 && (parsed.ok ?? true);
    return {
      what,
      ok,
      ms: performance.now() - started,
      detail: ok ? `${n(parsed.checked ?? parsed.events)} events` : `${reply.status} ${body.slice(0, 100)}`,
    };
  } catch (error) {
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const gc = [...worker.output().matchAll(/Mark-Compact[^\n]*?-> ([\d.]+) \(([\d.]+)\) MB/g)].at(-1);
    const fatal = /V8 fatal error;[^\n]*/.exec(worker.output())?.[0];
    return {
      what,
      ok: false,
      ms: performance.now() - started,
      detail: `no answer (${(error as Error).message}); ${fatal ? `workerd aborted: “${fatal.trim()}”` : alive(pid) ? 'workerd still running' : 'workerd died'}${gc ? `, last mark-compact ${gc[1]} of ${gc[2]} MB` : ''}`,
    };
  }
}

/** Running, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Which verify requests fit in a 128 MB V8 heap, and which half of verify needs the memory. */
async function cappedVerify(ctx: BenchContext, db: SeededDatabase, dir: string, token: string): Promise<Attempt[]> {
  const env = v8FlagsEnv(HEAP_FLAGS, dir);
  const attempts: Attempt[] = [];
  const base = `/v1/accounts/${ACCOUNT}/verify`;
  const parts = `/__bench/verify-parts?account=${ACCOUNT}`;
  // Those expected to pass first; each one expected to kill workerd gets a fresh one.
  const plan: [string, string, boolean][] = [
    [`GET …/verify?fromSeq=1&toSeq=${n(VERIFY_WINDOW)}`, `${base}?fromSeq=1&toSeq=${VERIFY_WINDOW}`, true],
    ["verify's hashing alone: 250,000 events (one page of rows, hashed over and over)", `${parts}&part=hash&events=250000`, false],
    ["verify's reads alone, only `seq, hash`: 250,000 rows in pages of 2,000", `${parts}&part=read&mode=narrow&events=250000`, false],
    ["verify's reads alone, whole rows (as verify reads them): 250,000 rows in pages of 2,000", `${parts}&part=read&events=250000`, false],
    ['GET …/verify?fromSeq=1 (the default size)', `${base}?fromSeq=1`, true],
  ];
  let worker: RunningWorker | undefined;
  let pid = 0;
  try {
    for (const [what, path, needsToken] of plan) {
      if (!worker || !attempts.at(-1)?.ok || !alive(pid)) {
        await worker?.stop();
        worker = await startWorker({ persistTo: db.persistTo, config: ctx.snapshot.probe, env, runtimeOutput: true });
        pid = workerdOf(worker.pid, Number(new URL(worker.url).port));
      }
      attempts.push(await attempt(worker, pid, what, path, needsToken ? token : undefined));
      ctx.log(`  capped: ${what}: ${attempts.at(-1)!.ok ? 'ok' : 'failed'}`);
    }
  } finally {
    await worker?.stop();
  }
  return attempts;
}

/** `npm run verify -- <file>`: wall time, exit code and the last lines it printed. */
function runOfflineVerifier(file: string): Promise<{ ms: number; code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('npm', ['run', '--silent', 'verify', '--', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, output: output.trim() }));
  });
}

/** A copy of the probe build whose eventHash answers a constant: the Worker without the chain's
 *  hashing (rows, seq, prevHash and the head are still written; every hash is the constant). */
function noChainProbe(ctx: BenchContext, dir: string): string {
  const config = JSON.parse(readFileSync(ctx.snapshot.probe, 'utf8'));
  const bundleDir = path.dirname(config.main);
  const copy = path.join(dir, 'no-chain-bundle');
  rmSync(copy, { recursive: true, force: true });
  cpSync(bundleDir, copy, { recursive: true });
  const main = path.join(copy, path.basename(config.main));
  const source = readFileSync(main, 'utf8');
  const pattern = /function eventHash(\d*)\(event\) \{\n[\s\S]*?\n\}/g;
  const found = source.match(pattern) ?? [];
  if (found.length !== 1 || !/sha256Hex\(eventHashInput\(/.test(found[0]!))
    throw new Error(
      `expected one eventHash (canonical JSON + SHA-256) in the probe bundle, found ${found.length}: ${found.join('\n---\n').slice(0, 500)}`,
    );
  // A plain string: callers that await it get the string too.
  writeFileSync(
    main,
    source.replace(pattern, (_m, suffix) => `function eventHash${suffix}(event) {\n  return ${JSON.stringify(NO_CHAIN_HASH)};\n}`),
  );
  const out = path.join(dir, 'no-chain.json');
  writeFileSync(out, JSON.stringify({ ...config, name: `${config.name}-no-chain`, main }, null, 2));
  return out;
}

interface IngestSide {
  label: string;
  latencies: number[];
  js: number[];
  distinctHashes: number;
}

type IngestKey = 'chain' | 'noChain' | Side;

/** The same batches into fresh Workers, one batch to each in turn: the probe build with and
 *  without the chain and, with --before, the current Worker and the baseline (real bundles). */
export async function chainOverhead(ctx: BenchContext, dir: string, events: number, batchChanges: number) {
  const batches = makeBatches(events, batchChanges, 42, 'chg');
  const warmup = makeBatches(600, 200, 7, 'warm');
  const configs: Partial<Record<IngestKey, string>> = {
    chain: ctx.snapshot.probe,
    noChain: noChainProbe(ctx, dir),
    ...(ctx.before ? { now: ctx.snapshot.worker, before: ctx.before.config } : {}),
  };
  const keys = Object.keys(configs) as IngestKey[];
  const labels: Record<IngestKey, string> = {
    chain: 'with the chain (the Worker as it is)',
    noChain: 'without the chain (eventHash answers a constant)',
    now: 'the current Worker (its bundle, not the probe)',
    before: `the Worker of ${ctx.before?.short}`,
  };
  const sides = Object.fromEntries(
    keys.map((key) => [key, { label: labels[key], latencies: [], js: [], distinctHashes: 0 } as IngestSide]),
  ) as Partial<Record<IngestKey, IngestSide>>;
  const workers: Partial<Record<IngestKey, RunningWorker>> = {};
  const persist = (side: string) => path.join(dir, `ingest-${side}`);
  try {
    for (const side of keys) {
      rmSync(persist(side), { recursive: true, force: true });
      await applyLocalMigrations({ persistTo: persist(side) });
      workers[side] = await startWorker({ persistTo: persist(side), config: configs[side]! });
    }
    const clients: Partial<Record<IngestKey, Client>> = {};
    for (const side of keys) {
      const worker = workers[side]!;
      const operator = new Client(worker.url, worker.operatorToken);
      const warmToken = await createAccount(operator, 'bench-warmup');
      const token = await createAccount(operator, 'bench-ingest');
      operator.close();
      const warm = new Client(worker.url, warmToken);
      for (const batch of warmup) await warm.expect('POST', '/v1/accounts/bench-warmup/changes/batch', batch.body, [201]);
      warm.close();
      clients[side] = new Client(worker.url, token);
    }
    for (const [i, batch] of batches.entries()) {
      for (const side of inTurn(i, keys)) {
        const reply = await clients[side]!.expect('POST', '/v1/accounts/bench-ingest/changes/batch', batch.body, [201]);
        sides[side]!.latencies.push(reply.ms);
      }
      if (i % 20 === 19) ctx.log(`  ${i + 1}/${batches.length} batches to each`);
    }
    // The JavaScript alone (probe /__bench/ingest-js: D1 answered in memory), the first 5 bodies, interleaved.
    const probes = ['chain', 'noChain'] as const;
    const js = Object.fromEntries(probes.map((side) => [side, new Client(workers[side]!.url)]));
    for (let round = 0; round < 2; round++)
      for (const batch of batches.slice(0, 5))
        for (const side of probes) {
          const steps = JSON.parse((await js[side]!.expect('POST', '/__bench/ingest-js', batch.body, [200])).body);
          if (round === 1) sides[side]!.js.push(steps.recordChanges);
        }
    for (const client of [...Object.values(clients), ...Object.values(js)]) client.close();
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the Worker's own log line through
    const said = keys.map((side) => `--- ${side} wrangler said:\n${workers[side]?.output().slice(-3000) ?? '(not started)'}`).join('\n');
    throw new Error(`${(error as Error).message}\n${said}`, { cause: error });
  } finally {
    for (const worker of Object.values(workers)) await worker?.stop();
  }
  for (const side of keys) {
    const db = open(d1SqlitePath(persist(side)), { readonly: true });
    const stored = db
      .prepare("SELECT count(*) AS events, count(DISTINCT hash) AS hashes FROM audit_events WHERE account_id = 'bench-ingest'")
      .get() as { events: number; hashes: number };
    db.close();
    if (stored.events !== events) throw new Error(`${side}: ${stored.events} events stored, expected ${events}`);
    sides[side]!.distinctHashes = stored.hashes;
  }
  const wrong = keys.filter((side) => sides[side]!.distinctHashes !== (side === 'noChain' ? 1 : events));
  if (wrong.length)
    throw new Error(
      `distinct hashes: ${keys.map((side) => `${side} ${sides[side]!.distinctHashes}`).join(', ')} (expected 1 without the chain, ${events} otherwise)`,
    );
  return { sides, batches: batches.length, events };
}

export async function runVerify(ctx: BenchContext): Promise<string> {
  const events = intOption('read-events', 1_000_000);
  const chainEvents = intOption('chain-events', 100_000);
  const batchChanges = intOption('batch-changes', 1000);
  const dir = path.join(ctx.dataDir, 'verify');
  const loadBefore = loadAverage();
  const db: SeededDatabase = await seededDatabase(ctx, readsDir(ctx), READS_SPEC(events), true);
  const ndjson = path.join(dir, `${ACCOUNT}.ndjson`);
  rmSync(dir, { recursive: true, force: true });

  // 1. Through the API, on the real Worker (with --before, and on the baseline, window by window
  // in turn); then the NDJSON export of the same chain.
  ctx.log(
    `verify: GET …/verify over ${events} events, ${VERIFY_WINDOW} a call${ctx.before ? `, now and ${ctx.before.short} in turn` : ''}`,
  );
  const sides = await startSides(ctx, { persistTo: db.persistTo, version: db.info.builtAt });
  const api: Partial<Record<Side, ApiSide>> = {};
  let token = '';
  try {
    for (const s of sides) {
      const sideToken = await readerToken(s.worker);
      const warm = new Client(s.worker.url, sideToken);
      await warm.expect('GET', `/v1/accounts/${ACCOUNT}/verify?fromSeq=1&toSeq=2000`, undefined, [200]);
      warm.close();
      if (s.side === 'now') token = sideToken;
      api[s.side] = {
        token: sideToken,
        defaultCall: await defaultSizeCall(s.worker, sideToken),
        windows: [],
        calls: [],
        stalls: 0,
        exports: [],
      };
      if (api[s.side]!.defaultCall.error) {
        ctx.log(`verify (${s.side}): the default-size call failed (${api[s.side]!.defaultCall.error}); restarting wrangler dev`);
        await s.worker.stop();
        s.worker = await startWorker({ persistTo: s.persistTo, config: s.side === 'now' ? ctx.snapshot.worker : ctx.before!.config });
      }
    }
    for (let w = 0, from = 1; from <= events; w++, from += VERIFY_WINDOW)
      for (const { side, worker } of inTurn(w, sides)) {
        const to = Math.min(events, from + VERIFY_WINDOW - 1);
        const fail = (error: Error) => {
          throw new Error(`verify (${side}): ${error.message}\n--- wrangler said:\n${worker.output().slice(-3000)}`, { cause: error });
        };
        // A window that got no answer is asked once more, on a new connection (and counted).
        const range = await verifyRange(worker, api[side]!.token, from, to).catch((error: Error) => {
          if (!/no answer/.test(error.message)) fail(error);
          ctx.log(`verify (${side}): no answer for ${from}–${to}; once more`);
          api[side]!.stalls++;
          return verifyRange(worker, api[side]!.token, from, to).catch(fail) as Promise<VerifyCall[]>;
        });
        api[side]!.calls.push(...range);
        api[side]!.windows.push(range.reduce((sum, c) => sum + c.ms, 0));
      }
    mkdirSync(dir, { recursive: true });
    // Each export written to a file (the current Worker's first one is verified offline below);
    // with the baseline, EXPORT_RUNS of each, strictly alternating.
    const runs = sides.length > 1 ? EXPORT_RUNS : 1;
    for (let i = 0; i < runs; i++)
      for (const s of inTurn(i, sides)) {
        ctx.log(`verify: NDJSON export of the ${events} events (${s.side}${runs > 1 ? `, ${i + 1} of ${runs}` : ''})`);
        const file = s.side === 'now' && i === 0 ? ndjson : path.join(dir, 'another.ndjson');
        const out = createWriteStream(file);
        let lines = 0;
        const url = `/v1/accounts/${ACCOUNT}/events/export?format=ndjson`;
        const streamed = await streamGet(s.worker.url, url, api[s.side]!.token, (chunk) => {
          lines += newlines(chunk);
          out.write(chunk);
        });
        await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
        if (file !== ndjson) rmSync(file, { force: true });
        if (streamed.status !== 200) throw new Error(`NDJSON export (${s.side}) answered ${streamed.status}`);
        api[s.side]!.exports.push({ ms: streamed.totalMs, firstByteMs: streamed.firstByteMs, bytes: streamed.bytes, lines });
      }
  } finally {
    await stopSides(sides);
  }
  const { calls, defaultCall } = api.now!;
  const exported = api.now!.exports[0]!;
  for (const [side, a] of Object.entries(api)) {
    const checked = a.calls.reduce((sum, c) => sum + c.checked, 0);
    if (checked !== events) throw new Error(`verify (${side}) checked ${checked} events, expected ${events}`);
  }
  const apiMs = calls.reduce((sum, c) => sum + c.ms, 0);

  // 2. Where a verify call's time goes: one window through the probe's timing wrapper.
  ctx.log('verify: one call through the probe (D1 time vs JavaScript)');
  const worker = await startWorker({ persistTo: db.persistTo, config: ctx.snapshot.probe });
  let breakdown: { handler: number; d1: number; calls: number; client: number; checked: number };
  try {
    const client = new Client(worker.url, token);
    await client.expect('GET', `/__bench/timed/v1/accounts/${ACCOUNT}/verify?fromSeq=1&toSeq=2000`, undefined, [200]);
    const reply = await client.expect(
      'GET',
      `/__bench/timed/v1/accounts/${ACCOUNT}/verify?fromSeq=1&toSeq=${VERIFY_WINDOW}`,
      undefined,
      [200],
    );
    const t = probeTiming(reply);
    breakdown = { handler: t.totalMs, d1: t.d1Ms, calls: t.d1Calls, client: reply.ms, checked: JSON.parse(reply.body).checked };
    client.close();
  } finally {
    await worker.stop();
  }
  ctx.log('verify: the same requests in a workerd with a 128 MB V8 heap');
  const capped = await cappedVerify(ctx, db, dir, token);

  // 3. The offline verifier on the export (and on a one-line file: its start-up alone).
  ctx.log('verify: npm run verify -- the export');
  const lines = exported.bytes ? readFirstLine(ndjson) : '';
  const oneLine = path.join(dir, 'one-line.ndjson');
  writeFileSync(oneLine, lines + '\n');
  const startup = await runOfflineVerifier(oneLine);
  const offlineRuns = [await runOfflineVerifier(ndjson), await runOfflineVerifier(ndjson)];
  for (const run of offlineRuns) {
    if (run.code !== 0 || !/^OK/m.test(run.output)) throw new Error(`npm run verify failed (${run.code}):\n${run.output}`);
    const offlineEvents = Number(/([\d,]+) events/.exec(run.output)?.[1]?.replaceAll(',', ''));
    if (offlineEvents !== events) throw new Error(`npm run verify read ${offlineEvents} events, expected ${events}:\n${run.output}`);
  }
  const offline = { ...offlineRuns[0]!, ms: (offlineRuns[0]!.ms + offlineRuns[1]!.ms) / 2, runs: offlineRuns.map((r) => r.ms) };
  const ndjsonBytes = statSync(ndjson).size;
  // The verifier's per-event hash (the Worker's eventHash) against WebCrypto and node:crypto,
  // node:crypto's synchronous SHA-256 over the same canonical JSON, on the first 20,000 lines.
  const hashing = await hashingInNode(ndjson, 20_000);
  rmSync(ndjson, { force: true }); // ~0.6 GB; made again by every run

  // 4. The chain's cost on ingest.
  ctx.log(`verify: ingest of ${chainEvents} events with and without the chain, interleaved`);
  const overhead = await chainOverhead(ctx, dir, chainEvents, batchChanges);

  return report({
    ctx,
    loadBefore,
    db,
    events,
    calls,
    defaultCall,
    apiMs,
    exported,
    api,
    ndjsonBytes,
    breakdown,
    capped,
    startup,
    offline,
    hashing,
    overhead,
  });
}

function readFirstLine(file: string): string {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(100_000);
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  const text = buffer.subarray(0, read).toString('utf8');
  return text.slice(0, text.indexOf('\n'));
}

interface HashSpeed {
  events: number;
  /** Whether the Worker's eventHash returns a promise (WebCrypto) or the hash (node:crypto). */
  workerAsync: boolean;
  workerUs: number;
  webCryptoUs: number;
  nodeCryptoUs: number;
  rounds: string;
}

/** lib/hash-speed.ts in a process of its own (as the offline verifier runs). */
function hashingInNode(file: string, count: number): Promise<HashSpeed> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'test/bench/lib/hash-speed.ts'), file, String(count)],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`hash-speed.ts failed (${code}): ${out}`));
      const r = JSON.parse(out.trim().split('\n').at(-1)!) as {
        events: number;
        workerAsync: boolean;
        workerUs: number[];
        webCryptoUs: number[];
        nodeCryptoUs: number[];
      };
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const list = (values: number[]) => values.map((v) => v.toFixed(1)).join(' / ');
      resolve({
        events: r.events,
        workerAsync: r.workerAsync,
        workerUs: median(r.workerUs),
        webCryptoUs: median(r.webCryptoUs),
        nodeCryptoUs: median(r.nodeCryptoUs),
        rounds: `eventHash ${list(r.workerUs)}; WebCrypto ${list(r.webCryptoUs)}; node:crypto ${list(r.nodeCryptoUs)} µs`,
      });
    });
  });
}

interface ReportInput {
  ctx: BenchContext;
  loadBefore: string;
  db: SeededDatabase;
  events: number;
  calls: VerifyCall[];
  defaultCall: VerifyCall;
  apiMs: number;
  capped: Attempt[];
  exported: ApiSide['exports'][number];
  /** Per side (with --before: both) the verify calls and the export. */
  api: Partial<Record<Side, ApiSide>>;
  ndjsonBytes: number;
  breakdown: { handler: number; d1: number; calls: number; client: number; checked: number };
  startup: { ms: number; code: number | null; output: string };
  offline: { ms: number; code: number | null; output: string; runs: number[] };
  hashing: HashSpeed;
  overhead: Awaited<ReturnType<typeof chainOverhead>>;
}

function report(x: ReportInput): string {
  const { calls, breakdown: b, overhead: o } = x;
  const offlineNet = x.offline.ms - x.startup.ms;
  const sum = (values: number[]) => values.reduce((a, v) => a + v, 0);
  const chain = o.sides.chain!;
  const noChain = o.sides.noChain!;
  const chainMs = sum(chain.latencies);
  const noChainMs = sum(noChain.latencies);
  const throughputRatio = noChainMs / chainMs; // (events/chainMs) / (events/noChainMs)
  const jsChain = summarize(chain.js).median;
  const jsNoChain = summarize(noChain.js).median;
  const perEventUs = ((b.handler - b.d1) * 1000) / b.checked;
  const byWhat = (prefix: string) => x.capped.find((a) => a.what.startsWith(prefix));
  const full = byWhat('GET …/verify?fromSeq=1 (');
  const windowed = byWhat('GET …/verify?fromSeq=1&');
  const wholeRows = byWhat("verify's reads alone, whole rows");
  const narrow = byWhat("verify's reads alone, only");
  const hashOnly = byWhat("verify's hashing alone");
  const capVerdict =
    full && !full.ok
      ? `**A Worker-side problem: \`GET …/verify\` at its own default and maximum of 250,000 events does not fit in 128 MB.** ${
          windowed?.ok
            ? `${n(VERIFY_WINDOW)} events a call do (which is why the throughput above is measured with \`toSeq\` windows of that size). `
            : ''
        }The memory goes with the rows read within one request, not with the hashing: ${
          hashOnly?.ok ? 'hashing 250,000 events alone completes' : 'even hashing alone fails'
        }; reading the 250,000 whole rows alone ${wholeRows?.ok ? 'completes' : 'fails'}, and reading only their \`seq, hash\` ${narrow?.ok ? 'completes' : 'fails'}.
Locally the rows D1 returned stay reachable while the handler runs — V8's last-resort full collections before the abort free
nothing — whereas the export, which reads its pages in the stream's \`pull\` after the Response has been returned, streams
1,000,000 rows in flat memory and under the same cap (see the export section). Ways out: a lower
\`MAX_VERIFY_EVENTS\` (${n(VERIFY_WINDOW)} fits), or read only the columns verify needs per page, or verify in a stream like the export does.
Whether Cloudflare's D1 binding retains rows the same way was not measured here.`
      : full?.ok
        ? `\`GET …/verify?fromSeq=1\` (the endpoint's default size) completed under the cap: ${full.detail}.`
        : '';

  const baseline = x.ctx.before;
  const then = x.api.before;
  const ingestThen = o.sides.before;
  const ingestNow = o.sides.now;
  const one = (value: number) => [value];
  const compared =
    baseline && then && ingestThen && ingestNow
      ? `**Before/after.** The verification and the ingest above, measured in the same run against the Worker of ${baseline.short}: for
verify, a second \`wrangler dev\` on a copy of the same D1 folder, running beside the current one; each window of ${n(VERIFY_WINDOW)}
events went to both in turn (strictly alternating) after each Worker's own fresh-isolate call of the default size,
then ${EXPORT_RUNS} NDJSON exports from each, strictly alternating, each written to a file as the client read it (${n(x.api.now!.exports[0]!.lines)} and ${n(then.exports[0]!.lines)} lines).${
          x.api.now!.stalls + then.stalls
            ? ` Windows that got no answer within 120 s and were asked again (their second time counts): ${x.api.now!.stalls} now, ${then.stalls} before.`
            : ''
        } For ingest, two more Workers
in the same interleaved loop as the chain/no-chain pair: the current Worker's bundle (not the probe) and the baseline, each on
a fresh local D1. Pairs: the same window, the same batch.

${comparison(baseline, [
  { what: `\`GET …/verify\`, a window of ${n(VERIFY_WINDOW)} events`, before: then.windows, now: x.api.now!.windows, paired: true },
  ...(then.defaultCall.error || x.defaultCall.error || then.defaultCall.checked !== x.defaultCall.checked
    ? []
    : [
        {
          what: `\`GET …/verify?fromSeq=1\` (the default size: ${n(x.defaultCall.checked)} events, fresh isolate)`,
          before: one(then.defaultCall.ms),
          now: one(x.defaultCall.ms),
          paired: true,
        },
      ]),
  {
    what: `NDJSON export, ${n(x.events)} events`,
    before: then.exports.map((e) => e.ms),
    now: x.api.now!.exports.map((e) => e.ms),
    paired: true,
  },
  { what: 'Ingest: one batch (up to 1,000 changes)', before: ingestThen.latencies, now: ingestNow.latencies, paired: true },
])}
`
      : '';

  return `## Verification: a ${n(x.events)}-event chain, and the chain's cost on ingest

- Command: \`${x.ctx.command}\` (this section alone: \`npm run bench -- verify\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${x.loadBefore}, after ${loadAverage()}.
${machineMarkdown(x.ctx.machine)}
- Worker code: ${baseline ? `now = ${x.ctx.codeVersion}; ${baselineLine(baseline)}` : x.ctx.codeVersion}.

**Data.** The reads benchmark's account \`${ACCOUNT}\`: ${n(x.events)} events, written by lib/seed.ts straight into the local D1 file
(${x.db.reused ? `built ${x.db.info.builtAt} by the reads benchmark, reused here` : 'built in this run'}), with a valid chain: every row shaped by the Worker's \`eventView\` and hashed over its RFC 8785
canonical JSON (\`canonicalJson\`) with SHA-256 (node:crypto's, checked against the Worker's own \`eventHash\` on a sample),
\`prev_hash\` linking each row to the one before, \`accounts.chain_seq\`/\`chain_hash\` = the last row. The API then checks every one of them.

| verification | events | time | **events/s** |
| --- | ---: | ---: | ---: |
| \`GET /v1/accounts/{a}/verify?fromSeq&toSeq\`, ${calls.length} calls of ${n(VERIFY_WINDOW)} events, sum of client times | ${n(x.events)} | ${(x.apiMs / 1000).toFixed(1)} s | **${perSecond(x.events, x.apiMs)}** |
| – one call of the endpoint's default and maximum size (\`?fromSeq=1\`, made first, in the fresh isolate) | ${x.defaultCall.error ? `**failed**: ${x.defaultCall.error}` : n(x.defaultCall.checked)} | ${(x.defaultCall.ms / 1000).toFixed(1)} s | ${x.defaultCall.error ? '–' : perSecond(x.defaultCall.checked, x.defaultCall.ms)} |
| \`npm run verify -- ${ACCOUNT}.ndjson\` (${(x.ndjsonBytes / 2 ** 20).toFixed(0)} MB), wall time, mean of 2 runs (${x.offline.runs.map((v) => (v / 1000).toFixed(1)).join(' s, ')} s) | ${n(x.events)} | ${(x.offline.ms / 1000).toFixed(1)} s | **${perSecond(x.events, x.offline.ms)}** |
| – the same without its start-up (npm + tsx, ${(x.startup.ms / 1000).toFixed(1)} s on a one-line file) | ${n(x.events)} | ${(offlineNet / 1000).toFixed(1)} s | ${perSecond(x.events, offlineNet)} |
| NDJSON export of the chain (\`…/events/export?format=ndjson\`), for comparison | ${n(x.events)} | ${(x.exported.ms / 1000).toFixed(1)} s | ${perSecond(x.events, x.exported.ms)} |

Each verify call (client ms): ${calls.map((c) => `${n(c.fromSeq)}–${n(c.toSeq)}: ${ms(c.ms)}`).join('; ')}; all \`ok: true\`, ${n(sum(calls.map((c) => c.checked)))} events checked in all.
The offline verifier said: \`${x.offline.output.split('\n').filter(Boolean).slice(-2).join(' / ')}\`.

**Where the time goes.** One call of ${n(b.checked)} events through the probe's timing wrapper: ${ms(b.handler)} ms in the handler,
of which ${ms(b.d1)} ms (${((100 * b.d1) / b.handler).toFixed(0)} %) waiting for D1 in ${b.calls} calls (pages of 2,000 rows by \`(account_id, seq)\`) and
${ms(b.handler - b.d1)} ms of JavaScript: ${perEventUs.toFixed(1)} µs an event for \`eventView\`, RFC 8785 canonical JSON and one
SHA-256 (${x.hashing.workerAsync ? 'WebCrypto, awaited' : "node:crypto's synchronous createHash"}), one event after the other (each hash needs the one before). The offline
verifier does the same per event in Node: ${((offlineNet * 1000) / x.events).toFixed(1)} µs an event in all, reading and parsing included. Hashing
alone, in a Node process of its own (test/bench/lib/hash-speed.ts, the first ${n(x.hashing.events)} events of the export, 3 alternating rounds,
medians): the Worker's \`eventHash\` (${x.hashing.workerAsync ? 'WebCrypto, one awaited promise per event' : 'synchronous node:crypto'}) **${x.hashing.workerUs.toFixed(1)} µs** an event; over the same canonical
JSON, a WebCrypto digest awaited per event ${x.hashing.webCryptoUs.toFixed(1)} µs and node:crypto's \`createHash\` ${x.hashing.nodeCryptoUs.toFixed(1)} µs (${x.hashing.rounds}). ${
    x.hashing.workerAsync && x.hashing.webCryptoUs > 2 * x.hashing.nodeCryptoUs
      ? `In Node each WebCrypto digest is a round trip through libuv's thread pool, whose latency depends on how busy the cores are;
a synchronous SHA-256 would remove it.`
      : x.hashing.webCryptoUs > 2 * x.hashing.nodeCryptoUs
        ? `The chain is hashed synchronously now; with an awaited WebCrypto digest per event (each a round trip through libuv's thread
pool in Node) the same hashing would cost ${(x.hashing.webCryptoUs / x.hashing.nodeCryptoUs).toFixed(0)}× as much.`
        : ''
  }

**Verification in a 128 MB isolate.** Cloudflare gives an isolate 128 MB; local workerd has no limit. The same requests in a workerd
whose V8 heap is capped at 128 MB (\`${HEAP_FLAGS.join(' ')}\`, set as the export section describes; the probe build, a fresh workerd after each
one that died), and the two halves of a verify call alone (probe \`/__bench/verify-parts\`):

${table(
  ['request, V8 heap capped at 128 MB', 'result', 'ms'],
  x.capped.map((a) => [a.what, a.ok ? `completed: ${a.detail}` : `**failed**: ${a.detail}`, ms(a.ms)]),
)}

${capVerdict}

**The chain's cost on ingest.** The same ${n(o.events)} events as the ingest benchmark (${o.batches} batches of up to 1,000 changes, explicit
elements) sent to two fresh Workers running side by side on their own local D1s, one batch to each in turn (strictly
alternating; with the baseline, four Workers in an order rotated every batch), after the same warm-up: the probe build as it is, and a copy of that bundle in which the one \`eventHash\` function
(canonical JSON + SHA-256 of each event) is replaced by \`return "ff…ff"\` — everything else, including building each row's
\`eventView\`, is unchanged. Afterwards the first D1 holds ${n(chain.distinctHashes)} distinct hashes, the
second ${n(noChain.distinctHashes)} (the patch was in force).

${table(
  ['ingest', 'total (sum of batch latencies)', 'events/s', 'batch median ms', 'recordChanges JavaScript, median ms (D1 in memory)'],
  [
    [chain.label, `${(chainMs / 1000).toFixed(2)} s`, perSecond(o.events, chainMs), ms(summarize(chain.latencies).median), ms(jsChain)],
    [
      noChain.label,
      `${(noChainMs / 1000).toFixed(2)} s`,
      perSecond(o.events, noChainMs),
      ms(summarize(noChain.latencies).median),
      ms(jsNoChain),
    ],
  ],
)}

**Throughput with the chain / without it: ${throughputRatio.toFixed(2)}** — hashing the chain costs ${((1 - throughputRatio) * 100).toFixed(0)} % of ingest throughput
(${ms((chainMs - noChainMs) / o.batches)} ms a batch of ≈ ${n(o.events / o.batches)} events, ${(((chainMs - noChainMs) / o.events) * 1000).toFixed(1)} µs an event); in the JavaScript of
\`recordChanges\` alone (probe \`/__bench/ingest-js\`, D1 answered in memory, first 5 bodies) it is ${ms(jsChain)} ms against ${ms(jsNoChain)} ms a batch.

${compared}`;
}
