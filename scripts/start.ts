// npm start: the Worker on local D1 with a demo account, its tokens and a few months of
// realistic history, ready for the demo workspace and the extension; a simulated LivePerson
// the demo account is connected to, which the demo workspace saves to. Runs until Ctrl-C.
//
// Each step is one entry of STEPS below; what a step learns goes into StartState and the
// banner prints it at the end.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiClient, type Api } from './lib/api-client';
import { ensureDevVars } from './lib/dev-vars';
import { applyLocalMigrations } from './lib/migrations';
import { DEV_VARS_FILE, LOCAL_DIR, REPO_ROOT, repoRelative } from './lib/paths';
import { Cleanups, formatMs, onStopSignal, runSteps, type Step } from './lib/steps';
import { startWorker, type RunningWorker } from './lib/worker-process';
import {
  demoStoryOptions,
  ensureDemoAccount,
  ensureDemoTokens,
  seedDemoHistory,
  type AccountView,
  type DemoToken,
  type SeedResult,
} from './demo/provision';
import { DEMO_WORKSPACE_ORIGINATOR, demoWorkspaceData } from './demo/seed-history';
import { startWorkspaceServer } from './lib/workspace-server';
import { startLivePersonSim, type LivePersonSim } from './liveperson-sim/server';
import { DEMO_LIVEPERSON_KEY, DEMO_WORKSPACE_BEARER, connectDemoLivePerson, provisionSimAccount } from './demo/liveperson';

const execFileAsync = promisify(execFile);
const PORT = Number(process.env.PORT ?? 8787);
const WORKSPACE_PORT = Number(process.env.WORKSPACE_PORT ?? PORT + 1);
const LIVEPERSON_PORT = Number(process.env.LIVEPERSON_PORT ?? PORT + 2);
const TOKENS_FILE = path.join(LOCAL_DIR, 'demo-tokens.json');
const WORKER_LOG = path.join(LOCAL_DIR, 'worker-dev.log');

interface StartState {
  operatorToken?: string;
  worker?: RunningWorker;
  api?: Api;
  account?: AccountView;
  tokens?: DemoToken[];
  seed?: SeedResult;
  /** The simulated LivePerson, and where the demo account's import stands once connected. */
  livePerson?: LivePersonSim;
  livePersonState?: string;
  /** Filled in by the demo workspace step. */
  workspaceUrl?: string;
  /** Filled in by the extension build step: the unpacked extension to load in the browser. */
  extensionDir?: string;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`start-up order: ${what} is not ready yet`);
  return value;
}

function tokenFor(state: StartState, role: string): string {
  const token = need(state.tokens, 'tokens').find((t) => t.role === role);
  return need(token, `the ${role} token`).token;
}

const STEPS: Step<StartState>[] = [
  {
    name: 'Local secrets',
    async run(state) {
      const { operatorToken, created } = ensureDevVars();
      state.operatorToken = operatorToken;
      return `${created ? 'created' : 'kept'} ${repoRelative(DEV_VARS_FILE)}`;
    },
  },
  {
    // Before the Worker, which is started with LIVEPERSON_CSDS_URL pointing here.
    name: `Simulated LivePerson on port ${LIVEPERSON_PORT}`,
    async run(state, cleanups) {
      const sim = await startLivePersonSim({ port: LIVEPERSON_PORT, host: '127.0.0.1' });
      cleanups.add('the simulated LivePerson', () => sim.close());
      state.livePerson = sim;
      return sim.url;
    },
  },
  {
    name: 'Local D1 migrations',
    async run() {
      const { applied } = await applyLocalMigrations();
      return applied.length ? `applied ${applied.join(', ')}` : 'up to date';
    },
  },
  {
    name: `Worker on port ${PORT}`,
    async run(state, cleanups) {
      await mkdir(LOCAL_DIR, { recursive: true });
      const log = createWriteStream(WORKER_LOG, { flags: 'a' });
      log.write(`\n--- npm start ${new Date().toISOString()} ---\n`);
      // --var and not .dev.vars: wrangler takes only the declared secrets (secrets.required) from .dev.vars.
      const livePerson = need(state.livePerson, 'the simulated LivePerson');
      const worker = await startWorker({
        port: PORT,
        vars: { LIVEPERSON_CSDS_URL: livePerson.url },
        onOutput: (line) => log.write(line + '\n'),
      });
      cleanups.add('the worker log', () => new Promise<void>((resolve) => log.end(resolve)));
      cleanups.add('wrangler dev', () => worker.stop());
      state.worker = worker;
      state.api = apiClient(worker.url);
      return `${worker.url} (LIVEPERSON_CSDS_URL=${livePerson.url})`;
    },
  },
  {
    name: 'Demo account',
    async run(state) {
      const { account, created } = await ensureDemoAccount(need(state.api, 'the API'), need(state.operatorToken, 'the operator token'));
      state.account = account;
      return `${created ? 'created' : 'exists'}: ${account.id} ${account.name}`;
    },
  },
  {
    name: 'Demo tokens',
    async run(state) {
      const { tokens, created } = await ensureDemoTokens(
        need(state.api, 'the API'),
        need(state.operatorToken, 'the operator token'),
        need(state.account, 'the account').id,
        TOKENS_FILE,
      );
      state.tokens = tokens;
      const reused = tokens.length - created.length;
      return [created.length && `created ${created.length}`, reused && `reused ${reused}`].filter(Boolean).join(', ');
    },
  },
  {
    name: 'Demo history',
    async run(state, _cleanups, progress) {
      const seed = await seedDemoHistory(
        need(state.api, 'the API'),
        need(state.account, 'the account'),
        { writer: tokenFor(state, 'emitter'), reader: tokenFor(state, 'viewer') },
        (sent, total) => progress(`${sent}/${total} changes`),
      );
      state.seed = seed;
      if (seed.status === 'skipped') return `not seeded: ${seed.reason}`;
      return `${seed.status} ${seed.changesSent.toLocaleString('en-US')} changes → ${seed.eventsCreated.toLocaleString('en-US')} events`;
    },
  },
  {
    // The hourly cron does not run under wrangler dev: sign the head now, so the demo shows
    // a verifiable history with a checkpoint (GET …/verify, …/checkpoints).
    name: 'Signed checkpoint',
    async run(state) {
      const account = need(state.account, 'the account');
      const { status, body } = await need(state.api, 'the API')<{ seq: number }>(`/v1/accounts/${account.id}/checkpoints`, {
        method: 'POST',
        token: tokenFor(state, 'admin'),
        accept: [200, 201, 422],
      });
      return status === 422 ? 'nothing to sign yet' : `head seq ${body.seq} ${status === 201 ? 'signed' : 'already signed'}`;
    },
  },
  {
    // The simulator keeps nothing between starts: the account, its API key, the workspace's
    // objects and its signed-in admin are set up each time, then the Worker is (re)connected.
    name: 'LivePerson connection',
    async run(state) {
      const account = need(state.account, 'the account');
      const sim = need(state.livePerson, 'the simulated LivePerson');
      await provisionSimAccount(sim.url, account.id, demoWorkspaceData(demoStoryOptions(account)), DEMO_WORKSPACE_ORIGINATOR);
      const status = await connectDemoLivePerson(need(state.api, 'the API'), account.id, tokenFor(state, 'accountAdmin'));
      state.livePersonState = status.state ?? 'not connected';
      return `connected, ${status.state}${status.backfill ? ` from ${status.backfill.from} (${status.backfill.daysTotal} days)` : ''}`;
    },
  },
  {
    // The workspace lists what the seeded story left behind, so an element opened there
    // already has months of history in the panel. It saves to the simulated LivePerson.
    name: 'Demo workspace',
    async run(state, cleanups) {
      const account = need(state.account, 'the account');
      const workspace = await startWorkspaceServer({
        workerUrl: need(state.worker, 'the worker').url,
        accountId: account.id,
        writeToken: tokenFor(state, 'emitter'),
        originator: DEMO_WORKSPACE_ORIGINATOR,
        data: demoWorkspaceData(demoStoryOptions(account)),
        livePerson: { url: need(state.livePerson, 'the simulated LivePerson').url, bearer: DEMO_WORKSPACE_BEARER },
        port: WORKSPACE_PORT,
        host: '127.0.0.1',
      });
      cleanups.add('the demo workspace', () => workspace.close());
      state.workspaceUrl = workspace.url;
      return workspace.url;
    },
  },
  {
    name: 'Browser extension',
    async run(state) {
      // The demo build: the store builds do not run on localhost (wxt.config.ts).
      await execFileAsync(process.execPath, [path.join(REPO_ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build', '--mode', 'demo'], {
        cwd: REPO_ROOT,
      });
      state.extensionDir = path.join(REPO_ROOT, '.output', 'chrome-mv3-demo');
      return `built ${repoRelative(state.extensionDir)}`;
    },
  },
];

function printBanner(state: StartState, startedMs: number) {
  const worker = need(state.worker, 'the worker');
  const account = need(state.account, 'the account');
  const tokens = need(state.tokens, 'tokens');
  const viewer = tokenFor(state, 'viewer');
  const scopeWidth = Math.max(...tokens.map((t) => t.scopes.join(', ').length));
  const nameWidth = Math.max(...tokens.map((t) => t.name.length));
  const lines = [
    '',
    `Audit Trail is running (ready in ${formatMs(Math.round(performance.now() - startedMs))})`,
    '',
    `  Worker           ${worker.url}`,
    `  OpenAPI          ${worker.url}/openapi.json`,
    `  Account          ${account.id}  ${account.name} (${account.timezone}), auditing since ${account.auditEnabledAt.slice(0, 10)}`,
    `  Demo workspace   ${state.workspaceUrl ?? '(not available yet)'}  (saves to the simulated LivePerson)`,
    `  LivePerson (sim) ${state.livePerson?.url ?? '(not started)'}  (CSDS and the account's domain; the demo account is connected)`,
    `  Extension        ${state.extensionDir ? `${repoRelative(state.extensionDir)}  (load unpacked)` : '(not built yet)'}`,
    `  Operator token   ${need(state.operatorToken, 'the operator token')}  (${repoRelative(DEV_VARS_FILE)})`,
    '',
    `  Tokens of account ${account.id} (kept in ${repoRelative(TOKENS_FILE)}):`,
    ...tokens.map((t) => `    ${t.scopes.join(', ').padEnd(scopeWidth)}  ${t.name.padEnd(nameWidth)}  ${t.token}`),
    '',
    `  LivePerson API key of account ${account.id} (paste on the options page, LivePerson section):`,
    `    App key              ${DEMO_LIVEPERSON_KEY.consumerKey}`,
    `    App secret           ${DEMO_LIVEPERSON_KEY.consumerSecret}`,
    `    Access token         ${DEMO_LIVEPERSON_KEY.token}`,
    `    Access token secret  ${DEMO_LIVEPERSON_KEY.tokenSecret}`,
    '',
    `  Next: load ${state.extensionDir ? repoRelative(state.extensionDir) : 'the extension'} unpacked (chrome://extensions, Developer mode),`,
    `        in its options set API URL ${worker.url}, Account ID ${account.id} and the "Admin (all scopes)" token`,
    `        (the options page then shows the LivePerson import: ${state.livePersonState ?? 'not connected'}),`,
    `        open the demo workspace, choose Account settings → Audit trail on a user, edit it and Save.`,
    `        The save goes to the simulated LivePerson; the extension asks for a sync and the open panel shows`,
    `        the change, marked LivePerson, within seconds. (A token without account:admin asks for no sync, and`,
    `        wrangler dev runs no cron: then "Sync now" on the options page brings it.)`,
    '',
    `  Try:  curl -H "Authorization: Bearer ${viewer}" "${worker.url}/v1/accounts/${account.id}/events?limit=5"`,
    `  Worker log: ${repoRelative(WORKER_LOG)}.  Ctrl-C stops.`,
    '',
  ];
  console.log(lines.join('\n'));
}

async function main() {
  const started = performance.now();
  const state: StartState = {};
  const cleanups = new Cleanups();
  let stopping = false;
  const stop = async (code: number) => {
    stopping = true;
    await cleanups.runAll();
    process.exit(code);
  };
  onStopSignal((signal) => {
    console.log(`\n${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping …`);
    void stop(0);
  });

  try {
    await runSteps(STEPS, state, cleanups);
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
    return;
  }
  printBanner(state, started);
  void need(state.worker, 'the worker').exited.then(() => {
    if (stopping) return;
    console.error(`wrangler dev exited unexpectedly; see ${repoRelative(WORKER_LOG)}.`);
    void stop(1);
  });
}

void main();
