// (d) The extension (issue 4): what the content script weighs (gzip; budget 15 KB) and the
// panel chunk it loads on first use, and how long an admin waits from clicking "Audit trail"
// to the first history rows painted — in Debian's Chromium with the built extension, against
// the demo workspace and a local Worker, set up by the end-to-end tests' own environment
// (test/e2e/support/environment.ts: Worker, seeded account, tokens, demo workspace, browser).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { baselineLine, comparison, inTurn, type Side } from './lib/baseline';
import { intOption, type BenchContext } from './lib/context';
import { Client } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { table } from './lib/report';
import { ms, summarize, type Summary } from './lib/stats';
import { archiveInto, ROOT } from './lib/wrangler';

const BUDGET_KB = 15;
const OUTPUT = path.join(ROOT, '.output/chrome-mv3');
/** The demo user with the longest seeded history (30 edits and the add: more than one page). */
const OBJECT_HASH = '#/users/4712';

interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

function sizeOf(output: string, file: string): FileSize {
  const content = readFileSync(file);
  return { file: path.relative(output, file), bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** Installs, in the page, a clock from the click on "Audit trail" (the click event's own time
 *  stamp) to the first frame painted with history rows in the panel's shadow root: rows are seen
 *  by a MutationObserver the moment they are inserted, and the clock stops in a task queued from
 *  the next requestAnimationFrame callback, i.e. once that frame has been produced. */
async function armClock(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap named functions in a helper the page lacks.
  await page.evaluate(CLOCK);
}

const CLOCK = `window.__auditClock = new Promise((resolve, reject) => {
  let clickAt;
  let done = false;
  const watched = new Set();
  const observers = [];
  const onClick = (event) => {
    const item = event.target && event.target.closest && event.target.closest('[role="menuitem"]');
    if (item && item.textContent.trim() === 'Audit trail') clickAt = event.timeStamp;
  };
  document.addEventListener('click', onClick, { capture: true });
  const timer = setTimeout(() => reject(new Error('no rows within 20 s')), 20000);
  const check = () => {
    if (done || clickAt === undefined) return;
    const host = document.querySelector('audit-trail-panel');
    const root = host && host.shadowRoot;
    if (root && !watched.has(root)) {
      watched.add(root);
      const observer = new MutationObserver(check);
      observer.observe(root, { childList: true, subtree: true });
      observers.push(observer);
    }
    const rows = root ? root.querySelectorAll('.change [data-element]').length : 0;
    if (!rows) return;
    done = true;
    const inserted = performance.now() - clickAt;
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(timer);
        for (const o of observers) o.disconnect();
        document.removeEventListener('click', onClick, { capture: true });
        resolve({ ms: performance.now() - clickAt, rows, inserted });
      }, 0),
    );
  };
  const bodyObserver = new MutationObserver(check);
  bodyObserver.observe(document.documentElement, { childList: true, subtree: true });
  observers.push(bodyObserver);
  document.addEventListener('click', () => setTimeout(check, 0));
}); undefined`;

async function openAuditTrail(page: Page): Promise<{ ms: number; rows: number; inserted: number }> {
  await armClock(page);
  await page.getByRole('button', { name: 'Account settings' }).click();
  await page.getByRole('menuitem', { name: 'Audit trail' }).click();
  return page.evaluate('window.__auditClock') as Promise<{ ms: number; rows: number; inserted: number }>;
}

export async function runExtension(ctx: BenchContext): Promise<string> {
  const count = intOption('opens', 20);
  const loadBefore = loadAverage();

  ctx.log('extension: wxt build (Chrome MV3)');
  const buildStarted = performance.now();
  wxtBuild(ROOT);
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const { contentScripts, contentCss, panel, background, contentGzip } = buildSizes(OUTPUT);
  // With --before: that commit's extension, its store build (sizes) and its demo build (timed).
  const before = ctx.before;
  let then: { sizes: BuildSizes; demo: string } | undefined;
  if (before) {
    ctx.log(`extension: wxt build of ${before.short}'s extension (store and demo builds)`);
    const root = path.join(ctx.dataDir, 'before', 'extension');
    rmSync(root, { recursive: true, force: true });
    archiveInto(root, before.commit, [
      'extension',
      'shared',
      'drizzle',
      'worker',
      'wxt.config.ts',
      'package.json',
      'tsconfig.json',
      'tsconfig.node.json',
    ]);
    wxtBuild(root);
    wxtBuild(root, '--mode', 'demo');
    then = { sizes: buildSizes(path.join(root, '.output/chrome-mv3')), demo: path.join(root, '.output/chrome-mv3-demo') };
  }

  // The end-to-end environment, which builds and loads the demo build (the store build measured
  // above does not run on the local demo workspace: wxt.config.ts, hostsFor).
  const e2e = await import('../e2e/support/environment');
  ctx.log('extension: starting the end-to-end environment (Worker, demo workspace, Chromium)');
  const env = await e2e.startEnvironment();
  const cold: Record<Side, Opened[]> = { now: [], before: [] };
  const warm: Record<Side, Opened[]> = { now: [], before: [] };
  let api: Summary;
  let chromiumVersion: string;
  try {
    const browsers: { side: Side; context: BrowserContext }[] = [{ side: 'now', context: env.context }];
    const options = await e2e.configure(env, env.tokens.reader);
    await options.close();
    if (then) {
      // The baseline's extension in a Chromium of its own, on the same Worker and workspace.
      const old = await e2e.launchChromium({
        extensionDir: then.demo,
        profile: path.join(env.scratch, 'profile-before'),
        downloads: env.downloads,
      });
      env.onClose(() => old.context.close());
      const oldOptions = await e2e.configure({ ...env, ...old }, env.tokens.reader);
      await oldOptions.close();
      browsers.push({ side: 'before', context: old.context });
    }
    chromiumVersion = chromium();
    const url = `${env.workspace.url}${OBJECT_HASH}`;
    ctx.log(`extension: ${count} first opens (fresh page each) and ${count} re-opens in one page${then ? ', each extension in turn' : ''}`);
    // One unmeasured round first (Chromium's and the Worker's first-use costs).
    const load = async (context: BrowserContext) => {
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole('heading', { level: 1 }).waitFor();
      return page;
    };
    for (let i = 0; i < count + 1; i++)
      for (const { side, context } of inTurn(i, browsers)) {
        const page = await load(context);
        const measured = await openAuditTrail(page);
        if (i > 0) cold[side].push(measured);
        await page.close();
      }
    const pages = await Promise.all(browsers.map(async (b) => ({ ...b, page: await load(b.context) })));
    for (let i = 0; i < count + 1; i++)
      for (const { side, page } of inTurn(i, pages)) {
        const measured = await openAuditTrail(page);
        if (i > 0) warm[side].push(measured);
        await page.keyboard.press('Escape');
        await page.locator('audit-trail-panel').waitFor({ state: 'detached' });
      }
    for (const { page } of pages) await page.close();
    // The API request behind the panel's first page, from Node (the same history call).
    const client = new Client(env.worker.url, env.tokens.reader);
    const historyPath = `/v1/accounts/${e2e.ACCOUNT}/objects/user/4712/events?limit=20`;
    const samples: number[] = [];
    for (let i = 0; i < count + 5; i++) {
      const reply = await client.expect('GET', historyPath, undefined, [200]);
      if (i >= 5) samples.push(reply.ms);
    }
    client.close();
    api = summarize(samples);
  } finally {
    // environment.close() removes its scratch folder before it closes the browser, which fails
    // while Chromium still writes its profile there: close the browser first.
    await env.context.close().catch(() => {});
    await env.close();
  }

  const coldMs = summarize(cold.now.map((c) => c.ms));
  const warmMs = summarize(warm.now.map((c) => c.ms));
  const coldInserted = summarize(cold.now.map((c) => c.inserted));
  const warmInserted = summarize(warm.now.map((c) => c.inserted));
  const compared =
    before && then
      ? `**Before/after.** The extension of ${before.short}, built from \`git archive\` (its \`extension/\`, \`wxt.config.ts\` and what they import)
the same way, store build for the sizes and demo build for the times; the times in a second Chromium (its own profile) on
the same Worker and demo workspace, each first open and re-open alternating between the two browsers, so the Worker's share of the wait is the same code on both sides (the Worker's reads are compared in the
reads section).

${table(
  ['file', `before (${before.short}) KB gzip`, 'now KB gzip', 'now − before, bytes gzip', 'now / before'],
  (
    [
      ['content script (all files, JS and CSS)', then.sizes.contentGzip, contentGzip],
      ['panel chunk', sum(then.sizes.panel), sum(panel)],
      ['background service worker', then.sizes.background.gzip, background.gzip],
    ] as const
  ).map(([what, a, b]) => [what, kb(a), kb(b), `${b - a >= 0 ? '+' : '−'}${Math.abs(b - a)}`, `${(b / a).toFixed(3)}×`]),
)}

${comparison(before, [
  { what: 'First open in a page', before: cold.before.map((c) => c.ms), now: cold.now.map((c) => c.ms), paired: true },
  { what: 'Re-open in the same page', before: warm.before.map((c) => c.ms), now: warm.now.map((c) => c.ms), paired: true },
])}
`
      : '';
  const met = contentGzip <= BUDGET_KB * 1024;
  const sizeRows = [
    ...contentScripts.map((f) => [`content script \`${f.file}\` (every matching page)`, kb(f.bytes), `**${kb(f.gzip)}**`]),
    ...contentCss.map((f) => [`content script CSS \`${f.file}\``, kb(f.bytes), kb(f.gzip)]),
    ...panel.map((f) => [
      `panel chunk \`${f.file}\` (loaded on the first "Audit trail" click; Preact, the UI and its CSS)`,
      kb(f.bytes),
      kb(f.gzip),
    ]),
    [`background service worker \`${background.file}\``, kb(background.bytes), kb(background.gzip)],
  ];

  return `## Extension: content script size and time to the first rows

- Command: \`${ctx.command}\` (this section alone: \`npm run bench -- extension\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}.
${machineMarkdown(ctx.machine)}
- Chromium ${chromiumVersion} (/usr/bin/chromium, headless), playwright-core ${versionOfPackage('playwright-core')}, wxt ${versionOfPackage('wxt')}; the Worker: ${'`wrangler dev`'} as the end-to-end tests start it (worker/ sources, not the snapshot).${before ? `\n- Extension code: now = the working tree (${ctx.codeVersion.split(',')[0]}); ${baselineLine(before, 'its extension built from `git archive`')}.` : ''}

**Size.** \`node node_modules/wxt/bin/wxt.mjs build\` (${buildSeconds.toFixed(0)} s), then each file of \`.output/chrome-mv3\` gzipped (level 9), KB = 1,024 bytes:

${table(['file', 'KB', 'KB gzip'], sizeRows)}

${
  met
    ? `**Content script: ${kb(contentGzip)} KB gzip — budget ${BUDGET_KB} KB met** (${((100 * contentGzip) / (BUDGET_KB * 1024)).toFixed(0)} % of it).`
    : `**Content script: ${kb(contentGzip)} KB gzip — budget ${BUDGET_KB} KB missed by ${kb(contentGzip - BUDGET_KB * 1024)} KB.**`
} The panel's UI is not in it: the content script imports \`panel.js\` (a web-accessible resource) on the first click.

**Time from clicking "Audit trail" to the first rows painted.** The end-to-end tests' environment (\`startEnvironment()\` and
\`configure()\` from test/e2e/support/environment.ts, imported; it loads the demo build, \`wxt build --mode demo\`, the store build with the local demo workspace among its hosts): a fresh local Worker with the
seeded demo account, the demo workspace, Chromium with the unpacked extension, options saved with the reader token. The page is
the demo workspace at \`${OBJECT_HASH}\` (the user with 31 seeded changes; the panel's first page reads 20 rows and shows 19 changes: the 20th may go on in the next page). In the page, a
clock starts at the click event's time stamp and stops once a frame has been produced after the first \`.change [data-element]\`
row appeared in the panel's shadow root (a MutationObserver sees the insert; the clock stops in a task queued from the next
\`requestAnimationFrame\`). The menu is opened and the entry clicked through playwright, as a user would.

${table(
  ['case', 'runs', 'median ms', 'p99 ms', 'min / max ms', 'rows in the DOM (median ms)'],
  [
    [
      '**First open in a page**: loads `panel.js`, mounts the shadow root, asks the background, which calls the Worker',
      count,
      `**${ms(coldMs.median)}**`,
      ms(coldMs.p99),
      `${ms(coldMs.min)} / ${ms(coldMs.max)}`,
      ms(coldInserted.median),
    ],
    [
      'Re-open in the same page (Esc, then the menu again): the panel is loaded, the history is fetched again',
      count,
      `**${ms(warmMs.median)}**`,
      ms(warmMs.p99),
      `${ms(warmMs.min)} / ${ms(warmMs.max)}`,
      ms(warmInserted.median),
    ],
    [
      'For comparison: the same history request as the panel’s (`GET …/objects/user/4712/events?limit=20`) from Node, keep-alive',
      count,
      ms(api.median),
      ms(api.p99),
      `${ms(api.min)} / ${ms(api.max)}`,
      '',
    ],
  ],
)}

Every run painted ${summarize(cold.now.map((c) => c.rows)).median} element rows. One unmeasured round came first in each case. No target was set for this
time; the first open costs ${ms(coldMs.median - warmMs.median)} ms more than a re-open (loading and evaluating the panel chunk, creating the shadow root).

${compared}`;
}

interface Opened {
  ms: number;
  rows: number;
  inserted: number;
}

/** `wxt build` of the extension whose wxt.config.ts is in `root`. */
function wxtBuild(root: string, ...args: string[]) {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/wxt/bin/wxt.mjs'), 'build', ...(root === ROOT ? [] : [root]), ...args], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

/** Each file of a Chrome MV3 build that a user pays for, raw and gzipped. */
function buildSizes(output: string) {
  const contentDir = path.join(output, 'content-scripts');
  const contentScripts = readdirSync(contentDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => sizeOf(output, path.join(contentDir, f)));
  const contentCss = readdirSync(contentDir)
    .filter((f) => f.endsWith('.css'))
    .map((f) => sizeOf(output, path.join(contentDir, f)));
  const manifest = JSON.parse(readFileSync(path.join(output, 'manifest.json'), 'utf8'));
  const lazy: string[] = manifest.web_accessible_resources?.flatMap((r: { resources: string[] }) => r.resources) ?? [];
  const panel = lazy.filter((f) => f.endsWith('.js')).map((f) => sizeOf(output, path.join(output, f)));
  const background = sizeOf(output, path.join(output, manifest.background.service_worker));
  const contentGzip = sum(contentScripts) + sum(contentCss);
  return { contentScripts, contentCss, panel, background, contentGzip };
}
type BuildSizes = ReturnType<typeof buildSizes>;

const sum = (files: FileSize[]) => files.reduce((total, f) => total + f.gzip, 0);

function chromium(): string {
  try {
    return execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .replace(/^Chromium\s*/, '');
  } catch {
    return '?';
  }
}

function versionOfPackage(name: string): string {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}
