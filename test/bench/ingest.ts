// (a) Ingest: N events recorded through HTTP (POST /v1/accounts/{a}/changes/batch) into a
// local D1 under wrangler dev, against the same rows inserted into SQLite directly with
// better-sqlite3 in one transaction (schema from the same migration files).
// To say where the time goes, a few batches then run again, early (empty account) and late
// (on top of the whole history): through the probe Worker (the real Worker plus in-isolate
// timing of each D1 call), and through the Worker's own code in Node on better-sqlite3 with
// the same rows in the file (SQLite time of each of its statements).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { intOption, type BenchContext } from './lib/context';
import { D1Adapter } from './lib/d1-adapter';
import { probeTiming, type ProbeTiming } from './lib/probe';
import { changeGenerator, dataModel, type GeneratedChange } from './lib/data';
import { Client } from './lib/http';
import { loadAverage, machineMarkdown } from './lib/machine';
import { table } from './lib/report';
import { createFromMigrations, open } from './lib/sqlite';
import { ms, ratio, summarize } from './lib/stats';
import { applyLocalMigrations, d1SqlitePath, startWorker } from './lib/wrangler';

const ACCOUNT = 'bench-ingest';
const PROBE_ACCOUNT = 'bench-probe';
const TARGET_RATIO = 3;

export interface Batch {
  body: string;
  changes: number;
  events: number;
}

/** Change bodies as an emitter sends them: explicit elements, occurredAt over the last 3 days. */
export function makeBatches(events: number, batchChanges: number, seed: number, prefix: string): Batch[] {
  const next = changeGenerator(dataModel(), seed);
  const changes: GeneratedChange[] = [];
  let count = 0;
  while (count < events) {
    const change = next();
    change.elements = change.elements.slice(0, events - count);
    count += change.elements.length;
    changes.push(change);
  }
  const span = 3 * 86_400_000;
  const start = Date.now() - span;
  const bodies = changes.map((c, i) => ({
    changeId: `${prefix}-${String(i).padStart(7, '0')}`,
    objectType: c.objectType,
    objectId: c.objectId,
    objectName: c.objectName,
    action: c.action,
    originator: c.originator,
    occurredAt: new Date(start + Math.floor((i * span) / changes.length)).toISOString(),
    elements: c.elements.map((el) => ({ element: el.element, oldValue: el.oldValue, newValue: el.newValue })),
  }));
  const batches: Batch[] = [];
  for (let i = 0; i < bodies.length; i += batchChanges) {
    const slice = bodies.slice(i, i + batchChanges);
    batches.push({
      body: JSON.stringify({ changes: slice }),
      changes: slice.length,
      events: slice.reduce((n, c) => n + c.elements.length, 0),
    });
  }
  return batches;
}

export async function createAccount(operator: Client, id: string): Promise<string> {
  await operator.expect('POST', '/v1/accounts', { id, name: `Benchmark ${id}`, auditEnabledAt: '2020-01-01T00:00:00Z' }, [201]);
  const token = await operator.expect('POST', `/v1/accounts/${id}/tokens`, { name: 'emitter', scopes: ['events:write'] }, [201]);
  return JSON.parse(token.body).token;
}

export async function runIngest(ctx: BenchContext): Promise<string> {
  const totalEvents = intOption('ingest-events', 100_000);
  const batchChanges = intOption('batch-changes', 1000);
  const directRepeats = 3;
  const dir = path.join(ctx.dataDir, 'ingest');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const persistTo = path.join(dir, 'persist');
  const loadBefore = loadAverage();

  ctx.log(`ingest: generating ${totalEvents} events in batches of ${batchChanges} changes`);
  const batches = makeBatches(totalEvents, batchChanges, 42, 'chg');
  const warmup = makeBatches(600, 200, 7, 'warm');
  const changeCount = batches.reduce((n, b) => n + b.changes, 0);
  const bodyBytes = batches.reduce((n, b) => n + Buffer.byteLength(b.body), 0);

  ctx.log('ingest: applying migrations, starting wrangler dev');
  await applyLocalMigrations({ persistTo });
  const { latencies, wallMs } = await sendBatches(ctx, persistTo, batches, warmup);

  // What the Worker stored: the rows the direct baseline inserts again.
  const d1File = d1SqlitePath(persistTo);
  const d1 = open(d1File, { readonly: true });
  const account = d1.prepare('SELECT * FROM accounts WHERE id = ?').get(ACCOUNT) as Record<string, unknown>;
  const eventStmt = d1.prepare('SELECT * FROM audit_events WHERE account_id = ? ORDER BY seq');
  const eventColumns = eventStmt.columns().map((c) => c.name);
  const eventRows = eventStmt.raw(true).all(ACCOUNT) as unknown[][];
  const requestStmt = d1.prepare('SELECT * FROM change_requests WHERE account_id = ?');
  const requestColumns = requestStmt.columns().map((c) => c.name);
  const requestRows = requestStmt.raw(true).all(ACCOUNT) as unknown[][];
  d1.close();
  const seqIndex = eventColumns.indexOf('seq');
  if (eventRows.length !== totalEvents) throw new Error(`D1 holds ${eventRows.length} events, expected ${totalEvents}`);
  if (eventRows.some((row, i) => row[seqIndex] !== i + 1) || account.chain_seq !== totalEvents)
    throw new Error('seq is not gap-free 1..N or chain_seq differs');
  if (requestRows.length !== changeCount) throw new Error(`D1 holds ${requestRows.length} change requests, expected ${changeCount}`);
  const d1Bytes = statSync(d1File).size + (statSync(d1File + '-wal', { throwIfNoEntry: false })?.size ?? 0);

  // Issue 12: what the search index costs. The same batches into a second database whose
  // migration 0006 (the trigram index, its triggers, the element index) is undone.
  ctx.log('ingest: the same batches into a database without the search index (0006 undone)');
  const bare = await ingestWithoutSearchIndex(ctx, path.join(dir, 'persist-no-search'), batches, warmup);
  const d1Checkpointed = checkpointedBytes(d1File);

  // Direct: the same rows, one transaction, prepared statements.
  ctx.log('ingest: direct better-sqlite3 baseline');
  const directFile = path.join(dir, 'direct.sqlite');
  const placeholders = (n: number) => Array(n).fill('?').join(', ');
  const directRuns: number[] = [];
  const eventsOnlyRuns: number[] = [];
  for (let run = 0; run < directRepeats; run++) {
    for (const eventsOnly of [true, false]) {
      const db = createFromMigrations(directFile);
      const accountColumns = Object.keys(account);
      db.prepare(`INSERT INTO accounts (${accountColumns.join(', ')}) VALUES (${placeholders(accountColumns.length)})`).run(
        ...accountColumns.map((c) => (c === 'chain_seq' ? 0 : c === 'chain_hash' ? '0'.repeat(64) : account[c])),
      );
      const insertEvent = db.prepare(`INSERT INTO audit_events (${eventColumns.join(', ')}) VALUES (${placeholders(eventColumns.length)})`);
      const insertRequest = db.prepare(
        `INSERT INTO change_requests (${requestColumns.join(', ')}) VALUES (${placeholders(requestColumns.length)})`,
      );
      const moveHead = db.prepare('UPDATE accounts SET chain_seq = ?, chain_hash = ? WHERE id = ?');
      // The search index (0006), filled the way plain SQLite fills it fastest: once, after the rows. Its
      // insert trigger fired by one statement per row would flush FTS5's pending terms per statement
      // (5.8 s more for 100,000 events, against 0.6 s through the Worker's multi-row inserts).
      const searchIndex = bulkSearchIndex(db);
      const started = performance.now();
      db.transaction(() => {
        for (const row of eventRows) insertEvent.run(row);
        searchIndex?.run();
        if (eventsOnly) return;
        for (const row of requestRows) insertRequest.run(row);
        moveHead.run(account.chain_seq, account.chain_hash, ACCOUNT);
      })();
      (eventsOnly ? eventsOnlyRuns : directRuns).push(performance.now() - started);
      db.close();
    }
  }
  const direct = summarize(directRuns).median;
  const directEventsOnly = summarize(eventsOnlyRuns).median;

  // Where the time goes: a few batches again, early (a fresh account) and late (on top of the
  // whole history, new changeIds), through the probe in workerd and through the Worker's code in Node.
  const sampleCount = Math.min(5, batches.length);
  const samples = batches.slice(0, sampleCount);
  const late = (body: string) => body.replaceAll('"changeId":"chg-', '"changeId":"late-');
  ctx.log(`ingest: probe run (${sampleCount} early and ${sampleCount} late batches)`);
  const probe = await startWorker({ persistTo, config: ctx.snapshot.probe });
  const probed: Record<'early' | 'late', { client: number[]; timing: ProbeTiming[] }> = {
    early: { client: [], timing: [] },
    late: { client: [], timing: [] },
  };
  const jsSteps = { parse: 0, validate: 0, bodyHashes: 0, recordChanges: 0 };
  try {
    const operator = new Client(probe.url, probe.operatorToken);
    const probeToken = await createAccount(operator, PROBE_ACCOUNT);
    const lateToken = JSON.parse(
      (await operator.expect('POST', `/v1/accounts/${ACCOUNT}/tokens`, { name: 'late emitter', scopes: ['events:write'] }, [201])).body,
    ).token;
    // Warm the fresh isolate up first, as the HTTP run was: the JavaScript alone, then the
    // warm-up batches through the timed route into an account of their own.
    const warmToken = await createAccount(operator, `${PROBE_ACCOUNT}-warmup`);
    operator.close();
    const js = new Client(probe.url);
    for (const batch of samples) await js.expect('POST', '/__bench/ingest-js', batch.body, [200]);
    const warm = new Client(probe.url, warmToken);
    for (const batch of warmup)
      await warm.expect('POST', `/__bench/timed/v1/accounts/${PROBE_ACCOUNT}-warmup/changes/batch`, batch.body, [201]);
    warm.close();
    for (const [phase, account, tokenFor, body] of [
      ['early', PROBE_ACCOUNT, probeToken, (b: string) => b],
      ['late', ACCOUNT, lateToken, late],
    ] as const) {
      const client = new Client(probe.url, tokenFor);
      for (const batch of samples) {
        const reply = await client.expect('POST', `/__bench/timed/v1/accounts/${account}/changes/batch`, body(batch.body), [201]);
        probed[phase].client.push(reply.ms);
        probed[phase].timing.push(probeTiming(reply));
      }
      client.close();
    }
    for (const batch of samples) {
      const steps = JSON.parse((await js.expect('POST', '/__bench/ingest-js', batch.body, [200])).body) as typeof jsSteps;
      for (const key of Object.keys(jsSteps) as (keyof typeof jsSteps)[]) jsSteps[key] += steps[key] / samples.length;
    }
    js.close();
  } finally {
    await probe.stop();
  }

  ctx.log("ingest: the same batches through the Worker's code in Node on better-sqlite3");
  const code = ctx.code;
  const db = open(directFile);
  const adapter = new D1Adapter(db);
  const settingsOf = (id: string) => ({
    id,
    name: account.name,
    timezone: account.timezone,
    retentionMonths: account.retention_months,
    auditEnabledAt: account.audit_enabled_at,
    createdAt: account.created_at,
  });
  db.prepare('INSERT INTO accounts (id, name, timezone, retention_months, audit_enabled_at, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    PROBE_ACCOUNT,
    account.name,
    account.timezone,
    account.retention_months,
    account.audit_enabled_at,
    account.created_at,
  );
  const inNode: Record<'early' | 'late', Map<string, number>> = { early: new Map(), late: new Map() };
  for (const [phase, accountId, body] of [
    ['early', PROBE_ACCOUNT, (b: string) => b],
    ['late', ACCOUNT, late],
  ] as const) {
    adapter.bySql = new Map();
    for (const batch of samples) {
      const raw = JSON.parse(body(batch.body));
      const { changes } = code.parseBody(code.ChangeBatch, raw);
      await code.recordChanges(
        adapter,
        settingsOf(accountId),
        changes.map((change: unknown, i: number) => ({ change, raw: raw.changes[i], path: `/changes/${i}` })),
      );
    }
    for (const [sql, { ms: total }] of adapter.bySql) {
      const key = statementKind(sql);
      inNode[phase].set(key, (inNode[phase].get(key) ?? 0) + total / samples.length);
    }
  }
  // The writer looks changeIds up only after a write met a stored one: run the look-up once to get its SQL.
  if (![...adapter.bySql.keys()].some((sql) => statementKind(sql) === 'findChangeRequests'))
    await code.findChangeRequests(adapter, ACCOUNT, ['none']);
  const findSql = [...adapter.bySql.keys()].find((sql) => statementKind(sql) === 'findChangeRequests');
  if (!findSql)
    throw new Error(
      `no idempotency look-up among the statements recordChanges ran: ${[...adapter.bySql.keys()].map((q) => q.slice(0, 50)).join(' | ')}`,
    );
  // The Worker's look-up on the whole run's file, for the changeIds of one of the last batches.
  const lookupBatch = [...batches].reverse().find((b) => b.changes === batchChanges) ?? batches.at(-1)!;
  const lookupIds = JSON.stringify(JSON.parse(lookupBatch.body).changes.map((c: { changeId: string }) => c.changeId));
  const lookupStarted = performance.now();
  // Numbered (?1, ?2) or positional (?) parameters, as the Worker's SQL has them.
  const lookupArgs = (ids: string) => (/\?\d/.test(findSql) ? [{ 1: ACCOUNT, 2: ids }] : [ACCOUNT, ids]);
  const lookupFound = db.prepare(findSql).all(...lookupArgs(lookupIds)).length;
  const lookup = {
    ms: performance.now() - lookupStarted,
    found: lookupFound,
    ids: JSON.parse(lookupIds).length as number,
    requests: db.prepare('SELECT count(*) FROM change_requests WHERE account_id = ?').pluck().get(ACCOUNT) as number,
  };
  const findPlan = (db.prepare(`EXPLAIN QUERY PLAN ${findSql}`).all(...lookupArgs('["x"]')) as { detail: string }[])
    .map((r) => r.detail)
    .join('; ');
  db.close();

  const http = summarize(latencies);
  const firstTen = summarize(latencies.slice(0, 10));
  const lastTen = summarize(latencies.slice(-10));
  const eventsPerSecond = (msTotal: number) => Math.round((totalEvents / msTotal) * 1000).toLocaleString('en-US');
  const achieved = wallMs / direct;
  const verdict =
    achieved <= TARGET_RATIO
      ? `**Target met**: ${achieved.toFixed(1)}× direct SQLite (target ≤ ${TARGET_RATIO}×).`
      : `**Target missed** by a factor of ${(achieved / TARGET_RATIO).toFixed(1)}: ${achieved.toFixed(1)}× direct SQLite against a target of ≤ ${TARGET_RATIO}× ` +
        `(HTTP took ${(wallMs / 1000).toFixed(1)} s; ${TARGET_RATIO}× direct would be ${((TARGET_RATIO * direct) / 1000).toFixed(1)} s).`;

  const kinds = ['auth: token look-up', 'findChangeRequests', 'readChainHead', 'knownNames', 'appendEvents (one D1 batch)'];
  const phaseRows = (['early', 'late'] as const).map((phase) => {
    const p = probed[phase];
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const d1ByKind = new Map<string, number>();
    for (const t of p.timing)
      for (const [sql, d] of Object.entries(t.detail))
        d1ByKind.set(statementKind(sql), (d1ByKind.get(statementKind(sql)) ?? 0) + d.ms / p.timing.length);
    const total = mean(p.timing.map((t) => t.totalMs));
    const body = mean(p.timing.map((t) => t.bodyMs));
    const d1 = mean(p.timing.map((t) => t.d1Ms));
    const client = mean(p.client);
    const numbers = {
      calls: mean(p.timing.map((t) => t.d1Calls)),
      client,
      body,
      outside: client - total - body,
      js: total - d1,
      d1,
      find: d1ByKind.get('findChangeRequests') ?? 0,
      append: d1ByKind.get('appendEvents (one D1 batch)') ?? 0,
      appendSql: inNode[phase].get('appendEvents (one D1 batch)') ?? 0,
    };
    return {
      phase,
      numbers,
      cells: [
        phase === 'early'
          ? `early: first ${sampleCount} batches, into a fresh account`
          : `late: same bodies, new changeIds, on top of the ${totalEvents.toLocaleString('en-US')} events`,
        ms(client),
        ms(client - total - body),
        ms(body),
        ms(total - d1),
        ms(d1),
        ...kinds.map((k) => `${ms(d1ByKind.get(k) ?? 0)} / ${inNode[phase].has(k) ? ms(inNode[phase].get(k)!) : '–'}`),
      ],
    };
  });

  const early = phaseRows[0]!.numbers;
  const lateRow = phaseRows[1]!.numbers;

  // A plan that walks the account's change requests and scans the JSON array for each is
  // O(history × batch): how the look-up was before the fix; kept as a regression check.
  const quadratic = /SEARCH \S+ USING (COVERING )?INDEX \S+ \(account_id=\?\)/.test(findPlan) && /SCAN j/.test(findPlan);
  const perBatchDirect = direct / batches.length;
  const budget = TARGET_RATIO * perBatchDirect;
  const avgEvents = Math.round(samples.reduce((n, b) => n + b.events, 0) / samples.length);
  const avgChanges = Math.round(samples.reduce((n, b) => n + b.changes, 0) / samples.length);
  const lookupText = quadratic
    ? `**The idempotency look-up is quadratic.** \`findChangeRequests\` (worker/store/event-writer.ts) has this plan:
\`${findPlan}\` — SQLite walks *all* of the account's change requests and, for each, scans the batch's JSON array:
O(history × batch). It costs ${ms(early.find)} ms of a batch on a fresh account and ${ms(lateRow.find)} ms on top of the whole history
(the last 10 batches took ${ms(lastTen.median)} ms against ${ms(firstTen.median)} for the first 10).`
    : `**The idempotency look-up no longer grows with the history.** \`findChangeRequests\` has this plan: \`${findPlan}\` — one
primary-key probe per changeId. On this run's file (${lookup.requests.toLocaleString('en-US')} change requests) the ${lookup.ids.toLocaleString('en-US')} changeIds
of one of the last batches take ${ms(lookup.ms)} ms in SQLite. The account's writer runs it only after a write met a changeId already
stored (the idempotency record's primary key is the guard), so new changes do not pay for it: in D1 it cost ${ms(early.find)} ms of a batch on a
fresh account and ${ms(lateRow.find)} ms on top of the ${totalEvents.toLocaleString('en-US')} events, and the last 10 batches took ${ms(lastTen.median)} ms against ${ms(firstTen.median)} ms for the first 10.`;
  const why = [
    achieved <= TARGET_RATIO ? '**Where the time goes.**' : '**Why the target is missed.**',
    lookupText,
    `What remains is a per-batch cost far above SQLite's: direct SQLite needs ${ms(perBatchDirect)} ms for a batch's rows, so ${TARGET_RATIO}× allows
${ms(budget)} ms a batch. On a fresh account a batch takes ${ms(early.client)} ms: ${ms(early.d1)} ms waiting for D1 in ${early.calls.toFixed(0)} calls (the insert batch
alone ${ms(early.append)} ms in D1, of which ${ms(early.appendSql)} ms is SQLite executing the \`json_each\` inserts), ${ms(early.js)} ms in the handler
outside D1 calls, ${ms(early.body)} ms receiving the ${(bodyBytes / batches.length / 2 ** 10).toFixed(0)} KB body and ${ms(early.outside)} ms outside the Worker (HTTP, wrangler's proxy).
The JavaScript of a batch, timed in workerd with D1 answered from memory (probe \`/__bench/ingest-js\`, same bodies):
${ms(jsSteps.parse)} ms \`JSON.parse\`, ${ms(jsSteps.validate)} ms zod validation, and ${ms(jsSteps.recordChanges)} ms \`recordChanges\`
(of which ${ms(jsSteps.bodyHashes)} ms canonical JSON + SHA-256 of the ${avgChanges} change bodies for idempotency; the rest derives the element rows
and computes the hash chain, one canonical JSON + SHA-256 per event, ≈ ${avgEvents.toLocaleString('en-US')} of them, one after another — the
verify section measures what the chain costs on ingest). ${
      early.js + early.d1 > budget
        ? `${early.d1 > budget && early.js > budget ? 'Each part alone is above' : 'Together they are above'} the ${ms(budget)} ms budget: the D1 work (the local D1 is a Durable Object
behind the binding that executes the batch's statements, ${ms(early.append / Math.max(early.appendSql, 0.001))}× what SQLite alone needs for the same inserts) and the
handler's JavaScript (validation, hashing), neither of which the direct baseline has.`
        : ''
    }`,
  ].join(' ');

  return `## Ingest: ${totalEvents.toLocaleString('en-US')} events through HTTP into local D1

- Command: \`${ctx.command}\` (this section alone: \`npm run bench -- ingest\`)
- Date: ${new Date().toISOString()}; load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}.
${machineMarkdown(ctx.machine)}
- Worker code: ${ctx.codeVersion}.

**What runs.** ${totalEvents.toLocaleString('en-US')} events as ${changeCount.toLocaleString('en-US')} changes with explicit elements
(a realistic mix: 60 % one element, 20 % two, 10 % three, 10 % four to six; 87 % edits, 8 % adds, 5 % deletes; lists,
numbers, booleans, text, passwords; 11 object types, ~20k objects, 400 originators), sent by one client, one request at a
time, as ${batches.length} \`POST /v1/accounts/${ACCOUNT}/changes/batch\` requests of ${batchChanges.toLocaleString('en-US')} changes
(${(bodyBytes / 2 ** 20).toFixed(1)} MB of JSON in all) to \`wrangler dev\` with a fresh local D1 (migrations applied by
\`wrangler d1 migrations apply\`). Before the timed run, 600 events in 3 batches went to another account (warm-up).
Afterwards the stored rows are checked (count, \`seq\` 1..N gap-free, \`chain_seq\` = N) and read back from the D1 file.
**Direct** inserts exactly those rows (events, change requests, the chain head) with better-sqlite3 into a fresh file
created from \`drizzle/*.sql\` (same tables and indexes, WAL), in one transaction with prepared statements, the search index filled by one statement after the rows (median of ${directRepeats}).

${table(
  ['', 'total', 'events/s', 'batch latency median', 'p99', 'vs direct'],
  [
    [
      '**HTTP → Worker → local D1**',
      `${(wallMs / 1000).toFixed(2)} s`,
      eventsPerSecond(wallMs),
      `${ms(http.median)} ms`,
      `${ms(http.p99)} ms`,
      `**${ratio(wallMs, direct)}**`,
    ],
    ['– its first 10 batches', '', '', `${ms(firstTen.median)} ms`, '', ''],
    ['– its last 10 batches', '', '', `${ms(lastTen.median)} ms`, '', ''],
    ['Direct better-sqlite3, one transaction (same rows)', `${(direct / 1000).toFixed(2)} s`, eventsPerSecond(direct), '', '', '1×'],
    [
      'Direct, events only (no change requests)',
      `${(directEventsOnly / 1000).toFixed(2)} s`,
      eventsPerSecond(directEventsOnly),
      '',
      '',
      ratio(directEventsOnly, direct),
    ],
  ],
)}

${verdict}

**Where the time goes.** The first ${sampleCount} batch bodies were sent again after the run (after the same warm-up), through a probe build (the real
Worker wrapped by \`test/bench/probe/probe-worker.js\`, which receives the body first and then times the handler and every D1
call inside the isolate; 1 ms clock): once
into a fresh account (*early*) and once into the benchmark account with new changeIds (*late*: the account already holds
the whole run's history). The same bodies also ran through the Worker's own code (\`parseBody(ChangeBatch)\` +
\`recordChanges\`) in Node against better-sqlite3, on the direct file (same rows), to get each statement's pure SQLite time.
Means per batch, in ms; "D1 / SQLite" cells are time waiting for the D1 call inside workerd / the same statement's time in SQLite alone:

${table(
  [
    'batch',
    'client',
    'outside the Worker (HTTP, dev proxy)',
    'receiving the body',
    'in the handler, not waiting for D1',
    'waiting for D1',
    ...kinds.map((k) => `${k}: D1 / SQLite`),
  ],
  phaseRows.map((r) => r.cells),
)}

${why}

The local D1 file ended at ${(d1Bytes / 2 ** 20).toFixed(1)} MB (with its WAL).

**What the search index costs** (issue 12: each within +35 %). The same ${batches.length} batches, right after the run above, into
a second fresh local D1 whose migration \`0006_event_search.sql\` was undone before \`wrangler dev\` started (the FTS5
trigram table \`events_fts\`, its three triggers and the element index dropped):

${table(
  ['', 'total', 'events/s', 'batch latency median', 'D1 file (WAL checkpointed)'],
  [
    [
      'With the search index (the run above)',
      `${(wallMs / 1000).toFixed(2)} s`,
      eventsPerSecond(wallMs),
      `${ms(http.median)} ms`,
      `${(d1Checkpointed / 2 ** 20).toFixed(1)} MB`,
    ],
    [
      'Without it (0006 undone)',
      `${(bare.wallMs / 1000).toFixed(2)} s`,
      eventsPerSecond(bare.wallMs),
      `${ms(summarize(bare.latencies).median)} ms`,
      `${(bare.d1Bytes / 2 ** 20).toFixed(1)} MB`,
    ],
  ],
)}

Throughput with the index: ${percent(bare.wallMs / wallMs - 1)} (time ${percent(wallMs / bare.wallMs - 1)}); database size: ${percent(d1Checkpointed / bare.d1Bytes - 1)}.
${wallMs / bare.wallMs - 1 <= 0.35 && d1Checkpointed / bare.d1Bytes - 1 <= 0.35 ? '**Both within +35 %.**' : '**Not both within +35 %.**'}
`;
}

/** The database's size with its WAL checkpointed into it (the same measure for both). */
function checkpointedBytes(file: string): number {
  const db = open(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(file).size;
}

const percent = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(100 * fraction).toFixed(1)} %`;

/** Starts wrangler dev on `persistTo` (migrations applied), warms it up on another account, then
 *  sends the batches one at a time, each checked to store its events, and times them. */
async function sendBatches(ctx: BenchContext, persistTo: string, batches: Batch[], warmup: Batch[]) {
  const worker = await startWorker({ persistTo, config: ctx.snapshot.worker });
  const latencies: number[] = [];
  try {
    const operator = new Client(worker.url, worker.operatorToken);
    const warmToken = await createAccount(operator, 'bench-warmup');
    const token = await createAccount(operator, ACCOUNT);
    operator.close();
    const warm = new Client(worker.url, warmToken);
    for (const batch of warmup) await warm.expect('POST', '/v1/accounts/bench-warmup/changes/batch', batch.body, [201]);
    warm.close();

    ctx.log(`ingest: sending ${batches.length} batches`);
    const client = new Client(worker.url, token);
    const started = performance.now();
    for (const [i, batch] of batches.entries()) {
      const reply = await client.expect('POST', `/v1/accounts/${ACCOUNT}/changes/batch`, batch.body, [201]);
      const stored = JSON.parse(reply.body).events;
      if (stored !== batch.events) throw new Error(`batch ${i}: ${stored} events stored, expected ${batch.events}`);
      latencies.push(reply.ms);
      if (i % 20 === 19) ctx.log(`  ${i + 1}/${batches.length} batches, last ${reply.ms.toFixed(0)} ms`);
    }
    const wallMs = performance.now() - started;
    client.close();
    return { latencies, wallMs };
  } finally {
    await worker.stop();
  }
}

/** The HTTP ingest again, into a fresh database without drizzle/0006's objects. */
async function ingestWithoutSearchIndex(ctx: BenchContext, persistTo: string, batches: Batch[], warmup: Batch[]) {
  await applyLocalMigrations({ persistTo });
  const d1File = d1SqlitePath(persistTo);
  const file = open(d1File);
  file.exec(`DROP TRIGGER IF EXISTS audit_events_fts_insert; DROP TRIGGER IF EXISTS audit_events_fts_delete;
    DROP TRIGGER IF EXISTS audit_events_fts_update; DROP TABLE IF EXISTS events_fts; DROP INDEX IF EXISTS audit_events_element_time;`);
  file.close();
  const { latencies, wallMs } = await sendBatches(ctx, persistTo, batches, warmup);
  return { latencies, wallMs, d1Bytes: checkpointedBytes(d1File) };
}

/** Which of the Worker's write-path statements an SQL text is. */
function statementKind(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  // Both spellings: the raw SQL of earlier versions and what Drizzle builds.
  if (/^SELECT (r\.)?"?change_id"?( AS changeId|, "body_hash")/i.test(text)) return 'findChangeRequests';
  if (/^SELECT "?chain_seq"?( AS seq|, "chain_hash")/i.test(text)) return 'readChainHead';
  if (/^SELECT j\.value ->> 0 AS objectType/i.test(text)) return 'knownNames';
  if (/^(batch of|INSERT INTO "?(audit_events|change_requests)"?|UPDATE "?accounts"? SET "?chain_seq"?)/i.test(text))
    return 'appendEvents (one D1 batch)';
  if (/^select "api_tokens"/i.test(text)) return 'auth: token look-up';
  if (/^update "api_tokens" set "last_used_at"/i.test(text)) return 'last_used_at update';
  return text.slice(0, 40);
}

/** Where the schema has the search index: its insert trigger dropped, and the statement that
 *  indexes every stored event at once (the same columns the trigger indexes). */
function bulkSearchIndex(db: ReturnType<typeof createFromMigrations>) {
  const trigger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_events_fts_insert'").get();
  if (!trigger) return undefined;
  db.exec('DROP TRIGGER audit_events_fts_insert');
  const columns = 'object_name, element, old_value, new_value, originator_name';
  return db.prepare(`INSERT INTO events_fts(rowid, ${columns}) SELECT rowid, ${columns} FROM audit_events`);
}
