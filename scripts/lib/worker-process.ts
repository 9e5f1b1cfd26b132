// The Worker under `wrangler dev` (workerd, local D1), started and stopped from Node. Used by
// npm start, benchmarks and end-to-end tests, so they all run the Worker the same way.
import { spawn, type ChildProcess } from 'node:child_process';
import { ensureDevVars } from './dev-vars';
import { REPO_ROOT, WRANGLER_BIN } from './paths';
import { assertPortFree, freePort } from './port';
import { waitForHttpOk } from './wait-for';
import { wranglerEnv } from './wrangler';

export interface StartWorkerOptions {
  port: number;
  /** Local state directory (wrangler's `--persist-to`); default .wrangler/state. */
  persistTo?: string;
  /** Default 127.0.0.1. */
  ip?: string;
  /** Every line wrangler (and the Worker's console) prints; default: kept only for errors. */
  onOutput?: (line: string) => void;
  /** The DevTools inspector's port; default: any free one, so several Workers can run at once
   *  (wrangler's fixed default 9229 makes a second `wrangler dev` fail). */
  inspectorPort?: number;
  /** Plain-text vars for this run (`--var`), over wrangler.jsonc's and .dev.vars', e.g. LIVEPERSON_CSDS_URL. */
  vars?: Record<string, string>;
  /** How long to wait for /healthz; default 60 s. */
  readyTimeoutMs?: number;
}

export interface RunningWorker {
  url: string;
  /** The operator token from .dev.vars, which this Worker accepts. */
  operatorToken: string;
  /** Stops wrangler and its workerd; safe to call more than once. */
  stop(): Promise<void>;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<void>;
}

const OUTPUT_LINES_KEPT = 60;

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const ip = options.ip ?? '127.0.0.1';
  const { operatorToken } = ensureDevVars();
  await assertPortFree(ip, options.port);

  const inspectorPort = options.inspectorPort ?? (await freePort(ip));
  const args = [
    'dev',
    '--local',
    '--ip',
    ip,
    '--port',
    String(options.port),
    '--inspector-port',
    String(inspectorPort),
    '--show-interactive-dev-session=false',
  ];
  if (options.persistTo) args.push('--persist-to', options.persistTo);
  for (const [key, value] of Object.entries(options.vars ?? {})) args.push('--var', `${key}:${value}`);
  // Its own process group, so stopping it also reaches workerd, and a Ctrl-C in the
  // terminal reaches only us: we stop it in order.
  const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
    cwd: REPO_ROOT,
    env: wranglerEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });

  const recentOutput: string[] = [];
  const onLine = (line: string) => {
    recentOutput.push(line);
    if (recentOutput.length > OUTPUT_LINES_KEPT) recentOutput.shift();
    options.onOutput?.(line);
  };
  forwardLines(child.stdout!, onLine);
  forwardLines(child.stderr!, onLine);

  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      hasExited = true;
      resolve();
    }),
  );
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  const diedEarly = Promise.race([exited, spawnFailed]).then(() => {
    throw new Error(`wrangler dev exited before the Worker was ready:\n${recentOutput.join('\n')}`);
  });

  // Last resort if this Node process ends without calling stop(): never leave workerd behind.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (hasExited) return;
      // SIGINT lets wrangler dispose workerd and flush local state; escalate if it hangs.
      signalProcess(child, 'SIGINT');
      if (await settlesWithin(exited, 5_000)) {
        signalGroup(child, 'SIGTERM'); // sweeps a workerd that outlived wrangler, if any
        return;
      }
      signalGroup(child, 'SIGTERM');
      if (await settlesWithin(exited, 3_000)) return;
      signalGroup(child, 'SIGKILL');
      await exited;
    })());

  const url = `http://${ip}:${options.port}`;
  try {
    await waitForHttpOk(`${url}/healthz`, { timeoutMs: options.readyTimeoutMs ?? 60_000, abandon: diedEarly });
  } catch (error) {
    await stop();
    throw error;
  }
  diedEarly.catch(() => {}); // from here on, an exit is reported through `exited`
  return { url, operatorToken, stop, exited };
}

function forwardLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop()!;
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => pending && onLine(pending));
}

function signalProcess(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
}
