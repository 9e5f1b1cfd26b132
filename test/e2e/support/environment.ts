// Everything an end-to-end test runs against: a fresh local Worker (own D1 state, production
// migrations), an account with tokens and some history, the demo workspace (the backend,
// shared by every browser), and Chromium with the freshly built extension loaded
// (Firefox: ./firefox.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { apiClient, applyLocalMigrations, REPO_ROOT, startWorker, type Api, type RunningWorker } from '../../../scripts/lib';
import { freePort } from '../../../scripts/lib/port';
import { loadWorkspaceData, startWorkspaceServer, type RunningWorkspace } from '../../../scripts/lib/workspace-server';
import { startLivePersonSim } from '../../../scripts/liveperson-sim/server';
import { findBrowser } from './browsers';

export const ACCOUNT = '12345678';
/** The demo builds (`wxt build [-b firefox] --mode demo`): only they run on the local demo workspace. */
export const EXTENSION_DIR = path.join(REPO_ROOT, '.output/chrome-mv3-demo');
export const FIREFOX_EXTENSION_DIR = path.join(REPO_ROOT, '.output/firefox-mv2-demo');

export interface Tokens {
  reader: string; // audit:read + audit:export
  readOnly: string; // audit:read
  writer: string; // events:write, the demo workspace's
  noRead: string; // events:write only: no audit trail for this one
  admin: string; // account:admin + audit:read + audit:export: connects LivePerson, reads the panel
}

/** The simulated LivePerson of a backend started with `{ livePerson: true }`. */
export interface SimulatedLivePerson {
  url: string;
  /** The account's API key there, as an admin pastes it on the options page. */
  key: { consumerKey: string; consumerSecret: string; token: string; tokenSecret: string };
  /** Adds audit records to the account's LivePerson history (the simulator's control API). */
  addRecords(records: Record<string, unknown>[]): Promise<void>;
}

export interface BackendOptions {
  /** Start the simulated LivePerson, point the Worker's LIVEPERSON_CSDS_URL at it, create the
   *  account there (its key, the workspace's objects, the workspace's admin signed in) and make
   *  the demo workspace save to it instead of recording through the Worker. */
  livePerson?: boolean;
}

const LIVEPERSON_KEY = {
  consumerKey: 'e2e-app-key',
  consumerSecret: 'e2e-app-secret',
  token: 'e2e-token',
  tokenSecret: 'e2e-token-secret',
};
const WORKSPACE_BEARER = 'e2e-workspace-session';

/** The Worker, the account with its tokens and history, and the demo workspace. */
export interface Backend {
  worker: RunningWorker;
  api: Api;
  workspace: RunningWorkspace;
  tokens: Tokens;
  /** Present when started with `{ livePerson: true }`. */
  livePerson?: SimulatedLivePerson;
  /** Where the browser saves downloads. */
  downloads: string;
  /** A folder for the browser's profile, removed on close. */
  scratch: string;
  /** Runs on close, before the backend stops (the browser goes first). */
  onClose(cleanup: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export interface Environment extends Backend {
  context: BrowserContext;
  extensionId: string;
}

/** Builds the extension for a browser unless AUDIT_TRAIL_E2E_NO_BUILD=1 (then it must already be built). */
export function buildExtension(browser: 'chrome' | 'firefox' = 'chrome') {
  const dir = browser === 'chrome' ? EXTENSION_DIR : FIREFOX_EXTENSION_DIR;
  const args = browser === 'chrome' ? ['--mode', 'demo'] : ['-b', 'firefox', '--mode', 'demo'];
  if (process.env.AUDIT_TRAIL_E2E_NO_BUILD === '1') {
    if (!existsSync(path.join(dir, 'manifest.json'))) throw new Error(`No built extension in ${dir}: run npx wxt build ${args.join(' ')}.`);
    return dir;
  }
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build', ...args], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  });
  return dir;
}

const DAY = 86_400_000;

/** What the platform recorded before the test: the objects being created, and a long history for one user. */
async function seed(api: Api, token: string) {
  const data = await loadWorkspaceData();
  const start = Date.now() - 40 * DAY;
  const at = (offset: number) => new Date(start + offset).toISOString();
  const originator = { id: '4715', name: 'Amy Admin' };
  const changes: unknown[] = [];
  const add = (objectType: string, objects: Record<string, unknown>[], name: (o: Record<string, unknown>) => string) =>
    objects.forEach((after, i) =>
      changes.push({
        changeId: `seed-add-${objectType}-${after.id}`,
        objectType,
        objectId: String(after.id),
        objectName: name(after),
        action: 'add',
        originator,
        occurredAt: at(i * 60_000),
        after,
      }),
    );
  add('profile', data.profiles, (o) => String(o.name));
  add('agentGroup', data.agentGroups, (o) => String(o.name));
  add('skill', data.skills, (o) => String(o.name));
  add('user', data.users, (o) => String(o.fullName));
  // Omar's max chats went up and down for a month: more than one page of history.
  const omar = data.users.find((u) => u.id === 4712)!;
  for (let i = 0; i < 30; i++) {
    const before = { ...omar, maxChats: 2 + (i % 4) };
    const after = { ...omar, maxChats: 2 + ((i + 1) % 4) };
    changes.push({
      changeId: `seed-omar-${i}`,
      objectType: 'user',
      objectId: '4712',
      objectName: 'Omar Haddad',
      action: 'edit',
      originator,
      occurredAt: at(DAY + i * DAY),
      before,
      after,
    });
  }
  await api(`/v1/accounts/${ACCOUNT}/changes/batch`, { token, body: { changes } });
}

/** The simulated LivePerson with the account, its objects and the workspace's signed-in admin. */
async function startSimulatedLivePerson(): Promise<SimulatedLivePerson & { close(): Promise<void> }> {
  const sim = await startLivePersonSim();
  const control = async (method: string, rest: string, body: unknown) => {
    const response = await fetch(`${sim.url}/_sim/accounts/${ACCOUNT}${rest}`, { method, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`simulated LivePerson ${method} ${rest}: ${response.status} ${await response.text()}`);
  };
  try {
    await control('PUT', '', { credentials: LIVEPERSON_KEY });
    await control('PUT', '/objects', await loadWorkspaceData());
    await control('POST', '/sessions', { token: WORKSPACE_BEARER, user: { id: '4715', name: 'Amy Admin', employeeId: 'E4715' } });
  } catch (error) {
    await sim.close();
    throw error;
  }
  return { url: sim.url, key: LIVEPERSON_KEY, addRecords: (records) => control('POST', '/records', { records }), close: () => sim.close() };
}

export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'audit-trail-e2e-'));
  const persistTo = path.join(scratch, 'state');
  await applyLocalMigrations({ persistTo });
  const livePerson = options.livePerson ? await startSimulatedLivePerson() : undefined;
  // --var: this Worker only, over .dev.vars (which npm start may have pointed elsewhere).
  const vars = livePerson ? { LIVEPERSON_CSDS_URL: livePerson.url } : undefined;
  const worker = await startWorker({ port: await freePort(), persistTo, vars }).catch(async (error: unknown) => {
    await livePerson?.close();
    throw error;
  });
  // Cleanups run in reverse: the scratch folder goes last, after the browser and the Worker
  // that write into it have stopped.
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(scratch, { recursive: true, force: true }), () => worker.stop()];
  if (livePerson) cleanups.push(() => livePerson.close());
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const api = apiClient(worker.url);
    const operator = worker.operatorToken;
    await api('/v1/accounts', {
      token: operator,
      body: {
        id: ACCOUNT,
        name: 'Acme Contact Center (e2e)',
        timezone: 'Europe/Berlin',
        auditEnabledAt: new Date(Date.now() - 60 * DAY).toISOString(),
      },
    });
    const token = async (name: string, scopes: string[]) =>
      (await api<{ token: string }>(`/v1/accounts/${ACCOUNT}/tokens`, { token: operator, body: { name, scopes } })).body.token;
    const tokens: Tokens = {
      reader: await token('Admin viewer', ['audit:read', 'audit:export']),
      readOnly: await token('Read only', ['audit:read']),
      writer: await token('Agent Workspace', ['events:write']),
      noRead: await token('Emitter', ['events:write']),
      admin: await token('Account admin', ['account:admin', 'audit:read', 'audit:export']),
    };
    await seed(api, tokens.writer);

    const workspace = await startWorkspaceServer({
      workerUrl: worker.url,
      accountId: ACCOUNT,
      writeToken: tokens.writer,
      ...(livePerson ? { livePerson: { url: livePerson.url, bearer: WORKSPACE_BEARER } } : {}),
    });
    cleanups.push(() => workspace.close());
    return {
      worker,
      api,
      workspace,
      tokens,
      ...(livePerson ? { livePerson: { url: livePerson.url, key: livePerson.key, addRecords: livePerson.addRecords } } : {}),
      downloads: path.join(scratch, 'downloads'),
      scratch,
      onClose: (cleanup) => cleanups.push(cleanup),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function startEnvironment(options: BackendOptions = {}): Promise<Environment> {
  const executablePath = findBrowser('chromium');
  const extensionDir = buildExtension('chrome');
  const backend = await startBackend(options);
  try {
    const browser = await launchChromium({
      executablePath,
      extensionDir,
      profile: path.join(backend.scratch, 'profile'),
      downloads: backend.downloads,
    });
    backend.onClose(() => browser.context.close());
    return { ...backend, ...browser };
  } catch (error) {
    await backend.close();
    throw error;
  }
}

/** Chromium (headless, Berlin time) with one unpacked extension loaded, its profile in
 *  `profile`; the extension's downloads are saved in `downloads`. Answers the browser and the
 *  extension's id. (The benchmarks launch a second one with another build of the extension.) */
export async function launchChromium(options: {
  executablePath?: string;
  extensionDir: string;
  profile: string;
  downloads: string;
}): Promise<{ context: BrowserContext; extensionId: string }> {
  const { extensionDir, downloads } = options;
  const context = await chromium.launchPersistentContext(options.profile, {
    executablePath: options.executablePath ?? findBrowser('chromium'),
    headless: true,
    acceptDownloads: true,
    downloadsPath: downloads,
    timezoneId: 'Europe/Berlin',
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    // The extension downloads through the browser's downloads API (not a page): save those
    // under the name the extension gives, in `downloads`, so a test finds the file on disk.
    const first = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(first);
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    const worker0 = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    return { context, extensionId: new URL(worker0.url()).host };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Saves the extension's options through its options page, as an admin would. */
export async function configure(env: Environment, token: string): Promise<Page> {
  const page = await env.context.newPage();
  await page.goto(`chrome-extension://${env.extensionId}/options.html`);
  await page.getByLabel('API URL').fill(env.worker.url);
  await page.getByLabel('Account ID').fill(ACCOUNT);
  await page.getByLabel('Token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Save' }).click();
  // Saved, or an error: either ends the wait, and an error fails with what the page says.
  const status = page.locator('[role="status"]');
  await page.locator('[role="status"]:is([data-state="saved"], [data-state="error"])').waitFor();
  if ((await status.getAttribute('data-state')) !== 'saved')
    throw new Error(`the options page did not save: ${await status.textContent()}`);
  return page;
}

/** Waits for a finished download of that name (Chromium writes `<name>.crdownload` until it is
 *  done; Firefox creates an empty `<name>` first and fills it through `<name>.part`). Every
 *  export has at least a header, so an empty file is one still being written. */
export async function downloadedFile(env: Pick<Backend, 'downloads'>, name: string, timeoutMs = 15_000): Promise<string> {
  const file = path.join(env.downloads, name);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (existsSync(file) && !existsSync(`${file}.part`) && statSync(file).size > 0) return file;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seen = existsSync(env.downloads) ? readdirSync(env.downloads) : [];
  throw new Error(`No download ${name} in ${env.downloads} after ${timeoutMs} ms (found: ${seen.join(', ') || 'nothing'}).`);
}

/** Runs axe-core in the page (no CSP applies to evaluate) and returns serious and critical violations. */
export async function seriousViolations(page: Page, include?: string): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  const source = readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  return page.evaluate(async (selector) => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(selector ? { include: [selector] } : document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, include);
}
