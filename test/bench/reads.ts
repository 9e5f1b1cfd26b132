// (b) Reads on an account with 1,000,000 events: one element's history and an account-wide
// filtered page (first page, second page through the cursor, a q= search), over HTTP with a
// keep-alive client against wrangler dev, and the same SQL (captured from the Worker's own
// readEventPage) run directly with better-sqlite3 on the same file. The database is built
// fast: rows generated here and inserted straight into the local D1 SQLite file while
// wrangler is not running (lib/seed.ts). A probe run (the real Worker plus in-isolate D1 timing) then
// says where the time of a request goes.
import { baselineLine, comparison, inTurn, startSides, stopSides, type Side } from './lib/baseline';
import { intOption, type BenchContext } from './lib/context';
import { D1Adapter, type SqlLog } from './lib/d1-adapter';
import { Client, newToken, type Reply } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { probeTiming, type ProbeTiming } from './lib/probe';
import { table } from './lib/report';
import { open } from './lib/sqlite';
import { READS_SPEC, readsDir, seededDatabase, type BuildInfo } from './lib/seed';
import { ms, ratio, rng, summarize, type Summary } from './lib/stats';
import { startWorker } from './lib/wrangler';

const ACCOUNT = READS_SPEC(0).accountId;
const TARGET_MS = 10;
/** A search term that matches about 1 % of the events (a surname: users and originators). */
const SEARCH = 'Okafor';
/** A search term that matches nothing: the worst case, every row in retention is looked at. */
const RARE_SEARCH = 'no-such-text-anywhere';

/** Runs the scenarios round-robin (one request of each, again and again), so that the
 *  machine's other load falls on all of them alike; with several targets (the current Worker
 *  and the baseline), each scenario's request goes to each of them in turn (lib/baseline.ts,
 *  inTurn). Answers the timed replies per target and scenario. */
async function interleaved(targets: Target[], count: number, warmup: number): Promise<Record<string, Reply[]>[]> {
  const replies = targets.map((t) => Object.fromEntries(Object.keys(t.scenarios).map((k) => [k, [] as Reply[]])));
  for (let i = 0; i < warmup + count; i++) {
    for (const key of Object.keys(targets[0]!.scenarios)) {
      for (const t of inTurn(i, targets)) {
        // Scenarios of features the baseline lacks run on the current Worker only.
        const paths = t.scenarios[key];
        if (!paths) continue;
        const path = paths[i % paths.length]!;
        const reply = await t.client.get(path);
        if (reply.status !== 200) throw new Error(`GET ${path} answered ${reply.status}: ${reply.body.slice(0, 500)}`);
        if (i >= warmup) replies[targets.indexOf(t)]![key]!.push(reply);
      }
    }
  }
  return replies;
}

interface Target {
  client: Client;
  scenarios: Record<string, string[]>;
}

export async function runReads(ctx: BenchContext): Promise<string> {
  const events = intOption('read-events', 1_000_000);
  const requests = intOption('requests', 300);
  const warmup = 30;
  const reuse = process.argv.includes('--reuse') || process.env.BENCH_REUSE === '1';
  const loadBefore = loadAverage();
  const code = ctx.code;
  const { info, reused, persistTo, d1File } = await seededDatabase(ctx, readsDir(ctx), READS_SPEC(events), reuse);

  // Pick the objects whose history is read: uniformly among those with events.
  const file = open(d1File, { readonly: true });
  const objects = file
    .prepare('SELECT DISTINCT object_type AS type, object_id AS id FROM audit_events WHERE account_id = ?')
    .all(ACCOUNT) as {
    type: string;
    id: string;
  }[];
  const check = file
    .prepare('SELECT count(*) AS n, max(seq) AS maxSeq, min(seq) AS minSeq FROM audit_events WHERE account_id = ?')
    .get(ACCOUNT) as Record<string, number>;
  const head = file.prepare('SELECT chain_seq FROM accounts WHERE id = ?').pluck().get(ACCOUNT);
  file.close();
  if (check.n !== events || check.minSeq !== 1 || check.maxSeq !== events || head !== events)
    throw new Error(`bad build: ${JSON.stringify({ ...check, head })}`);
  const pick = rng(7);
  const chosen = Array.from({ length: Math.max(requests + warmup, 50) }, () => objects[pick.int(objects.length)]!);

  // Over HTTP, against the real Worker (and, with --before, the baseline on a copy of the data).
  ctx.log(`reads: starting wrangler dev on the built database${ctx.before ? ` (and the baseline ${ctx.before.short} on a copy)` : ''}`);
  const sides = await startSides(ctx, { persistTo, version: info.builtAt });
  const base = `/v1/accounts/${ACCOUNT}`;
  const pagePath = `${base}/events?objectType=user&action=edit&limit=50`;
  const http: Record<string, Summary> = {};
  const rowsSeen: Record<string, number> = {};
  let token = '';
  let scenarios: Record<string, string[]> = {};
  const samples: Partial<Record<Side, Record<string, number[]>>> = {};
  const rareCount = 10;
  try {
    const targets: Target[] = [];
    for (const { side, worker } of sides) {
      const sideToken = await newToken(worker, ACCOUNT, 'reader', ['audit:read']);
      const client = new Client(worker.url, sideToken);
      // Each side's own cursor: its format may differ between the two.
      const first = JSON.parse((await client.expect('GET', pagePath, undefined, [200])).body);
      if (!first.nextCursor) throw new Error(`the first page (${side}) has no next cursor`);
      targets.push({
        client,
        scenarios: {
          healthz: ['/healthz'],
          me: [`${base}/me`],
          history: chosen.map((o) => `${base}/objects/${o.type}/${encodeURIComponent(o.id)}/events?limit=50`),
          page1: [pagePath],
          page2: [`${pagePath}&cursor=${encodeURIComponent(first.nextCursor)}`],
          search: [`${base}/events?q=${SEARCH}&limit=50`],
          // Issue 12: the trigram index, counts and facets (not in a baseline before it).
          ...(side === 'now'
            ? {
                rareMixed: [`${base}/events?q=${RARE_SEARCH}&limit=50`],
                searchFiltered: [`${base}/events?q=${SEARCH}&objectType=user&action=edit&limit=50`],
                rareFiltered: [`${base}/events?q=${RARE_SEARCH}&objectType=user&limit=50`],
                count: [`${pagePath}&count=true`],
                searchCount: [`${base}/events?q=${SEARCH}&limit=50&count=true`],
                facets: [`${base}/events/facets`],
                facetsFiltered: [`${base}/events/facets?objectType=user&prefix=m`],
                historyFacets: chosen.map((o) => `${base}/objects/${o.type}/${encodeURIComponent(o.id)}/events/facets`),
              }
            : {}),
        },
      });
      if (side === 'now') [token, scenarios] = [sideToken, targets[0]!.scenarios];
    }
    const only = (key: string, paths: string[]) => targets.map((t) => ({ client: t.client, scenarios: { [key]: paths } }));
    ctx.log(
      `reads: /healthz alone, then ${Object.keys(scenarios).join(', ')}: ${requests} requests each${sides.length > 1 ? ' to each Worker' : ''}, interleaved`,
    );
    const floor = await interleaved(only('healthz', ['/healthz']), requests, warmup);
    const mixed = await interleaved(targets, requests, warmup);
    const rare = await interleaved(only('rare', [`${base}/events?q=${RARE_SEARCH}&limit=50`]), rareCount, 2);
    sides.forEach(({ side }, i) => {
      const replies = { ...mixed[i]!, healthz: floor[i]!.healthz!, healthzMixed: mixed[i]!.healthz!, rare: rare[i]!.rare! };
      samples[side] = Object.fromEntries(Object.entries(replies).map(([key, list]) => [key, list.map((r) => r.ms)]));
      if (side !== 'now') return;
      for (const [key, list] of Object.entries(replies)) {
        http[key] = summarize(list.map((r) => r.ms));
        const sizes = list.map((r) => (r.body.startsWith('{"events"') ? JSON.parse(r.body).events.length : 0));
        rowsSeen[key] = sizes.reduce((x, y) => x + y, 0) / sizes.length;
      }
    });
    for (const t of targets) t.client.close();
  } finally {
    await stopSides(sides);
  }

  // The same SQL, directly: captured from the Worker's own readEventPage and findTokenWithAccount.
  ctx.log('reads: the same SQL directly with better-sqlite3');
  const db = open(d1File, { readonly: true });
  const adapter = new D1Adapter(db);
  const notBefore = code.retentionCutoff(Date.now(), 13);
  const capture = async (filter: Record<string, unknown>, after?: { occurredAt: number; seq: number }) => {
    adapter.log = [];
    const page = await code.readEventPage(adapter, { accountId: ACCOUNT, notBefore, ...filter }, after, 50);
    // A search of 3+ characters sends one batch of two statements, the page from the trigram index's candidates
    // and the page from the keyset index, each with a LIMIT that is 0 unless it is the plan that pays.
    const statements = adapter.log;
    adapter.log = undefined;
    return { sql: statements.at(-1)!, statements, page };
  };
  adapter.log = [];
  await code.findTokenWithAccount(adapter, await code.tokenHash(token));
  const authSql = adapter.log[0]!;
  const history: Awaited<ReturnType<typeof capture>>[] = [];
  for (const o of chosen) history.push(await capture({ objectTypes: [o.type], objectId: o.id }));
  const page1 = await capture({ objectTypes: ['user'], actions: ['edit'] });
  const page2 = await capture({ objectTypes: ['user'], actions: ['edit'] }, page1.page.next);
  const search = await capture({ q: SEARCH });
  const rare = await capture({ q: RARE_SEARCH });
  const searchFiltered = await capture({ q: SEARCH, objectTypes: ['user'], actions: ['edit'] });
  const like = `%${SEARCH}%`;
  const searchHits = db
    .prepare(
      `SELECT count(*) FROM audit_events WHERE account_id = ?1 AND (object_name LIKE ?2 OR element LIKE ?2 OR coalesce(old_value, '') LIKE ?2 OR coalesce(new_value, '') LIKE ?2 OR originator_name LIKE ?2)`,
    )
    .pluck()
    .get({ 1: ACCOUNT, 2: like }) as number;

  const args = (log: SqlLog) => (/\?\d/.test(log.sql) ? [Object.fromEntries(log.params.map((v, i) => [i + 1, v]))] : log.params);
  /** The statements of one request, one after the other. */
  const runSql = (logs: SqlLog[]) => {
    const started = performance.now();
    for (const log of logs)
      db.prepare(log.sql)
        .raw(true)
        .all(...args(log));
    return performance.now() - started;
  };
  const directSql: Record<string, SqlLog[][]> = {
    me: [[authSql]],
    history: history.map((h) => h.statements),
    page1: [page1.statements],
    page2: [page2.statements],
    search: [search.statements],
    searchFiltered: [searchFiltered.statements],
  };
  const directSamples: Record<string, number[]> = Object.fromEntries(Object.keys(directSql).map((k) => [k, []]));
  for (let i = 0; i < warmup + requests; i++)
    for (const [key, logs] of Object.entries(directSql)) {
      const elapsed = runSql(logs[i % logs.length]!);
      if (i >= warmup) directSamples[key]!.push(elapsed);
    }
  runSql(rare.statements);
  directSamples.rare = Array.from({ length: rareCount }, () => runSql(rare.statements));
  const direct: Record<string, Summary> = Object.fromEntries(Object.entries(directSamples).map(([k, v]) => [k, summarize(v)]));
  const plan = (log: SqlLog) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${log.sql}`).all(...args(log)) as { detail: string }[]).map((r) => r.detail).join('; ');
  const plans = {
    history: plan(history[0]!.sql),
    page1: plan(page1.sql),
    page2: plan(page2.sql),
    search: search.statements.map(plan).join(' ‖ '),
    rare: rare.statements.map(plan).join(' ‖ '),
    searchFiltered: searchFiltered.statements.map(plan).join(' ‖ '),
    auth: plan(authSql),
  };
  const historyRows = summarize(history.map((h) => h.page.rows.length));
  const sqlText = { history: history[0]!.sql, page1: page1.sql, page2: page2.sql, auth: authSql };
  db.close();

  // Where the time goes: the same requests through the probe (real Worker + in-isolate D1 timing).
  ctx.log('reads: probe run (in-isolate timing)');
  const probeCount = Math.min(requests, 150);
  const probe: Record<string, ProbeSummary> = {};
  let d1Floor: number;
  const worker = await startWorker({ persistTo, config: ctx.snapshot.probe });
  try {
    const client = new Client(worker.url, token);
    // One round-robin for both variants, so load changes hit them alike; /healthz sits between
    // them and takes the spill-over of the last normal request's waitUntil write (access log).
    const normal = ['me', 'history', 'page1', 'page2', 'search', 'healthz'];
    const quiet = ['me', 'history', 'page1', 'page2', 'search'];
    const probeScenarios: Record<string, string[]> = {
      ...Object.fromEntries(normal.map((k) => [k, scenarios[k]!.map((p) => '/__bench/timed' + p)])),
      ...Object.fromEntries(quiet.map((k) => [k + NO_ACCESS_LOG, scenarios[k]!.map((p) => '/__bench/timed-no-access-log' + p)])),
    };
    const [replies] = await interleaved([{ client, scenarios: probeScenarios }], probeCount, warmup);
    for (const [key, list] of Object.entries(replies!)) {
      const timings: ProbeTiming[] = list.map(probeTiming);
      const detail: Record<string, number> = {};
      for (const t of timings) for (const [sql, d] of Object.entries(t.detail)) detail[sql] = (detail[sql] ?? 0) + d.ms / timings.length;
      probe[key] = {
        client: summarize(list.map((r) => r.ms)),
        total: summarize(timings.map((t) => t.totalMs)),
        d1: summarize(timings.map((t) => t.d1Ms)),
        calls: timings[0]!.d1Calls,
        detail,
      };
    }
    d1Floor = JSON.parse((await client.expect('GET', '/__bench/d1-floor?n=300', undefined, [200])).body).msPerCall;
    client.close();
  } finally {
    await worker.stop();
  }

  return report({
    ctx,
    info,
    reused,
    events,
    requests,
    probeCount,
    loadBefore,
    http,
    direct,
    plans,
    probe,
    d1Floor,
    rowsSeen,
    historyRows,
    objects: objects.length,
    searchHits,
    hitDrivenMax: code.HIT_DRIVEN_MAX,
    chosen: chosen.length,
    rareCount,
    sqlText,
    samples,
  });
}

const NO_ACCESS_LOG = ' (no access-log write)';
interface ProbeSummary {
  client: Summary;
  total: Summary;
  d1: Summary;
  calls: number;
  detail: Record<string, number>;
}

interface ReportInput {
  ctx: BenchContext;
  info: BuildInfo;
  reused: boolean;
  events: number;
  requests: number;
  probeCount: number;
  loadBefore: string;
  http: Record<string, Summary>;
  direct: Record<string, Summary>;
  plans: Record<string, string>;
  probe: Record<string, ProbeSummary>;
  d1Floor: number;
  rowsSeen: Record<string, number>;
  historyRows: Summary;
  objects: number;
  searchHits: number;
  hitDrivenMax: number;
  chosen: number;
  rareCount: number;
  sqlText: Record<string, SqlLog>;
  /** Client ms per side and scenario (the HTTP rows). */
  samples: Partial<Record<Side, Record<string, number[]>>>;
}

function report(x: ReportInput): string {
  const { http, direct, probe } = x;
  const n = (v: number) => v.toLocaleString('en-US');
  const scenarios: [string, string, boolean][] = [
    ['history', "One element's history: `GET …/objects/{type}/{id}/events?limit=50`, random objects", true],
    ['page1', 'Account-wide filtered page: `GET …/events?objectType=user&action=edit&limit=50`', true],
    ['page2', 'Its second page, through `cursor`', true],
    ['search', `Search: \`GET …/events?q=${SEARCH}&limit=50\` (${((100 * x.searchHits) / x.events).toFixed(1)} % of events match)`, false],
    ['rare', `Search that matches nothing: \`q=${RARE_SEARCH}\` (${x.rareCount} requests, not interleaved)`, false],
    ['me', 'Auth only: `GET …/me` (direct: the token look-up SQL)', false],
    ['healthz', 'Floor: `GET /healthz` alone (HTTP + wrangler dev proxy + workerd, no D1)', false],
    ['healthzMixed', '`GET /healthz` in the round-robin, right after a read', false],
  ];
  const before = x.ctx.before;
  const compared =
    before && x.samples.before
      ? `**Before/after.** The same requests, in the same rounds, to the Worker of ${before.short} (${'`wrangler dev`'} on a copy of the
same D1 folder, both Workers running side by side): in each round every scenario's request goes to both, the two strictly
alternating; the \`now\` column is the HTTP column above. Paired ratios: request *i* of one against request *i* of the other
(the same path, one after the other).

${comparison(
  before,
  scenarios.map(([key, title]) => ({
    what: key === 'healthz' ? '`GET /healthz` alone' : title.split(':')[0]!,
    before: x.samples.before![key]!,
    now: x.samples.now![key]!,
    paired: true,
  })),
)}
`
      : '';
  // Issue 12: search through the trigram index, counts and facets, against the /healthz floor of the same run.
  const floor = http.healthz!.median;
  const againstFloor: [string, string, number | undefined][] = [
    ['search', `\`q=${SEARCH}\` (common: ${((100 * x.searchHits) / x.events).toFixed(1)} % of events)`, 3],
    ['rareMixed', `\`q=${RARE_SEARCH}\` (matches nothing)`, 3],
    ['searchFiltered', `\`q=${SEARCH}&objectType=user&action=edit\``, 3],
    ['rareFiltered', `\`q=${RARE_SEARCH}&objectType=user\``, 3],
    ['count', 'page 1 with `count=true` (total exact up to 100,000)', undefined],
    ['searchCount', `\`q=${SEARCH}&count=true\``, undefined],
    ['facets', '`GET …/events/facets` (no filter: the newest 10,000 events per facet, 100,000 for days)', undefined],
    ['facetsFiltered', '`GET …/events/facets?objectType=user&prefix=m`', undefined],
    ['historyFacets', '`GET …/objects/{type}/{id}/events/facets`, random objects', undefined],
  ];
  const floorRows = againstFloor
    .filter(([key]) => http[key])
    .map(([key, what, target]) => {
      const r = http[key]!.median / floor;
      return [
        what,
        `**${ms(http[key]!.median)}**`,
        ms(http[key]!.p99),
        `${r.toFixed(2)}×`,
        target === undefined ? '–' : r <= target ? `≤ ${target}×: **met**` : `≤ ${target}×: **missed**`,
      ];
    });
  const floorTable = floorRows.length
    ? `**Search, counts and facets against the floor** (HTTP, the same round-robin; floor = \`/healthz\` alone, ${ms(floor)} ms median):

${table(['request', 'HTTP median ms', 'HTTP p99 ms', 'median / floor', 'target'], floorRows)}
`
    : '';
  const verdicts = scenarios
    .filter(([, , targeted]) => targeted)
    .map(([key, title]) => {
      const median = http[key]!.median;
      return median < TARGET_MS
        ? `- ${title.split(':')[0]}: **${ms(median)} ms** median — target < ${TARGET_MS} ms **met**.`
        : `- ${title.split(':')[0]}: **${ms(median)} ms** median — target < ${TARGET_MS} ms **missed by ${ms(median - TARGET_MS)} ms** (${(median / TARGET_MS).toFixed(2)}× the target).`;
    });
  const rows = scenarios.map(([key, title]) => [
    title,
    x.rowsSeen[key] !== undefined && !['healthz', 'healthzMixed', 'me'].includes(key) ? x.rowsSeen[key]!.toFixed(0) : '',
    `**${ms(http[key]!.median)}**`,
    ms(http[key]!.p99),
    direct[key] ? ms(direct[key]!.median) : '–',
    direct[key] ? ms(direct[key]!.p99) : '–',
    direct[key] ? ratio(http[key]!.median, direct[key]!.median) : '–',
    direct[key] ? ratio(http[key]!.p99, direct[key]!.p99) : '–',
  ]);
  const probeKeys = Object.keys(probe);
  const breakdown = probeKeys.map((key) => {
    const p = probe[key]!;
    const base = key.replace(NO_ACCESS_LOG, '');
    const sql = direct[base] ? direct[base]!.mean + (base === 'me' ? 0 : direct.me!.mean) : 0;
    return [
      key === 'healthz' ? 'healthz (right after a read, in the round-robin)' : key,
      `${ms(p.client.median)} / ${ms(p.client.mean)}`,
      ms(p.client.mean - p.total.mean),
      ms(p.total.mean),
      `${ms(p.d1.mean)} (${p.calls})`,
      ms(sql),
      ms(p.total.mean - p.d1.mean),
    ];
  });
  const statementRows = probeKeys
    .filter((key) => ['history', 'page1'].includes(key.replace(NO_ACCESS_LOG, '')))
    .flatMap((key) => Object.entries(probe[key]!.detail).map(([sql, mean]) => [key, `\`${sql.replaceAll('|', '\\|')}…\``, ms(mean)]));
  const b = x.info.buildSeconds;
  const detailOf = (key: string, prefix: string) =>
    Object.entries(probe[key]?.detail ?? {}).find(([sql]) => sql.toLowerCase().startsWith(prefix))?.[1] ?? NaN;
  const pageD1 = detailOf('page1', 'select "id"');
  const authD1 = detailOf('page1', 'select "api_tokens"');
  const pageD1Quiet = detailOf('page1' + NO_ACCESS_LOG, 'select "id"');
  const whatIf = (key: string) => probe[key + NO_ACCESS_LOG]?.client.median ?? NaN;
  const outside = (key: string) => probe[key]!.client.mean - probe[key]!.total.mean;

  const allMet = scenarios.filter(([, , t]) => t).every(([key]) => http[key]!.median < TARGET_MS);
  const ordered = ['history', 'page1', 'page2'].every(
    (k) => /USING (COVERING )?INDEX audit_events_/.test(x.plans[k]!) && !/TEMP B-TREE/.test(x.plans[k]!),
  );
  const calls = probe.page1!.calls;
  const tokenCached = !Number.isFinite(authD1);
  const saved = (['history', 'page1', 'page2'] as const).map((k) => probe[k]!.client.median - whatIf(k));
  const why = [
    allMet ? '**Where the milliseconds go.**' : '**Why the target is missed.**',
    ordered
      ? `The SQL is not the problem: the history and page plans below walk an index in the requested order (no sort) and take
${ms(direct.history!.median)}–${ms(Math.max(direct.page1!.median, direct.page2!.median))} ms directly.`
      : `At least one plan below sorts (temp B-tree) or does not use an audit_events index: see the plans.`,
    `A read request costs the HTTP floor (${ms(http.healthz!.median)} ms for \`/healthz\`) plus ${calls} round trip${calls === 1 ? '' : 's'} to the local D1 while the
response waits, a Durable Object behind the binding that runs one statement at a time (a bare \`SELECT 1\` costs ${ms(x.d1Floor)} ms): ${
      tokenCached
        ? `the page query alone (${ms(pageD1)} ms in D1 against ${ms(direct.page1!.mean)} ms of SQLite) — the token look-up is answered from the
isolate's 10-second cache and \`last_used_at\` is written at most once a minute, so neither appears per request any more (the \`me\` row: ${ms(probe.me!.d1.mean)} ms in D1)`
        : `the token look-up (${ms(authD1)} ms) and the page query (${ms(pageD1)} ms in D1 against ${ms(direct.page1!.mean)} ms of SQLite)`
    }.`,
    `Every list and history read also writes its access-log row (\`INSERT INTO access_log\`, issue 5) through \`ctx.waitUntil\`: the
response does not wait for it, but the write still runs in workerd and in D1 (one statement at a time) when the next request
arrives. The what-if rows (the probe answers that INSERT itself) measure what it costs the reads: medians through the probe
${ms(probe.history!.client.median)} → ${ms(whatIf('history'))} ms (history), ${ms(probe.page1!.client.median)} → ${ms(whatIf('page1'))} ms (page 1), ${ms(probe.page2!.client.median)} → ${ms(whatIf('page2'))} ms (page 2), i.e.
${ms(Math.min(...saved))}–${ms(Math.max(...saved))} ms a read; for page 1 the page query waits ${ms(pageD1)} → ${Number.isFinite(pageD1Quiet) ? ms(pageD1Quiet) : '–'} ms for D1 and the time outside
the handler goes ${ms(outside('page1'))} → ${ms(outside('page1' + NO_ACCESS_LOG))} ms.`,
    `A page of 50 events also spends ${ms(outside('page1'))} ms outside the handler, against ${ms(outside('healthz'))} ms for \`/healthz\` in the
same round-robin (the bigger body through wrangler's dev proxy; \`/healthz\` right after a read takes ${ms(http.healthzMixed!.median)} ms, alone ${ms(http.healthz!.median)} ms),
and ${ms(probe.page1!.total.mean - probe.page1!.d1.mean)} ms of JavaScript in the handler (zod, drizzle's row mapping, the HMAC cursor, JSON of 50 events).`,
    `A \`q=\` search of 3+ characters is one D1 round trip: a batch of both plans, each with a LIMIT that is 0 unless the
trigram index has at most ${x.hitDrivenMax} candidates for the term (counted up to ${x.hitDrivenMax + 1}; the search plans below show both statements, ‖ between them) or, for the other, more. With few candidates SQLite reads those and sorts the matches, otherwise it walks the keyset index newest-first
checking each row: ${ms(direct.search!.median)} ms directly for a ${((100 * x.searchHits) / x.events).toFixed(1)} % term,
${ms(direct.rare!.median)} ms directly (${ms(http.rare!.median)} ms over HTTP, ${x.rareCount} requests alone) for a term that matches nothing,
${ms(direct.searchFiltered!.median)} ms directly for the common term with \`objectType=user&action=edit\`.`,
  ]
    .filter(Boolean)
    .join(' ');

  return `## Reads on an account with ${n(x.events)} events

- Command: \`${x.ctx.command}\` (this section alone: \`npm run bench -- reads\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${x.loadBefore}, after ${loadAverage()}.
${machineMarkdown(x.ctx.machine)}
- Worker code: ${before ? `now = ${x.ctx.codeVersion}; ${baselineLine(before)}` : x.ctx.codeVersion}.

**Data.** ${n(x.events)} events (${n(x.info.changes)} changes of 1–6 elements) of one account, ${n(x.objects)} objects over the
11 object types (Zipf-distributed activity), 400 originators (a few very active, a long tail), \`occurred_at\` over the last
12 months (mostly working hours), \`seq\` 1..N gap-free, a valid hash chain in the Worker's canonical form and \`chain_seq\` = N
(lib/seed.ts; the verify benchmark checks the whole chain through the API). Built ${x.reused ? `earlier (${x.info.builtAt}, reused with --reuse)` : 'in this run'} by
\`wrangler d1 migrations apply\` and then inserting the rows with better-sqlite3 directly into the local D1 file under
\`bench-data/reads/persist/v3/d1/miniflare-D1DatabaseObject/\` while wrangler was not running (indexes dropped and
recreated from their own \`CREATE INDEX\` text): ${b.total.toFixed(0)} s (${b.migrations.toFixed(0)} s migrations, ${b.generateAndInsert.toFixed(0)} s generating, hashing and inserting,
${b.indexes.toFixed(0)} s indexes). No \`ANALYZE\` (a fresh local D1 has no statistics either).

**Method.** \`wrangler dev\` on that folder; one keep-alive HTTP client, one request at a time; the scenarios run
round-robin (one request of each in turn, so background load hits them alike), 30 warm-up rounds, then ${x.requests} timed
requests per scenario (history: ${x.chosen} random objects cycled, median ${x.historyRows.median} rows returned).
**Direct** runs the SQL the Worker sends — captured by running the Worker's own \`readEventPage\`/\`findTokenWithAccount\`
(worker/store) against a recording D1 adapter, so text and parameters are identical, retention bound included — with
better-sqlite3 on the same file after wrangler stopped (\`prepare\` + \`raw().all()\` per query, as D1 prepares per call),
round-robin as well. A request also authenticates (a token look-up, cached in the isolate for 10 s; \`last_used_at\` written at
most once a minute) and, for list and history reads, writes an access-log row through \`ctx.waitUntil\`; the direct column is the
page query alone (the auth query is the \`me\` row).

${table(['scenario', 'rows', 'HTTP median ms', 'HTTP p99 ms', 'direct median ms', 'direct p99 ms', 'ratio (median)', 'ratio (p99)'], rows)}

${verdicts.join('\n')}

${floorTable}
${compared}
**Where the time of a request goes.** The same requests again (${x.probeCount} each, all rows below in one round-robin) through a probe build:
the real Worker wrapped by \`test/bench/probe/probe-worker.js\`, which times every D1 call inside the isolate (workerd's
local clock has 1 ms resolution: use the means; D1 calls that end after the response, like the access-log INSERT, are not
counted). Rows marked *${NO_ACCESS_LOG.trim()}* are a what-if: the probe answers the access log's \`INSERT INTO access_log …\`
itself instead of sending it to D1. A bare \`SELECT 1\` through the local
D1 binding costs **${ms(x.d1Floor)} ms** per call (mean of 300, probe).

${table(['request', 'client ms (median / mean)', 'outside the handler (HTTP, dev proxy, dispatch)', 'in the handler', 'waiting for D1 (calls)', 'SQLite alone (direct, incl. auth)', 'JavaScript in the handler'], breakdown)}

D1 time per statement (mean per request, probe run):

${table(['request', 'statement', 'ms'], statementRows)}

${why}

**Query plans** (\`EXPLAIN QUERY PLAN\` of the captured SQL on the same file):

- history: \`${x.plans.history}\`
- filtered page 1: \`${x.plans.page1}\`
- filtered page 2 (cursor): \`${x.plans.page2}\`
- search (common term): \`${x.plans.search}\`
- search (no match): \`${x.plans.rare}\`
- search (common term, filtered): \`${x.plans.searchFiltered}\`
- auth: \`${x.plans.auth}\`

<details><summary>The SQL the Worker sends (captured from readEventPage / findTokenWithAccount)</summary>

${Object.entries(x.sqlText)
  .map(([key, log]) => `${key}:\n\n\`\`\`sql\n${log.sql}\n\`\`\`\nparameters: \`${JSON.stringify(log.params)}\``)
  .join('\n\n')}

</details>
`;
}
