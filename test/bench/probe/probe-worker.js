// The benchmark's probe: the real Worker (worker/index.ts), unchanged, plus a timing wrapper.
// GET|POST /__bench/timed/<any API path> runs the real handler for <path> with env.DB wrapped so
// that every D1 call is timed inside the isolate (local workerd's clock advances during CPU
// work), and answers with the real response plus headers:
//   x-bench-body-ms    time receiving the request body (read before the handler starts)
//   x-bench-total-ms   time in the handler, from the request (body received) to the response
//   x-bench-d1-ms      time waiting for D1 on the way (union of the calls' intervals)
//   x-bench-d1-calls   D1 calls (a batch counts once)
//   x-bench-d1-detail  JSON: per statement (first 60 characters), calls and milliseconds
// /__bench/timed-no-last-used/<path> is the same, except that the token's `last_used_at`
// update (auth's ctx.waitUntil write) is answered without reaching D1: a what-if measurement;
// /__bench/timed-no-access-log/<path> likewise answers the access log's INSERT (every read
// of the audit trail writes one, through ctx.waitUntil) without reaching D1.
// D1 calls still running when the response is ready (ctx.waitUntil work) are not counted.
// GET /__bench/d1-floor?n=200 times `SELECT 1` through D1: the local D1 round trip.
// GET /__bench/allocate?mb=N holds about N MB of V8 heap at once (checks a heap cap).
// GET /__bench/verify-parts?part=read|hash&account=A&events=N runs one half of GET …/verify.
// POST /__bench/ingest-js with a batch body times the JavaScript of recording it, with D1
// answered in memory (nothing is stored): JSON.parse, zod validation, the body hashes, and
// the whole of recording (checkChanges: validation and body hashes; writeGroup: element rows,
// the event hash chain, packing rows), reported as `recordChanges`.
// Writes run in the account's writer (a Durable Object in the same isolate): its D1 calls are
// timed into the stats of the timed request in progress (the benchmarks send those one at a time).
// Only ever run by test/bench on loopback; never deployed.
import worker from '../../../worker/index.ts';
import { canonicalJson, sha256Hex } from '../../../worker/domain/crypto.ts';
import { checkChanges, writeGroup } from '../../../worker/domain/record-changes.ts';
import { AccountWriter as RealAccountWriter } from '../../../worker/writer/account-writer.ts';
import { eventHash, eventView } from '../../../worker/domain/event-view.ts';
import { readEventsBySeq } from '../../../worker/store/chain.ts';
import { parseBody } from '../../../worker/http/input.ts';
import { ChangeBatch } from '../../../worker/schemas/changes.ts';

/** A D1 that answers from memory: an empty account whose head is the genesis hash. */
const GENESIS = '0'.repeat(64);
const memoryD1 = {
  prepare(sql) {
    // The chain state (readChainState: head and purge watermark) is the one row it has.
    const chainRow = /from "accounts"/i.test(sql);
    const statement = {
      bind: () => statement,
      all: async () => ({ success: true, results: [], meta: { changes: 0 } }),
      raw: async () => (chainRow ? [[0, GENESIS, 0, GENESIS]] : []),
      first: async () => ({ seq: 0, hash: GENESIS }),
      run: async () => ({ success: true, results: [], meta: { changes: 1 } }),
    };
    return statement;
  },
  // The writer's batch reads the head first (same transaction) and moves it last.
  batch: async (statements) =>
    statements.map((_, i) => ({ success: true, results: i === 0 ? [{ seq: 0, hash: GENESIS }] : [], meta: { changes: 1 } })),
};

/** What-if variants: statements the probe answers itself instead of sending them to D1. */
const SKIPPED = {
  'timed-no-last-used': /^update "api_tokens" set "last_used_at"/i,
  'timed-no-access-log': /^insert into "access_log"/i,
};

const label = (sql) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);

function timedDb(db, stats) {
  const originals = new WeakMap();
  const record = (what, started) => {
    const ended = performance.now();
    stats.intervals.push([started, ended]);
    const entry = (stats.detail[what] ??= { calls: 0, ms: 0 });
    entry.calls++;
    entry.ms += ended - started;
  };
  const wrapStatement = (statement, sql) => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        if (prop === 'bind') return (...args) => wrapStatement(target.bind(...args), sql);
        if (prop === 'all' || prop === 'raw' || prop === 'first' || prop === 'run') {
          if (stats.skip && stats.skip.test(sql))
            return async () =>
              prop === 'raw' ? [[0]] : prop === 'first' ? { id: 0 } : { success: true, results: [{ id: 0 }], meta: { changes: 1 } };
          return async (...args) => {
            const started = performance.now();
            try {
              return await target[prop](...args);
            } finally {
              record(label(sql), started);
            }
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    originals.set(proxy, statement);
    return proxy;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql) => wrapStatement(target.prepare(sql), sql);
      if (prop === 'batch') {
        return async (statements) => {
          const started = performance.now();
          try {
            return await target.batch(statements.map((s) => originals.get(s) ?? s));
          } finally {
            record(`batch of ${statements.length}`, started);
          }
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function unionMs(intervals, until) {
  const sorted = intervals
    .filter(([start]) => start <= until)
    .map(([s, e]) => [s, Math.min(e, until)])
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const [s, e] of sorted) {
    if (s > to) {
      if (to > from) total += to - from;
      [from, to] = [s, e];
    } else to = Math.max(to, e);
  }
  if (to > from) total += to - from;
  return total;
}

/** The stats of the timed request in progress, for the account writer's D1 calls. */
let activeStats;
const untimed = { intervals: [], detail: {} };

/** The real account writer, with its D1 timed into the request in progress. */
export class AccountWriter extends RealAccountWriter {
  constructor(state, env) {
    const db = env.DB;
    const timed = { intervals: [], detail: {} };
    // One proxy whose records go to whichever timed request is in progress.
    const stats = new Proxy(timed, { get: (_t, prop) => (activeStats ?? untimed)[prop] });
    super(state, { ...env, DB: timedDb(db, stats) });
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__bench/d1-floor') {
      const n = Number(url.searchParams.get('n') ?? 200);
      const started = performance.now();
      for (let i = 0; i < n; i++) await env.DB.prepare('SELECT 1 AS one').first();
      return Response.json({ n, msPerCall: (performance.now() - started) / n });
    }
    if (url.pathname === '/__bench/allocate') {
      // Holds ~mb MB of V8 heap (arrays of doubles, not ArrayBuffers, which live outside the
      // heap) at once: shows whether a heap cap given to workerd is in force.
      const mb = Number(url.searchParams.get('mb') ?? 64);
      const held = [];
      for (let i = 0; i < mb; i++) held.push(new Array(131_072).fill(i + 0.5));
      return Response.json({ mb, held: held.length, sample: held[mb - 1]?.[0] });
    }
    if (url.pathname === '/__bench/verify-parts') {
      // The two halves of GET …/verify, each alone over `events` events from seq 1 of `account`:
      // part=read pages through the rows as verify does (2,000 a query) without hashing;
      // part=hash reads the first page once and hashes its events again and again, one after
      // another as verify does, without further D1 reads. Shows which half needs the memory.
      const part = url.searchParams.get('part');
      const account = url.searchParams.get('account');
      const events = Number(url.searchParams.get('events') ?? 250_000);
      const started = performance.now();
      let done = 0;
      let check = 0;
      if (part === 'read') {
        // mode=raw: the same query through .raw() (arrays) instead of readEventsBySeq's .all() (objects).
        const raw = url.searchParams.get('mode') === 'raw';
        const statement = env.DB.prepare(
          'SELECT seq, hash FROM audit_events WHERE account_id = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq LIMIT ?4',
        );
        for (let next = 1; done < events;) {
          const rows = raw
            ? (
                await env.DB.prepare(
                  `SELECT id, account_id, seq, change_id, object_type, object_id, object_name, action, element, value_type, old_value,
                  new_value, redacted, occurred_at, recorded_at, originator_id, originator_name, prev_hash, hash FROM audit_events
                  WHERE account_id = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq LIMIT ?4`,
                )
                  .bind(account, next, events, 2_000)
                  .raw()
              ).map((r) => ({ seq: r[2] }))
            : url.searchParams.get('mode') === 'narrow'
              ? (await statement.bind(account, next, events, 2_000).all()).results
              : await readEventsBySeq(env.DB, account, next, events, 2_000);
          if (!rows.length) break;
          done += rows.length;
          check += rows.at(-1).seq;
          next = rows.at(-1).seq + 1;
        }
      } else if (part === 'hash') {
        const rows = await readEventsBySeq(env.DB, account, 1, 2_000, 2_000);
        while (done < events) {
          for (const row of rows) {
            if ((await eventHash(eventView(row))) === row.hash) check++;
            if (++done >= events) break;
          }
        }
      } else return new Response('part=read|hash', { status: 400 });
      return Response.json({ part, events: done, check, ms: performance.now() - started });
    }
    if (url.pathname === '/__bench/ingest-js') {
      const text = await request.text();
      const t0 = performance.now();
      const raw = JSON.parse(text);
      const t1 = performance.now();
      const { changes } = parseBody(ChangeBatch, raw);
      const t2 = performance.now();
      await Promise.all(raw.changes.map((change) => sha256Hex(canonicalJson(change))));
      const t3 = performance.now();
      const account = { id: 'memory', name: 'memory', timezone: 'UTC', retentionMonths: 13, auditEnabledAt: 0, createdAt: 0 };
      const checked = checkChanges(
        account,
        changes.map((change, i) => ({ change, raw: raw.changes[i], path: `/changes/${i}` })),
      );
      // The account's writer holds the head in memory: start from the genesis head, as for a new account.
      await writeGroup(memoryD1, account.id, { seq: 0, hash: '0'.repeat(64) }, [checked]);
      const t4 = performance.now();
      return Response.json({ parse: t1 - t0, validate: t2 - t1, bodyHashes: t3 - t2, recordChanges: t4 - t3 });
    }
    const timed = /^\/__bench\/(timed|timed-no-last-used|timed-no-access-log)\//.exec(url.pathname);
    if (timed) {
      // The body is received first and timed on its own, so "in the handler" is the handler's work.
      const receiving = performance.now();
      const requestBody = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
      const started = performance.now();
      const stats = { intervals: [], detail: {}, skip: SKIPPED[timed[1]] };
      activeStats = stats;
      url.pathname = url.pathname.slice(timed[0].length - 1);
      const inner = new Request(url, { method: request.method, headers: request.headers, body: requestBody });
      const response = await worker.fetch(inner, { ...env, DB: timedDb(env.DB, stats) }, ctx);
      const body = await response.arrayBuffer();
      const ended = performance.now();
      activeStats = undefined;
      const headers = new Headers(response.headers);
      headers.set('x-bench-total-ms', String(ended - started));
      headers.set('x-bench-body-ms', String(started - receiving));
      headers.set('x-bench-d1-ms', String(unionMs(stats.intervals, ended)));
      headers.set('x-bench-d1-calls', String(Object.values(stats.detail).reduce((n, d) => n + d.calls, 0)));
      headers.set('x-bench-d1-detail', JSON.stringify(stats.detail));
      return new Response(body, { status: response.status, headers });
    }
    return worker.fetch(request, env, ctx);
  },
  scheduled: worker.scheduled,
};
