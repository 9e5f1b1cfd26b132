// Hostile input, proven: fast-check throws generated requests at every route of the Worker
// (listed from worker/routes/index.ts at run time, so a new route is covered without
// touching this file) and at paths that are no route at all. Bodies, query strings,
// cursors, headers and paths are generated; each answer must be 2xx, or 4xx as
// problem+json with type/title/status/detail, never 5xx. A model of every accepted write
// (changeId → body and event count) is kept and compared with D1 at the end, the hash
// chain is verified through the API, and the isolate (the Worker's and this test's) is
// checked for prototype pollution.
//
// The model knows the contract for what readJson refuses: a body nested deeper than 64
// levels in total is 400 (before it is parsed), a body holding a lone UTF-16 surrogate
// (in a string or a key) or a key "__proto__" is 422 naming each path, and neither stores
// anything. The generators throw such bodies (up to 100,000 levels deep), lone surrogates
// in paths and queries (sent as the bytes %ED%A0%80…) and `to=9999-12-31` at every route;
// input-edge-cases.test.ts pins each of these answers with a plain example.
import canonicalize from 'canonicalize';
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectType } from '../../shared/vocabulary';
import { isSecretElement } from '../../worker/domain/object-catalog';
import worker from '../../worker/index';
import { routes } from '../../worker/routes/index';
import { LIMITS as CHANGE_LIMITS } from '../../worker/schemas/changes';
import {
  HTTP_METHODS,
  authKind,
  brief,
  contentLength,
  contentType,
  cursorBytes,
  cursorDamage,
  damageCursor,
  deepBody,
  deepJsonText,
  deepMarker,
  encodeComponent,
  encodeQueryPart,
  extraHeaders,
  hostileKey,
  hostileNumber,
  hostileQueryValue,
  hostileSegment,
  jsonDepth,
  MAX_JSON_DEPTH,
  mutation,
  namesUnstorableText,
  nonUtf8Body,
  oddJsonText,
  queryEncoding,
  randomCursor,
  randomJsonBody,
  serialize,
  shortHostileString,
  TOO_DEEP_ERRORS,
  unknownPath,
  unstorableText,
  validChange,
  validIdentifier,
  type AuthKind,
  type ChangeBody,
  type FieldError,
  type Mutation,
} from './arbitraries';
import { OPERATOR, call, newAccount } from './support';

const ORIGIN = 'https://audit.test';
/** Body limits: the Worker's own for changes; 16 KB for accounts and tokens (routes/accounts.ts). */
const LIMITS = { change: CHANGE_LIMITS.changeBodyBytes, batch: CHANGE_LIMITS.batchBodyBytes, small: 16 * 1024 };
/** Set to a seed printed by a failure to replay it. */
const SEED: number | undefined = undefined;
const DEBUG = false;
const fcOptions = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });

// ---------------------------------------------------------------------------------------
// The routes, as the Worker declares them

interface RouteInfo {
  method: string;
  path: string;
  params: string[];
  queryKeys: string[];
}
const ROUTES: RouteInfo[] = [
  ...routes.map((r) => {
    const query = (r.operation.requestParams as { query?: { shape?: Record<string, unknown> } } | undefined)?.query;
    return { method: r.method.toUpperCase(), path: r.path, params: [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!), queryKeys: Object.keys(query?.shape ?? {}) };
  }),
  { method: 'GET', path: '/openapi.json', params: [], queryKeys: [] },
];
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/openapi.json', '/v1/keys']);
/** Routes whose credential is in the path (a single-use export link), not in a header: a wrong one is 404/410. */
const SECRET_IN_PATH = new Set(['/v1/export-links/{secret}']);
const READ_ROUTES = ROUTES.filter((r) => r.method === 'GET');

// ---------------------------------------------------------------------------------------
// The accounts, tokens and model of what was accepted

type Account = Awaited<ReturnType<typeof newAccount>>;
let A: Account;
let B: Account;
const tokens: Record<string, string[]> = {};
let revokedToken = '';
let sacrificialTokenIds: string[] = [];
const runPrefix = `hx${Date.now().toString(36)}-`;

interface Stored {
  /** Canonical JSON of the change as sent. */
  canon: string;
  events: number;
}
/** accountId → changeId → what the Worker said it stored. */
const model = new Map<string, Map<string, Stored>>();
/** changeId → the rows a simple accepted change must have stored, in order. */
const expectedRows = new Map<string, { accountId: string; objectId: string; objectName: string | null; originator: { id: string; name: string }; rows: ExpectedRow[] }>();
interface ExpectedRow {
  element: string;
  old_value: string | null;
  new_value: string | null;
  redacted: number;
}
/** Bodies of accepted valid changes, for replays and conflicting reuses. */
const acceptedBodies: ChangeBody[] = [];
/** Cursors the Worker issued, with the request that got them. */
const issuedCursors: { path: string; query: [string, string][]; cursor: string }[] = [];
const stats = { workerMs: 0, requests: 0, unsendable: 0, byStatus: new Map<number, number>(), byProperty: new Map<string, number>(), verdicts: new Map<string, number>(), rowsCompared: 0 };
/** Counts a verdict of the contract that a property checked an answer against. */
const countVerdict = (property: string, kind: string) => stats.verdicts.set(`${property} ${kind}`, (stats.verdicts.get(`${property} ${kind}`) ?? 0) + 1);
let prototypeBefore: Record<string, string[]>;

const roundRobin = new Map<string, number>();
function nextToken(pool: string): string {
  const list = tokens[pool]!;
  const i = (roundRobin.get(pool) ?? 0) % list.length;
  roundRobin.set(pool, i + 1);
  return list[i]!;
}

function authHeader(kind: AuthKind): string | undefined {
  switch (kind) {
    case 'none':
      return undefined;
    case 'all-scopes':
      return `Bearer ${nextToken('all')}`;
    case 'writer':
      return `Bearer ${nextToken('writer')}`;
    case 'reader':
      return `Bearer ${A.reader}`;
    case 'exporter':
      return `Bearer ${nextToken('exporter')}`;
    case 'admin':
      return `Bearer ${A.admin}`;
    case 'operator':
      return `Bearer ${OPERATOR}`;
    case 'other-account':
      return `Bearer ${nextToken('other')}`;
    case 'revoked':
      return `Bearer ${revokedToken}`;
    case 'garbage':
      return 'Bearer atr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    case 'empty':
      return '';
    case 'bearer-only':
      return 'Bearer';
    case 'basic':
      return `Basic ${btoa('admin:admin')}`;
    case 'lowercase-bearer':
      return `bearer ${nextToken('all')}`;
    case 'extra-spaces':
      return `  Bearer    ${nextToken('all')}   `;
    case 'two-tokens':
      return `Bearer ${A.reader}, Bearer ${A.admin}`;
    case 'token-without-scheme':
      return nextToken('all');
    case 'very-long':
      return `Bearer ${'a'.repeat(100_000)}`;
    case 'operator-prefix':
      return `Bearer ${OPERATOR.slice(0, -1)}`;
    case 'token-with-suffix':
      return `Bearer ${A.reader}x`;
  }
}
/** Auth kinds that must never get a 2xx from a route that needs a token. */
const UNAUTHENTICATED = new Set<AuthKind>(['none', 'revoked', 'garbage', 'empty', 'bearer-only', 'basic', 'two-tokens', 'token-without-scheme', 'very-long', 'operator-prefix', 'token-with-suffix']);
/** Auth kinds that are tokens of account A. */
const A_TOKENS = new Set<AuthKind>(['all-scopes', 'writer', 'reader', 'exporter', 'admin', 'lowercase-bearer', 'extra-spaces']);

// ---------------------------------------------------------------------------------------
// A request, printable in a counterexample

class Req {
  constructor(
    readonly label: string,
    readonly method: string,
    /** Path and query as they go into the URL (already encoded as the client chose). */
    readonly target: string,
    readonly auth: AuthKind,
    readonly body?: string | Uint8Array,
    readonly contentType?: string,
    readonly contentLength?: string,
    readonly headers: [string, string][] = [],
  ) {}
  [fc.toStringMethod]() {
    const size = this.body === undefined ? '' : ` body(${typeof this.body === 'string' ? new TextEncoder().encode(this.body).length : this.body.length} bytes)=${brief(this.body, 400)}`;
    return `${this.label}: ${this.method} ${brief(this.target, 300)} auth=${this.auth} ct=${this.contentType ?? '-'} cl=${this.contentLength ?? '-'} headers=${brief(this.headers)}${size}`;
  }
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: any;
  headers: Headers;
  pathname: string;
}

const decoder = new TextDecoder();
/**
 * Sends a request to the Worker's fetch handler. 'direct' calls the handler in this isolate
 * with the real env and an execution context whose waitUntil work is awaited; 'loopback'
 * goes through exports.default.fetch (workerd's own request path). The properties use
 * 'direct': each exports.default.fetch call in a test file is slower than the one before
 * (2 ms at first, ~100 ms after 600 calls, seen with vitest-pool-workers 0.15.1), which
 * would make thousands of requests take minutes. The corpus uses 'loopback'.
 */
async function send(req: Req, via: 'direct' | 'loopback' = 'direct'): Promise<Answer | undefined> {
  let request: Request;
  try {
    const headers = new Headers();
    const auth = authHeader(req.auth);
    if (auth !== undefined) headers.set('authorization', auth);
    if (req.contentType !== undefined) headers.set('content-type', req.contentType);
    const bytes = typeof req.body === 'string' ? new TextEncoder().encode(req.body) : req.body;
    if (req.contentLength !== undefined) headers.set('content-length', req.contentLength === 'right' ? String(bytes?.length ?? 0) : req.contentLength);
    for (const [name, value] of req.headers) headers.append(name, value);
    const withBody = bytes !== undefined && !['GET', 'HEAD'].includes(req.method.toUpperCase());
    request = new Request(ORIGIN + req.target, { method: req.method, headers, body: withBody ? bytes : undefined });
  } catch {
    // Not a request a client can make (e.g. a header value fetch refuses): nothing to test.
    stats.unsendable++;
    return undefined;
  }
  const pathname = new URL(request.url).pathname;
  if (DEBUG) console.log('>>', req[fc.toStringMethod]().slice(0, 300));
  const t0 = Date.now();
  let response: Response;
  let buffer: Uint8Array;
  if (via === 'loopback') {
    response = await exports.default.fetch(request);
    buffer = new Uint8Array(await response.arrayBuffer());
  } else {
    const ctx = createExecutionContext();
    response = await worker.fetch(request as Parameters<typeof worker.fetch>[0], env, ctx);
    buffer = new Uint8Array(await response.arrayBuffer());
    await waitOnExecutionContext(ctx);
  }
  if (DEBUG) console.log('<<', response.status);
  stats.workerMs += Date.now() - t0;
  stats.requests++;
  stats.byStatus.set(response.status, (stats.byStatus.get(response.status) ?? 0) + 1);
  stats.byProperty.set(req.label, (stats.byProperty.get(req.label) ?? 0) + 1);
  const type = response.headers.get('content-type') ?? '';
  const text = /json|text|csv/.test(type) ? decoder.decode(buffer) : '';
  let json: any;
  if (/json/.test(type) && !/ndjson/.test(type)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, contentType: type, text, json, headers: response.headers, pathname };
}

// ---------------------------------------------------------------------------------------
// What every answer must be

const LEAKS = /SQLITE_|D1_ERROR|D1_EXEC|json_each\(|no such (table|column)|constraint failed|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Maximum call stack|RangeError|TypeError|ReferenceError/;

function checkAnswer(req: Req, res: Answer) {
  const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${res.contentType} ${brief(res.text, 500)}`;
  expect(res.status >= 200 && res.status < 300 || res.status >= 400 && res.status < 500, `never 5xx (or 1xx/3xx): ${where}`).toBe(true);
  if (res.status >= 400) {
    expect(res.contentType, `errors are problem+json: ${where}`).toMatch(/^application\/problem\+json/);
    if (req.method.toUpperCase() !== 'HEAD') {
      expect(res.json, `problem body is JSON: ${where}`).toBeTypeOf('object');
      expect(res.json.type, where).toMatch(/^https:\/\/audit-trail\.dev\/problems\/[a-z-]+$/);
      expect(res.json.title, where).toBeTypeOf('string');
      expect(res.json.status, where).toBe(res.status);
      expect(res.json.detail, where).toBeTypeOf('string');
      if (res.json.errors !== undefined) {
        expect(Array.isArray(res.json.errors), where).toBe(true);
        for (const e of res.json.errors) {
          expect(e.path, where).toBeTypeOf('string');
          expect(e.message, where).toBeTypeOf('string');
        }
      }
      expect(LEAKS.test(res.text), `problem leaks internals: ${where}`).toBe(false);
    }
  } else if (/json/.test(res.contentType) && !/ndjson/.test(res.contentType) && req.method.toUpperCase() !== 'HEAD') {
    expect(res.json, `2xx JSON body parses: ${where}`).not.toBeUndefined();
  }

  if (res.status < 300 && req.method.toUpperCase() !== 'OPTIONS') {
    const bare = res.pathname.replace(/\/+$/, '') || '/';
    const isPublic = PUBLIC_PATHS.has(bare);
    if (!isPublic) expect(UNAUTHENTICATED.has(req.auth), `a request without a valid token got 2xx: ${where}`).toBe(false);
    const account = /^\/v1\/accounts\/([^/]+)/.exec(res.pathname)?.[1];
    if (account !== undefined && A_TOKENS.has(req.auth)) expect(account, `a token of ${A.id} reached another account: ${where}`).toBe(A.id);
    if (account !== undefined && req.auth === 'other-account') expect(account, `a token of ${B.id} reached another account: ${where}`).toBe(B.id);
  }
}

// ---------------------------------------------------------------------------------------
// The model: what accepted writes stored

/** Canonical JSON (RFC 8785) of a change; only ever asked for bodies within MAX_JSON_DEPTH. */
function canonOf(value: unknown): string {
  const canon = canonicalize(value);
  if (canon === undefined) throw new Error(`no canonical JSON for ${brief(value)}`);
  return canon;
}

/** An answer the contract fixes for a body, whatever the route's schema says. */
interface Verdict {
  status: number;
  kind: 'too-large' | 'not-utf8' | 'empty' | 'too-deep' | 'not-json' | 'unstorable';
  why: string;
  /** The errors the problem must list, when the contract says which. */
  errors?: FieldError[];
}
/** The contract's verdict on a JSON body that reached readJson with a JSON content type and
 *  within its byte limit: 400 (not UTF-8, empty, too deep, not JSON) or 422 (text that cannot
 *  be stored) with the errors it must name; undefined when the route's schema decides. */
function bodyVerdict(body: string | Uint8Array): Verdict | undefined {
  // The text as the Worker reads it from the bytes sent (a leading BOM dropped).
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(typeof body === 'string' ? new TextEncoder().encode(body) : body);
  } catch {
    return { status: 400, kind: 'not-utf8', why: 'not UTF-8', errors: [{ path: '/', message: 'invalid UTF-8 byte sequence' }] };
  }
  if (text.trim() === '') return { status: 400, kind: 'empty', why: 'empty', errors: [{ path: '/', message: 'empty body' }] };
  if (jsonDepth(text) > MAX_JSON_DEPTH) return { status: 400, kind: 'too-deep', why: `nested ${jsonDepth(text)} levels deep`, errors: TOO_DEEP_ERRORS };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { status: 400, kind: 'not-json', why: 'not JSON' };
  }
  const unstorable = unstorableText(value);
  if (unstorable.length) return { status: 422, kind: 'unstorable', why: `unstorable text at ${brief(unstorable.map((e) => e.path))}`, errors: unstorable };
  return undefined;
}

/** Checks the errors of an answer against a verdict's. */
function expectVerdictErrors(verdict: Pick<Verdict, 'status' | 'errors'>, res: Answer, where: string) {
  if (!verdict.errors) return;
  if (verdict.status === 422) expect(namesUnstorableText(res.json?.errors, verdict.errors), `the 422 names every unstorable text (${brief(verdict.errors)}): ${where}`).toBe(true);
  else expect(res.json?.errors, where).toEqual(verdict.errors);
}

function parseBodyText(body: string | Uint8Array | undefined): unknown {
  try {
    const text = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch {
    return undefined;
  }
}

/** Records what an accepted write says it stored; fails on a duplicate or an impossible replay. */
function observeWrite(req: Req, res: Answer) {
  const match = /^\/v1\/accounts\/([^/]+)\/changes(\/batch)?\/*$/.exec(res.pathname);
  if (!match || res.status >= 300 || req.method.toUpperCase() !== 'POST') return;
  const accountId = decodeURIComponent(match[1]!);
  const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 500)}`;
  // Nothing too deep or unstorable is ever accepted, by any route, whatever else was sent.
  const refused = bodyVerdict(req.body ?? '');
  expect(refused, `a body the contract refuses (${refused?.status}: ${refused?.why}) was accepted: ${where}`).toBeUndefined();
  const stored = model.get(accountId) ?? new Map<string, Stored>();
  model.set(accountId, stored);
  const raw = parseBodyText(req.body) as any;
  if (match[2]) {
    const outcomes: { changeId: string; replayed: boolean; eventCount: number }[] = res.json.changes;
    expect(outcomes.length, where).toBe(raw.changes.length);
    expect(res.status, where).toBe(outcomes.some((o) => !o.replayed) ? 201 : 200);
    outcomes.forEach((outcome, i) => record(stored, outcome.changeId, outcome.replayed, outcome.eventCount, canonOf(raw.changes[i]), where));
  } else {
    expect(res.status, where).toBe(res.json.replayed ? 200 : 201);
    expect(res.json.events.every((e: any) => e.changeId === res.json.changeId && e.accountId === accountId), where).toBe(true);
    record(stored, res.json.changeId, res.json.replayed, res.json.events.length, canonOf(raw), where);
  }
}

function record(stored: Map<string, Stored>, changeId: string, replayed: boolean, events: number, canon: string, where: string) {
  const before = stored.get(changeId);
  if (replayed) {
    expect(before, `a replay of a change that was never stored (${changeId}): ${where}`).toBeDefined();
    expect(before!.events, `a replay answers another event count: ${where}`).toBe(events);
    expect(canon, `a replay with a different body: ${where}`).toBe(before!.canon);
  } else {
    expect(before, `changeId ${changeId} stored twice: ${where}`).toBeUndefined();
    stored.set(changeId, { canon, events });
  }
}

/** For a simple accepted change (string values, explicit elements), the exact rows it must have stored. */
function expectRows(accountId: string, change: ChangeBody) {
  const elements = change.elements as { element: string; oldValue?: unknown; newValue?: unknown; redacted?: boolean }[] | undefined;
  if (!elements) return;
  const plain = (v: unknown) => v === undefined || v === null || typeof v === 'string';
  if (!elements.every((e) => plain(e.oldValue) && plain(e.newValue))) return;
  expectedRows.set(change.changeId, {
    accountId,
    objectId: String(change.objectId),
    objectName: (change.objectName as string | undefined) ?? null,
    originator: { id: String((change.originator as any).id), name: (change.originator as any).name },
    rows: elements.map((e) => {
      const secret = e.redacted === true || isSecretElement(change.objectType as ObjectType, e.element.trim());
      return {
        element: e.element.trim(),
        old_value: secret ? null : ((e.oldValue as string | null | undefined) ?? null),
        new_value: secret ? null : ((e.newValue as string | null | undefined) ?? null),
        redacted: secret ? 1 : 0,
      };
    }),
  });
}

// ---------------------------------------------------------------------------------------
// Building requests

const fillPath = (route: RouteInfo, values: Record<string, string>) => route.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'x');

/** Valid path parameter values for account A (encoded). */
function validParams(): Record<string, string> {
  return { accountId: encodeComponent(A.id), objectType: 'user', objectId: '4711', tokenId: sacrificialTokenIds[0] ?? 'tok_x' };
}

const paramValue = (name: string): fc.Arbitrary<string> => {
  const valid: Record<string, fc.Arbitrary<string>> = {
    accountId: fc.constantFrom(encodeComponent(A.id), encodeComponent(A.id), encodeComponent(B.id)),
    objectType: fc.constantFrom('user', 'skill', 'agentGroup', 'workingHours'),
    objectId: fc.oneof(fc.constantFrom('4711', '1', '0'), validIdentifier.map(encodeComponent)),
    tokenId: fc.constantFrom(...sacrificialTokenIds, 'tok_nope'),
  };
  return fc.oneof({ arbitrary: valid[name] ?? fc.constant('x'), weight: 8 }, { arbitrary: hostileSegment, weight: 1 });
};

const queryArb = (keys: string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(
        fc.tuple(
          fc.oneof({ arbitrary: keys.length ? fc.constantFrom(...keys) : fc.constant('limit'), weight: 3 }, { arbitrary: hostileKey, weight: 1 }),
          hostileQueryValue,
          queryEncoding,
        ),
        { maxLength: 4 },
      ),
      fc.boolean(),
    )
    .map(([pairs, repeat]) => {
      const parts = pairs.map(([k, v, how]) => `${encodeQueryPart(k, how)}=${encodeQueryPart(v, how)}`);
      if (repeat && parts.length) parts.push(parts[0]!);
      return parts.length ? `?${parts.join('&')}` : '';
    });

/** The byte limit of a route's body. */
const bodyLimit = (path: string) => (path.endsWith('/batch') ? LIMITS.batch : path.endsWith('/changes') ? LIMITS.change : LIMITS.small);

const changesPath = (accountId: string, batch = false) => `/v1/accounts/${encodeComponent(accountId)}/changes${batch ? '/batch' : ''}`;

/** A body fitting the route (so that what is hostile is elsewhere). */
function validBodyFor(route: RouteInfo): fc.Arbitrary<string> {
  if (route.path.endsWith('/changes')) return validChange(runPrefix).map(serialize);
  if (route.path.endsWith('/changes/batch')) return fc.array(validChange(runPrefix), { minLength: 1, maxLength: 5 }).map((changes) => serialize({ changes }));
  const when = fc.oneof(hostileQueryValue, fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), hostileNumber);
  if (route.path.endsWith('/tokens'))
    return fc
      .record(
        { name: shortHostileString, scopes: fc.subarray(['events:write', 'audit:read', 'audit:export', 'account:admin'], { minLength: 1 }), expiresAt: when },
        { requiredKeys: ['name', 'scopes'] },
      )
      .map((body) => serialize(body));
  if (route.path === '/v1/accounts')
    return fc
      .record(
        {
          id: validIdentifier.map((id) => `${runPrefix}acct-${id}`),
          name: shortHostileString,
          timezone: fc.oneof(fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kathmandu', '+05:00', 'utc', 'EST5EDT'), shortHostileString),
          retentionMonths: fc.oneof(fc.integer({ min: -2, max: 130 }), hostileNumber),
          auditEnabledAt: when,
        },
        { requiredKeys: ['id', 'name'] },
      )
      .map((body) => serialize(body));
  return fc.constant('{}');
}

/** Any body: valid for the route, one mutation away, random JSON, not JSON, not UTF-8, deep. */
function anyBodyFor(route: RouteInfo): fc.Arbitrary<string | Uint8Array> {
  return fc.oneof(
    { arbitrary: validBodyFor(route), weight: 4 },
    { arbitrary: fc.tuple(validChange(runPrefix), mutation).map(([c, m]) => serialize(m.apply(c))), weight: 3 },
    {
      arbitrary: fc.tuple(fc.array(validChange(runPrefix), { minLength: 1, maxLength: 3 }), mutation, fc.nat()).map(([cs, m, i]) => {
        cs[i % cs.length] = m.apply(cs[i % cs.length]!);
        return serialize({ changes: cs });
      }),
      weight: 2,
    },
    { arbitrary: randomJsonBody.map((b) => b.body), weight: 3 },
    { arbitrary: oddJsonText.map((b) => b.body), weight: 2 },
    { arbitrary: nonUtf8Body.map((b) => b.body), weight: 1 },
    { arbitrary: deepBody.map((b) => b.body), weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------

beforeAll(async () => {
  prototypeBefore = prototypeKeys();
  A = await newAccount();
  B = await newAccount();
  const all = ['events:write', 'audit:read', 'audit:export', 'account:admin'] as const;
  tokens.all = await Promise.all([1, 2, 3, 4].map(() => A.token([...all])));
  tokens.writer = [A.writer, await A.token(['events:write']), await A.token(['events:write'])];
  tokens.exporter = [A.exporter, ...(await Promise.all([1, 2, 3].map(() => A.token(['audit:export']))))];
  tokens.other = [await B.token([...all])];
  revokedToken = await A.token(['audit:read'], 'to be revoked');
  const me = await call(`/v1/accounts/${A.id}/me`, { token: revokedToken });
  expect((await call(`/v1/accounts/${A.id}/tokens/${me.json.tokenId}`, { method: 'DELETE', token: A.admin })).status).toBe(200);
  // Tokens the generators may revoke (DELETE .../tokens/{id}) without hurting the run.
  sacrificialTokenIds = [];
  for (let i = 0; i < 3; i++) {
    const t = await A.token(['audit:read'], `sacrificial ${i}`);
    sacrificialTokenIds.push((await call(`/v1/accounts/${A.id}/me`, { token: t })).json.tokenId);
  }
  model.set(A.id, new Map());
  model.set(B.id, new Map());

  // exports.default.fetch runs the Worker in this very isolate, so the prototype checks at
  // the end see what the Worker's code did: prove it by watching JSON.parse while it parses.
  const parse = JSON.parse;
  let seen = 0;
  JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
    seen++;
    return parse(...args);
  }) as typeof JSON.parse;
  try {
    await exports.default.fetch(new Request(ORIGIN + changesPath(A.id), { method: 'POST', headers: { authorization: `Bearer ${A.writer}`, 'content-type': 'application/json' }, body: '{}' }));
  } finally {
    JSON.parse = parse;
  }
  expect(seen, 'the Worker runs in the test isolate').toBeGreaterThan(0);
});

afterAll(() => {
  const statuses = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  const byProperty = [...stats.byProperty].map(([p, n]) => `${p}: ${n}`).join(', ');
  const verdicts = [...stats.verdicts].map(([v, n]) => `${v}×${n}`).join(' ');
  console.log(
    `hostile input: ${stats.requests} requests (${stats.unsendable} unsendable skipped) in ${stats.workerMs} ms of Worker time; ${byProperty}; statuses ${statuses}; ` +
      `bodies judged by the contract: ${verdicts}; ${stats.rowsCompared} stored rows compared one by one`,
  );
});

function prototypeKeys() {
  const of = (o: object) => Reflect.ownKeys(o).map(String).sort();
  return {
    Object: of(Object.prototype),
    Array: of(Array.prototype),
    Function: of(Function.prototype),
    String: of(String.prototype),
    Promise: of(Promise.prototype),
    Response: of(Response.prototype),
    Request: of(Request.prototype),
    globalThis: of(globalThis),
  };
}

describe('hostile input: every answer is 2xx or a 4xx problem, never 5xx', () => {
  it('covers every route the Worker declares', () => {
    // A sanity check that the route list is read from the Worker, not written here.
    expect(ROUTES.length).toBe(routes.length + 1);
    expect(ROUTES.map((r) => `${r.method} ${r.path}`)).toContain('POST /v1/accounts/{accountId}/changes/batch');
  });

  it('any request to any route: method, path, query, auth, headers and body all generated', async () => {
    const arb = fc
      .oneof(
        { arbitrary: fc.constantFrom(...ROUTES), weight: 6 },
        { arbitrary: unknownPath.map((path): RouteInfo => ({ method: 'GET', path, params: [], queryKeys: [] })), weight: 1 },
      )
      .chain((route) =>
        fc
          .record({
            method: fc.oneof({ arbitrary: fc.constant(route.method), weight: 5 }, { arbitrary: fc.constantFrom(...HTTP_METHODS), weight: 1 }),
            params: fc.record(Object.fromEntries(route.params.map((p) => [p, paramValue(p)]))) as fc.Arbitrary<Record<string, string>>,
            query: fc.oneof(fc.constant(''), queryArb(route.queryKeys)),
            auth: fc.oneof({ arbitrary: fc.constant<AuthKind>('all-scopes'), weight: 3 }, { arbitrary: authKind, weight: 2 }),
            contentType: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 4 }, { arbitrary: contentType, weight: 1 }),
            contentLength: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: contentLength, weight: 1 }),
            headers: fc.oneof({ arbitrary: fc.constant([] as [string, string][]), weight: 4 }, { arbitrary: extraHeaders, weight: 1 }),
            body: anyBodyFor(route),
          })
          .map((r) => {
            const hasBody = !['GET', 'HEAD'].includes(r.method.toUpperCase());
            return new Req('any', r.method, fillPath(route, r.params) + r.query, r.auth, hasBody ? r.body : undefined, r.contentType, r.contentLength, r.headers);
          }),
      );
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        const res = await send(req);
        fc.pre(res !== undefined);
        checkAnswer(req, res!);
        observeWrite(req, res!);
      }),
      fcOptions(2000),
    );
  }, 180_000);

  it('writes: valid changes are stored once, near-valid ones (one field mutated) are refused whole', async () => {
    /** Writes the contract refuses whatever the schema says (too deep: 400; unstorable text: 422), by status. */
    const refused = new Map<number, number>();
    type Item = { change: ChangeBody; mutation?: Mutation };
    const item: fc.Arbitrary<Item> = fc.oneof(
      { arbitrary: validChange(runPrefix).map((change) => ({ change })), weight: 3 },
      { arbitrary: fc.tuple(validChange(runPrefix), mutation).map(([change, m]) => ({ change: m.apply(change), mutation: m })), weight: 2 },
      // A change sent before, exactly (a replay) or with another body under its changeId (a conflict).
      {
        arbitrary: fc.tuple(fc.nat(), fc.boolean(), validChange(runPrefix)).map(([i, same, other]): Item => {
          const previous = acceptedBodies.length ? acceptedBodies[i % acceptedBodies.length]! : other;
          return { change: same ? previous : { ...other, changeId: previous.changeId } };
        }),
        weight: 1,
      },
    );
    const arb = fc.oneof(
      item.map((it) => ({ batch: false as const, items: [it] })),
      fc.array(item, { minLength: 1, maxLength: 8 }).map((items) => ({ batch: true as const, items })),
      // The same change twice in one batch (a replay inside the batch), or one changeId with two bodies.
      fc.tuple(validChange(runPrefix), validChange(runPrefix), fc.boolean()).map(([a, b, same]) => ({
        batch: true as const,
        items: [{ change: a }, { change: same ? a : { ...b, changeId: a.changeId } }] as Item[],
      })),
    );
    const labelled = arb.map(({ batch, items }) => {
      const body = batch ? serialize({ changes: items.map((i) => i.change) }) : serialize(items[0]!.change);
      const req = new Req('writes', 'POST', changesPath(A.id, batch), 'writer', body, 'application/json');
      return { batch, items, req, [fc.toStringMethod]: () => `${req[fc.toStringMethod]()} mutations=${brief(items.map((i) => i.mutation?.what ?? 'none'))}` };
    });

    await fc.assert(
      fc.asyncProperty(labelled, async ({ batch, items, req }) => {
        const stored = model.get(A.id)!;
        const expected = expectedStatus(batch, items, req.body as string, stored);
        const res = (await send(req))!;
        checkAnswer(req, res);
        const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 500)}`;
        expect(expected.statuses, `expected ${expected.statuses.join('/')} (${expected.why}): ${where}`).toContain(res.status);
        expectVerdictErrors({ status: res.status, errors: expected.errors }, res, where);
        if (expected.errors) refused.set(expected.statuses[0]!, (refused.get(expected.statuses[0]!) ?? 0) + 1);
        countVerdict('writes', expected.kind);
        observeWrite(req, res);
        if (res.status === 201 || res.status === 200) {
          for (const { change, mutation } of items) {
            if (mutation) continue;
            if (!acceptedBodies.some((b) => b.changeId === change.changeId)) acceptedBodies.push(change);
            if (res.status === 201) {
              const outcome = batch ? res.json.changes.find((o: any) => o.changeId === change.changeId) : res.json;
              if (outcome && !outcome.replayed && !expectedRows.has(change.changeId)) expectRows(A.id, change);
            }
          }
        }
      }),
      fcOptions(1500),
    );
    // The model's refusals were exercised, not just possible.
    expect(refused.get(400) ?? 0, 'writes refused as nested too deep').toBeGreaterThan(10);
    expect(refused.get(422) ?? 0, 'writes refused for unstorable text').toBeGreaterThan(50);
  }, 180_000);

  it('queries and cursors: hostile values for every parameter of every reading route, forged and damaged cursors, time ranges and verify ranges', async () => {
    // Harvest real cursors (limit=1 so that there is a next page) over several filters.
    for (const path of [`/v1/accounts/${A.id}/events`, `/v1/accounts/${A.id}/access-log`, `/v1/accounts/${A.id}/objects/user/4711/events`]) {
      for (const query of [[['limit', '1']], [['limit', '1'], ['action', 'edit']], [['limit', '2'], ['q', 'N']], [['limit', '1'], ['kind', 'list']]] as [string, string][][]) {
        const res = await call(`${path}?${new URLSearchParams(query)}`, { token: tokens.all![0] });
        if (res.status === 200 && res.json.nextCursor) issuedCursors.push({ path, query, cursor: res.json.nextCursor });
      }
    }
    expect(issuedCursors.length).toBeGreaterThan(3);

    type CursorCase = { kind: 'real' | 'damaged' | 'foreign' | 'random'; value: string; original?: string };
    /** A `from`/`to` value, and whether it is a date (or date-time) before 1970. */
    type Bound = { value: string; before1970: boolean };
    type QueryCase = { path: string; query: string; cursor?: CursorCase; range?: { from?: Bound; to?: Bound }; seqs?: { fromSeq?: number; toSeq?: number } };
    const LISTINGS = [`/v1/accounts/${A.id}/events`, `/v1/accounts/${A.id}/access-log`, `/v1/accounts/${A.id}/objects/user/4711/events`, `/v1/accounts/${A.id}/objects/skill/4711/events`];
    // Encoded by hand: URLSearchParams would turn a lone surrogate into U+FFFD before it is sent.
    const withCursor = (query: [string, string][], cursor: string) => `?${[...query, ['cursor', cursor]].map(([k, v]) => `${encodeComponent(k!)}=${encodeComponent(v!)}`).join('&')}`;

    // Time ranges on the routes that take them (account A's zone is UTC). A date-time is
    // written in some offset; the written date and the instant are on the same side of 1970.
    const RANGE_ROUTES = READ_ROUTES.filter((r) => r.queryKeys.includes('from') && r.queryKeys.includes('to'));
    expect(RANGE_ROUTES.map((r) => r.path).sort()).toEqual(['/v1/accounts/{accountId}/events', '/v1/accounts/{accountId}/events/export', '/v1/accounts/{accountId}/objects/{objectType}/{objectId}/events']);
    const written = (min: string, max: string, before1970: boolean): fc.Arbitrary<Bound> =>
      fc
        .tuple(fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }), fc.constantFrom('date', 'Z', '+05:30', '+14:00', '-12:00'), fc.boolean())
        .map(([date, zone, millis]) => {
          if (zone === 'date') return { value: date.toISOString().slice(0, 10), before1970 };
          const minutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
          return { value: new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, millis ? 23 : 19) + zone, before1970 };
        });
    const bound: fc.Arbitrary<Bound> = fc.oneof(
      { arbitrary: written('1970-01-02T00:00:00Z', '9999-12-30T00:00:00Z', false), weight: 2 },
      { arbitrary: written('2020-01-01T00:00:00Z', new Date().toISOString(), false), weight: 2 },
      { arbitrary: written('0000-01-02T00:00:00Z', '1969-12-30T00:00:00Z', true), weight: 1 },
      {
        arbitrary: fc.constantFrom<Bound>(
          { value: '1970-01-01', before1970: false },
          { value: '1970-01-01T00:00:00Z', before1970: false },
          { value: '1969-12-31', before1970: true },
          { value: '1969-12-31T23:59:59.999Z', before1970: true },
          { value: '9999-12-31', before1970: false },
          { value: '9999-12-31T23:59:59.999Z', before1970: false },
        ),
        weight: 2,
      },
    );
    /** The instants a bound stands for in UTC: a date is its whole day. */
    const lowest = (b: Bound) => Date.parse(/T/.test(b.value) ? b.value : `${b.value}T00:00:00Z`);
    const highest = (b: Bound) => (/T/.test(b.value) ? Date.parse(b.value) : Date.parse(`${b.value}T00:00:00Z`) + 86_400_000 - 1);
    const q = (pairs: [string, string | number | undefined][]) => {
      const given = pairs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeComponent(String(v))}`);
      return given.length ? `?${given.join('&')}` : '';
    };

    const arb: fc.Arbitrary<QueryCase> = fc.oneof(
      // from/to on every route that takes them: exact answers, and only events in range.
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...RANGE_ROUTES), fc.option(bound, { nil: undefined }), fc.option(bound, { nil: undefined }))
          .map(([route, from, to]) => ({ path: fillPath(route, validParams()), query: q([['from', from?.value], ['to', to?.value], ['limit', route.path.endsWith('/export') ? undefined : 500]]), range: { from, to } })),
        weight: 1,
      },
      // verify ranges: never a broken chain (the run only writes through the API), exact counts.
      {
        arbitrary: fc
          .record({ fromSeq: fc.option(fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: 5_000 }), fc.constant(Number.MAX_SAFE_INTEGER)), { nil: undefined }), toSeq: fc.option(fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: 5_000 })), { nil: undefined }) })
          .map((seqs) => ({ path: `/v1/accounts/${A.id}/verify`, query: q([['fromSeq', seqs.fromSeq], ['toSeq', seqs.toSeq]]), seqs })),
        weight: 1,
      },
      // Every parameter of every reading route, hostile values, repeated and unknown keys.
      { arbitrary: fc.constantFrom(...READ_ROUTES).chain((route) => queryArb(route.queryKeys).map((query) => ({ path: fillPath(route, validParams()), query }))), weight: 3 },
      // Cursor-shaped (or not) garbage.
      {
        arbitrary: fc.tuple(fc.constantFrom(...LISTINGS), randomCursor).map(([path, cursor]) => ({ path, query: withCursor([], cursor), cursor: { kind: 'random' as const, value: cursor } })),
        weight: 1,
      },
      // A real cursor with the query it was issued for, intact or damaged.
      {
        arbitrary: fc.tuple(fc.nat(), fc.option(cursorDamage, { nil: undefined })).map(([i, damage]) => {
          const issued = issuedCursors[i % issuedCursors.length]!;
          const value = damage ? damageCursor(issued.cursor, damage) : issued.cursor;
          return { path: issued.path, query: withCursor(issued.query, value), cursor: { kind: damage ? ('damaged' as const) : ('real' as const), value, original: issued.cursor } };
        }),
        weight: 2,
      },
      // A real cursor sent to another listing, or with other filters.
      {
        arbitrary: fc.tuple(fc.nat(), fc.nat(), hostileQueryValue).map(([i, j, q]) => {
          const issued = issuedCursors[i % issuedCursors.length]!;
          const path = LISTINGS[j % LISTINGS.length]!;
          const query: [string, string][] = path === issued.path ? [...issued.query.filter(([k]) => k !== 'q' && k !== 'kind'), ['q', `${q}~`]] : issued.query.filter(([k]) => k === 'limit');
          return { path, query: withCursor(query, issued.cursor), cursor: { kind: 'foreign' as const, value: issued.cursor } };
        }),
        weight: 1,
      },
    );

    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const path = c.path;
        const req = new Req('queries', 'GET', path + c.query, 'all-scopes');
        const res = await send(req);
        fc.pre(res !== undefined);
        checkAnswer(req, res!);
        const where = `${req[fc.toStringMethod]()}\n→ ${res!.status} ${brief(res!.text, 300)}`;
        if (res!.status === 200 && res!.json?.nextCursor && /\/(events|access-log)$/.test(path)) {
          const query = [...new URLSearchParams(c.query)].filter(([k]) => k !== 'cursor');
          if (issuedCursors.length < 200) issuedCursors.push({ path, query, cursor: res!.json.nextCursor });
        }
        if (c.range) {
          const { from, to } = c.range;
          const early = (['from', 'to'] as const).filter((k) => c.range![k]?.before1970).map((k) => ({ path: `query.${k}`, message: 'must not be before 1970' }));
          if (early.length) {
            expect(res!.status, `a date before 1970 must be 400: ${where}`).toBe(400);
            expect([...res!.json.errors].sort((a, b) => a.path.localeCompare(b.path)), where).toEqual(early);
          } else if (from && to && lowest(from) > highest(to)) {
            expect(res!.status, `an empty time range must be 400: ${where}`).toBe(400);
            expect(res!.json.errors, where).toEqual([{ path: 'query.from', message: 'is after query.to' }]);
          } else {
            expect(res!.status, `a time range from 1970 to 9999 must be answered: ${where}`).toBe(200);
            for (const event of res!.json?.events ?? []) {
              const at = Date.parse(event.occurredAt);
              expect(from === undefined || at >= lowest(from), `an event before "from": ${event.occurredAt}: ${where}`).toBe(true);
              expect(to === undefined || at <= highest(to), `an event after "to": ${event.occurredAt}: ${where}`).toBe(true);
            }
          }
          countVerdict('queries', 'range');
        }
        if (c.seqs) {
          const { fromSeq, toSeq } = c.seqs;
          if (fromSeq !== undefined && toSeq !== undefined && fromSeq > toSeq) {
            expect(res!.status, `fromSeq after toSeq must be 400: ${where}`).toBe(400);
            expect(res!.json.errors, where).toEqual([{ path: 'query.fromSeq', message: 'is after query.toSeq' }]);
          } else {
            const head = (await env.DB.prepare('SELECT chain_seq AS seq FROM accounts WHERE id = ?').bind(A.id).first<{ seq: number }>())!.seq;
            const checked = Math.max(0, Math.min(toSeq ?? head, head) - Math.max(fromSeq ?? 1, 1) + 1);
            expect(res!.status, where).toBe(200);
            expect(res!.json, `verify must find the chain intact, over exactly the range asked: ${where}`).toMatchObject({ ok: true, checked, firstBrokenSeq: null, reason: null, complete: true });
          }
          countVerdict('queries', 'verify');
        }
        if (!c.cursor) return;
        // A cursor is accepted only as issued, for the query it was issued for.
        if (c.cursor.kind === 'real') expect(res!.status, `an issued cursor is refused: ${where}`).toBe(200);
        if (c.cursor.kind === 'damaged' && cursorBytes(c.cursor.value) !== cursorBytes(c.cursor.original!))
          expect(res!.status, `a damaged cursor is accepted: ${where}`).toBe(400);
        if (c.cursor.kind === 'foreign' || c.cursor.kind === 'random') expect(res!.status, `a cursor not issued for this query is accepted: ${where}`).toBeGreaterThanOrEqual(400);
      }),
      fcOptions(1000),
    );
  }, 180_000);

  it('paths: encoded slashes, dots, very long and unicode ids in every path parameter, extra segments', async () => {
    const arb = fc
      .constantFrom(...ROUTES)
      .chain((route) =>
        fc.record({
          route: fc.constant(route),
          params: fc.record(Object.fromEntries(route.params.map((p) => [p, fc.oneof(hostileSegment, paramValue(p))]))) as fc.Arbitrary<Record<string, string>>,
          shape: fc.constantFrom('as is', 'trailing slash', 'double slash', 'dot segment', 'extra segment', 'encoded slash', 'uppercase', 'query only ?', 'fragment'),
          auth: fc.constantFrom<AuthKind>('all-scopes', 'all-scopes', 'operator', 'other-account', 'none'),
          body: validBodyFor(route),
        }),
      )
      .map(({ route, params, shape, auth, body }) => {
        let path = fillPath(route, params);
        if (shape === 'trailing slash') path += '/';
        if (shape === 'double slash') path = path.replace('/v1/', '/v1//');
        if (shape === 'dot segment') path = path.replace('/v1/', '/v1/./x/../');
        if (shape === 'extra segment') path += '/extra';
        if (shape === 'encoded slash') path = path.replace(/\/([^/]*)$/, '%2F$1');
        if (shape === 'uppercase') path = path.toUpperCase();
        if (shape === 'query only ?') path += '?';
        if (shape === 'fragment') path += '#frag';
        return new Req('paths', route.method, path, auth, route.method === 'POST' ? body : undefined, 'application/json');
      });
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        const res = await send(req);
        fc.pre(res !== undefined);
        checkAnswer(req, res!);
        observeWrite(req, res!);
      }),
      fcOptions(800),
    );
  }, 180_000);

  it('headers: Authorization variants, Content-Type variants and Content-Length lies, on every route', async () => {
    const arb = fc
      .constantFrom(...ROUTES)
      .chain((route) =>
        fc.record({
          route: fc.constant(route),
          auth: authKind,
          contentType: contentType,
          contentLength: contentLength,
          headers: extraHeaders,
          body: validBodyFor(route),
        }),
      )
      .map(({ route, auth, contentType, contentLength, headers, body }) =>
        new Req('headers', route.method, fillPath(route, validParams()), auth, route.method === 'POST' ? body : undefined, contentType, contentLength, headers),
      );
    await fc.assert(
      fc.asyncProperty(arb, async (req) => {
        const res = await send(req);
        fc.pre(res !== undefined);
        checkAnswer(req, res!);
        observeWrite(req, res!);
        const where = `${req[fc.toStringMethod]()}\n→ ${res!.status} ${brief(res!.text, 300)}`;
        const route = ROUTES.find((r) => fillPath(r, validParams()) === req.target && r.method === req.method)!;
        const needsToken = !PUBLIC_PATHS.has(route.path) && !SECRET_IN_PATH.has(route.path) && route.path !== '/v1/accounts';
        // Anything that is not a valid token of the account is 401 on a route that needs one.
        if (needsToken && UNAUTHENTICATED.has(req.auth) && !(route.path.endsWith('/tokens') && req.method === 'POST' && req.auth === 'operator'))
          expect(res!.status, `no valid token must be 401: ${where}`).toBe(401);
        if (route.path === '/v1/accounts' && req.auth !== 'operator') expect(res!.status, `only the operator creates accounts: ${where}`).toBe(401);
        // A token that can write, with a body that is not declared as JSON: 415.
        const hasBody = req.method === 'POST' && route.path !== `/v1/accounts/{accountId}/checkpoints` && route.path !== `/v1/accounts/{accountId}/events/export-links`;
        const canPost = hasBody && (route.path === '/v1/accounts' ? req.auth === 'operator' : req.auth === 'all-scopes');
        if (canPost && !/^application\/(.+\+)?json\b/i.test(req.contentType ?? '')) expect(res!.status, `a body not declared JSON must be 415: ${where}`).toBe(415);
        // A declared length beyond the limit is refused before the body is read.
        if (canPost && /^application\/(.+\+)?json\b/i.test(req.contentType ?? '') && req.contentLength && req.contentLength !== 'right') {
          if (Number(req.contentLength) > bodyLimit(route.path)) expect(res!.status, `a Content-Length over the limit must be 413: ${where}`).toBe(413);
        }
      }),
      fcOptions(800),
    );
  }, 180_000);

  it('bodies: every route that reads JSON judges its size, depth and text as the contract says, before anything else', async () => {
    // Checkpoints and export links are POSTs without a body.
    const bodyRoutes = ROUTES.filter((r) => r.method === 'POST' && !r.path.endsWith('/checkpoints') && !r.path.endsWith('/export-links'));
    expect(bodyRoutes.map((r) => r.path).sort()).toEqual(['/v1/accounts', '/v1/accounts/{accountId}/changes', '/v1/accounts/{accountId}/changes/batch', '/v1/accounts/{accountId}/tokens']);
    const arb = fc
      .constantFrom(...bodyRoutes)
      .chain((route) =>
        fc
          .oneof(
            { arbitrary: anyBodyFor(route), weight: 8 },
            // Nothing but whitespace (a BOM is dropped by the decoder), or one byte too many.
            { arbitrary: fc.constantFrom('', ' ', '\n\t ', '\ufeff', '\ufeff '), weight: 1 },
            { arbitrary: fc.constantFrom('x', '中', '\\u0000').map((c) => `{"a":"${c.repeat(Math.ceil(bodyLimit(route.path) / new TextEncoder().encode(c).length))}"}`), weight: 1 },
          )
          .map((body) => ({ route, body })),
      )
      .map(({ route, body }) => {
        // A caller the route lets through, so that what decides the answer is the body.
        const req = new Req('bodies', 'POST', fillPath(route, validParams()), route.path === '/v1/accounts' ? 'operator' : 'all-scopes', body, 'application/json');
        return { route, req, [fc.toStringMethod]: () => req[fc.toStringMethod]() };
      });
    const verdicts = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(arb, async ({ route, req }) => {
        const res = (await send(req))!;
        checkAnswer(req, res);
        observeWrite(req, res);
        const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 500)}`;
        const bytes = typeof req.body === 'string' ? new TextEncoder().encode(req.body).length : req.body!.length;
        const verdict: Verdict | undefined = bytes > bodyLimit(route.path) ? { status: 413, kind: 'too-large', why: 'too large' } : bodyVerdict(req.body!);
        const kind = verdict?.kind ?? 'schema';
        verdicts.set(kind, (verdicts.get(kind) ?? 0) + 1);
        countVerdict('bodies', kind);
        if (!verdict) return;
        expect(res.status, `expected ${verdict.status} (${verdict.why}): ${where}`).toBe(verdict.status);
        expectVerdictErrors(verdict, res, where);
      }),
      fcOptions(500),
    );
    // Each verdict was reached, not only possible.
    expect([...verdicts.keys()], brief([...verdicts])).toEqual(expect.arrayContaining(['too-large', 'not-utf8', 'empty', 'too-deep', 'not-json', 'unstorable', 'schema']));
  }, 180_000);

  it('a corpus of edge cases: limits exactly, deep nesting, unstorable text, byte-level oddities', async () => {
    type Expectation = { status: number[]; errors?: FieldError[] };
    const corpus: { req: Req; expect: Expectation }[] = [];
    const w = (body: string | Uint8Array, options: { batch?: boolean; status: number[]; errors?: FieldError[]; ct?: string }) =>
      corpus.push({ req: new Req('corpus', 'POST', changesPath(A.id, options.batch), 'writer', body, options.ct ?? 'application/json'), expect: options });
    const base = (id: string) => ({ changeId: `${runPrefix}corpus-${id}`, objectType: 'user', objectId: '1', action: 'edit', originator: { id: '1', name: 'A' } });
    const notAllowed = (path: string): FieldError => ({ path, message: 'is not an allowed field name' });
    const lone = (path: string): FieldError => ({ path, message: 'contains a lone UTF-16 surrogate (not valid Unicode text)' });
    const loneKey = (path: string): FieldError => ({ path, message: 'has a key with a lone UTF-16 surrogate (not valid Unicode text)' });

    // Size limits, exactly at and one byte over.
    // JSON allows whitespace after the value: pad a small change to exactly `bytes`.
    const pad = (id: string, bytes: number) => {
      const start = serialize({ ...base(id), elements: [{ element: 'e', newValue: 'v' }] });
      return start + ' '.repeat(bytes - new TextEncoder().encode(start).length);
    };
    w(pad('exact-1mb', LIMITS.change), { status: [201] });
    w(pad('over-1mb', LIMITS.change + 1), { status: [413] });
    w(serialize({ changes: Array.from({ length: 1000 }, (_, i) => ({ ...base(`k${i}`), elements: [{ element: 'e', newValue: String(i) }] })) }), { batch: true, status: [201] });
    w(serialize({ changes: Array.from({ length: 1001 }, (_, i) => ({ ...base(`l${i}`), elements: [{ element: 'e', newValue: String(i) }] })) }), { batch: true, status: [422] });
    w('{"changes":[' + ' '.repeat(LIMITS.batch) + ']}', { batch: true, status: [413] });
    w(serialize({ ...base('v65536'), elements: [{ element: 'e', newValue: 'v'.repeat(65_536) }] }), { status: [201] });
    w(serialize({ ...base('v65537'), elements: [{ element: 'e', newValue: 'v'.repeat(65_537) }] }), { status: [422] });
    w(serialize({ ...base('e500'), elements: Array.from({ length: 500 }, (_, i) => ({ element: `e${i}`, newValue: '=1+1' })) }), { status: [201] });
    w(serialize({ ...base('e501'), elements: Array.from({ length: 501 }, (_, i) => ({ element: `e${i}` })) }), { status: [422] });
    w(serialize({ ...base('list10000'), elements: [{ element: 'e', newValue: Array.from({ length: 10_000 }, (_, i) => i) }] }), { status: [201] });

    // Deep nesting, counted over the whole body: exactly 64 levels are accepted and 65 refused
    // before parsing (400), in every place a value may be, alone and in a batch; and far deeper.
    // 'mixed' nests through "__proto__" keys: refused as unstorable (422) while within the
    // limit, as too deep (400) beyond it.
    const withValue = (id: string, place: 'element' | 'snapshot', value: string) =>
      place === 'element' ? { ...base(id), elements: [{ element: 'e', newValue: value }] } : { ...base(id), before: { a: 1 }, after: { a: value } };
    for (const place of ['element', 'snapshot'] as const) {
      for (const batch of [false, true]) {
        for (const kind of ['array', 'object', 'mixed'] as const) {
          const body = (depth: number) => {
            const change = withValue(`deep-${place}-${batch ? 'batch' : 'single'}-${kind}-${depth}`, place, deepMarker(depth, kind));
            return serialize(batch ? { changes: [change] } : change);
          };
          const room = MAX_JSON_DEPTH - jsonDepth(body(0)); // what the value may use here
          expect(jsonDepth(body(room))).toBe(MAX_JSON_DEPTH);
          w(body(room), { batch, ...(kind === 'mixed' ? { status: [422], errors: unstorableText(JSON.parse(body(room))) } : { status: [201] }) });
          for (const depth of [room + 1, room + 2, 10_000, 100_000]) w(body(depth), { batch, status: [400], errors: TOO_DEEP_ERRORS });
        }
      }
    }
    for (const kind of ['array', 'object', 'mixed'] as const) {
      // Within the limit: not a change (422), or "__proto__" keys (422, named).
      w(deepJsonText(MAX_JSON_DEPTH, kind), { status: [422], ...(kind === 'mixed' ? { errors: unstorableText(JSON.parse(deepJsonText(MAX_JSON_DEPTH, kind))) } : {}) });
      w(deepJsonText(MAX_JSON_DEPTH + 1, kind), { status: [400], errors: TOO_DEEP_ERRORS });
    }
    // Brackets inside strings (and keys, and after escaped quotes) are text, not nesting.
    w(serialize({ ...base('brackets-in-strings'), elements: [{ element: '[[[{{{', newValue: '\\"' + '['.repeat(1_000) + '{'.repeat(1_000) }] }), { status: [201] });
    w(serialize({ ...base('brackets-in-keys'), before: { a: 1 }, after: { ['['.repeat(100)]: '}'.repeat(100), '\\"{{': '\\' } }), { status: [201] });

    // Text that cannot be stored as sent: lone surrogates in strings and keys, "__proto__" keys.
    w(serialize({ ...base('lone-strings'), objectName: 'a\ud800b', elements: [{ element: 'e\udc00', newValue: ['x', '\udfff'] }] }), {
      status: [422],
      errors: [lone('/objectName'), lone('/elements/0/element'), lone('/elements/0/newValue/1')],
    });
    w(serialize({ ...base('lone-key'), before: { a: 1 }, after: { ['k\ud800']: 1, b: { ['\udc00']: 2 } } }), { status: [422], errors: [loneKey('/after'), loneKey('/after/b')] });
    w(serialize({ changes: [{ ...base('lone-batch-ok'), elements: [{ element: 'e' }] }, { ...base('lone-batch\ud800'), elements: [{ element: 'e' }] }] }), {
      batch: true,
      status: [422],
      errors: [lone('/changes/1/changeId')],
    });
    w(serialize({ ...base('pair-escaped'), elements: [{ element: 'e', newValue: 'PAIR' }] }).replace('PAIR', '\\ud83d\\ude00'), { status: [201] });
    w(new Uint8Array([...new TextEncoder().encode(serialize({ ...base('cesu'), objectName: 'Nx' }).replace('Nx', '')).slice(0, -2), 0xed, 0xa0, 0x80, 0x22, 0x7d]), { status: [400] });
    w(serialize({ ...base('proto'), before: JSON.parse('{"__proto__":{"polluted":"yes"},"a":1}'), after: JSON.parse('{"a":2,"__proto__":{"polluted":"no"}}') }), {
      status: [422],
      errors: [notAllowed('/before/__proto__'), notAllowed('/after/__proto__')],
    });
    w(serialize({ ...base('proto-like'), before: JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}},"toString":1,"a":1}'), after: JSON.parse('{"prototype":{"polluted":"yes"},"valueOf":[],"a":2}') }), { status: [201] });
    w(`{"__proto__":{"polluted":"yes"},${serialize({ ...base('proto-top'), elements: [{ element: 'e' }] }).slice(1)}`, { status: [422], errors: [notAllowed('/__proto__')] });
    w(`{"changes":[${serialize({ ...base('proto-el'), elements: [JSON.parse('{"element":"e","newValue":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}')] })}]}`, {
      batch: true,
      status: [422],
      errors: [notAllowed('/changes/0/elements/0/newValue/__proto__')],
    });
    w(serialize({ ...base('proto-escaped'), before: { a: 1 }, after: { a: 2 } }).replace('"after":{', '"after":{"\\u005f_proto__":1,'), { status: [422], errors: [notAllowed('/after/__proto__')] });
    // Numbers beyond double range (JSON.parse makes them ±Infinity): 422 naming each, anywhere.
    const huge = (path: string): FieldError => ({ path, message: 'is a number beyond what can be stored (an IEEE 754 double, at most about ±1.8e308); send it as a string' });
    w(serialize({ ...base('huge-snapshot'), before: { n: 'HUGE' }, after: { n: [1, 'NEG'] } }).replace('"HUGE"', '1e400').replace('"NEG"', '-1E999'), { status: [422], errors: [huge('/before/n'), huge('/after/n/1')] });
    w(serialize({ changes: [{ ...base('huge-ok'), elements: [{ element: 'e' }] }, { ...base('huge-el'), elements: [{ element: 'e', newValue: 'HUGE' }] }] }).replace('"HUGE"', '1e309'), {
      batch: true,
      status: [422],
      errors: [huge('/changes/1/elements/0/newValue')],
    });
    w(serialize({ ...base('max-double'), elements: [{ element: 'e', newValue: 'MAX' }] }).replace('"MAX"', '1.7976931348623157e308'), { status: [201] });

    // Bytes and other text.
    w(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(serialize({ ...base('bom'), elements: [{ element: 'e', newValue: 'v' }] }))]), { status: [201] });
    w(new Uint8Array([...new TextEncoder().encode(serialize({ ...base('nul-byte'), elements: [{ element: 'e', newValue: 'v' }] })), 0x00]), { status: [400] });
    w(serialize({ ...base('nul-escapes'), objectName: 'a\u0000b', elements: [{ element: 'x\u0000y', oldValue: '\u0000', newValue: 'a\u0000b' }] }), { status: [201] });
    w(serialize({ ...base('formulas'), objectName: "=cmd|' /C calc'!A0", originator: { id: '=1', name: '@SUM(1)' }, elements: [{ element: '=x', oldValue: '+1', newValue: "=cmd|' /C calc'!A0" }] }), { status: [201] });
    w(serialize({ ...base('emoji'), objectName: '👩‍👩‍👧‍👦', elements: [{ element: '🏳️‍🌈', oldValue: '\ud83d\ude00', newValue: '𝕏' }] }), { status: [201] });
    w(serialize({ ...base('huge-numbers'), objectId: 9_007_199_254_740_993, elements: [{ element: 'e', oldValue: 1e308, newValue: -1e-308 }] }), { status: [201, 422] });
    w(serialize({ ...base('num'), elements: [{ element: 'e', newValue: 1 }] }).replace('"newValue":1', '"newValue":1e400'), { status: [422] });
    w(serialize({ ...base('ct-nojson'), elements: [{ element: 'e' }] }), { status: [415], ct: 'text/plain' });
    for (const c of corpus) {
      const res = (await send(c.req, 'loopback'))!;
      checkAnswer(c.req, res);
      const where = `${c.req[fc.toStringMethod]()}\n→ ${res.status} ${brief(res.text, 300)}`;
      expect(c.expect.status, where).toContain(res.status);
      if (c.expect.errors) expectVerdictErrors({ status: res.status, errors: c.expect.errors }, res, where);
      observeWrite(c.req, res);
    }
  }, 180_000);

  it('afterwards, D1 holds exactly what the accepted requests wrote, the chain verifies, and nothing is polluted', async () => {
    let accepted = 0;
    for (const [accountId, stored] of model) {
      const counts = await env.DB.prepare('SELECT change_id AS changeId, count(*) AS n FROM audit_events WHERE account_id = ? GROUP BY change_id').bind(accountId).all<{ changeId: string; n: number }>();
      const inD1 = new Map(counts.results.map((r) => [r.changeId, r.n]));
      const expected = new Map([...stored].filter(([, s]) => s.events > 0).map(([id, s]) => [id, s.events]));
      // Reported as sets first so that a difference is readable.
      expect([...inD1.keys()].filter((id) => !expected.has(id)), `${accountId}: events stored for changes no request was answered 2xx for`).toEqual([]);
      expect([...expected.keys()].filter((id) => !inD1.has(id)), `${accountId}: accepted changes missing from D1`).toEqual([]);
      expect(inD1, `${accountId}: events per change`).toEqual(expected);

      const requests = await env.DB.prepare('SELECT change_id AS changeId, event_count AS n FROM change_requests WHERE account_id = ?').bind(accountId).all<{ changeId: string; n: number }>();
      expect(new Map(requests.results.map((r) => [r.changeId, r.n])), `${accountId}: idempotency records`).toEqual(new Map([...stored].map(([id, s]) => [id, s.events])));

      const total = [...stored.values()].reduce((sum, s) => sum + s.events, 0);
      const seq = await env.DB.prepare('SELECT count(*) AS n, count(DISTINCT seq) AS d, coalesce(min(seq), 0) AS lo, coalesce(max(seq), 0) AS hi FROM audit_events WHERE account_id = ?').bind(accountId).first<{ n: number; d: number; lo: number; hi: number }>();
      expect(seq, `${accountId}: seq is 1..N without gaps`).toEqual({ n: total, d: total, lo: total ? 1 : 0, hi: total });
      const head = await env.DB.prepare('SELECT chain_seq AS seq FROM accounts WHERE id = ?').bind(accountId).first<{ seq: number }>();
      expect(head!.seq).toBe(total);

      const reader = accountId === A.id ? A.reader : B.reader;
      const verify = await call(`/v1/accounts/${encodeURIComponent(accountId)}/verify`, { token: reader });
      expect(verify.status, verify.text).toBe(200);
      expect(verify.json, `${accountId}: chain verifies`).toMatchObject({ ok: true, checked: total, firstBrokenSeq: null, complete: true });
      accepted += stored.size;
    }
    expect(accepted, 'the run accepted a fair share of writes').toBeGreaterThan(200);

    // Content: simple accepted changes stored exactly what was sent.
    let checkedRows = 0;
    for (const [changeId, want] of expectedRows) {
      const rows = await env.DB.prepare(
        'SELECT element, old_value, new_value, redacted, object_id, object_name, originator_id, originator_name FROM audit_events WHERE account_id = ? AND change_id = ? ORDER BY seq',
      )
        .bind(want.accountId, changeId)
        .all<ExpectedRow & { object_id: string; object_name: string; originator_id: string; originator_name: string }>();
      const where = `change ${brief(changeId)}`;
      expect(rows.results.map(({ element, old_value, new_value, redacted }) => ({ element, old_value, new_value, redacted })), where).toEqual(want.rows);
      for (const row of rows.results) {
        expect(row.object_id, where).toBe(want.objectId);
        if (want.objectName !== null) expect(row.object_name, where).toBe(want.objectName);
        expect({ id: row.originator_id, name: row.originator_name }, where).toEqual(want.originator);
      }
      checkedRows += rows.results.length;
    }
    expect(expectedRows.size, 'changes whose stored rows were compared one by one').toBeGreaterThan(20);
    expect(checkedRows).toBeGreaterThan(expectedRows.size);
    stats.rowsCompared = checkedRows;

    // Formula-like text never reaches a CSV cell unguarded (an apostrophe first, unless a plain number).
    const csv = (await send(new Req('final', 'GET', `/v1/accounts/${A.id}/events/export?format=csv`, 'exporter')))!;
    expect(csv.status, csv.text.slice(0, 300)).toBe(200);
    const cells = parseCsv(csv.text.replace(/^\ufeff/, ''));
    expect(cells.length).toBeGreaterThan(100);
    const unguarded = cells.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(cell));
    expect(unguarded.map((c) => brief(c, 80)), 'CSV cells a spreadsheet would evaluate').toEqual([]);
    expect(cells.flat().some((cell) => cell.startsWith("'=")), 'the run did export formula-like text').toBe(true);

    // Prototype pollution: nothing the Worker parsed reached a prototype of this isolate.
    expect(({} as any).polluted).toBeUndefined();
    expect(([] as any).polluted).toBeUndefined();
    expect((Object.create(null) as any).polluted).toBeUndefined();
    expect(({} as any).isAdmin).toBeUndefined();
    expect(prototypeKeys()).toEqual(prototypeBefore);
  }, 120_000);
});

/** RFC 4180 records (quoted fields, doubled quotes, CRLF; line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') record.push(field), records.push(record), (record = []), (field = ''), i++;
    else field += c;
  }
  if (field || record.length) record.push(field), records.push(record);
  return records;
}

/** The statuses a write may answer, from the contract and the model of what is stored; with
 *  the errors the answer must name when they are known. */
function expectedStatus(
  batch: boolean,
  items: { change: ChangeBody; mutation?: Mutation }[],
  body: string,
  stored: Map<string, Stored>,
): { statuses: number[]; kind: string; why: string; errors?: FieldError[] } {
  const bytes = new TextEncoder().encode(body).length;
  if (bytes > (batch ? LIMITS.batch : LIMITS.change)) return { statuses: [413], kind: 'too-large', why: 'too large' };
  // Too deep (400, before parsing), or text that cannot be stored (422): refused whole,
  // before the schema, before any conflict with what is stored.
  const verdict = bodyVerdict(body);
  if (verdict) return { statuses: [verdict.status], kind: verdict.kind, why: verdict.why, errors: verdict.errors };
  if (items.some((i) => i.mutation?.verdict === 'invalid')) return { statuses: [422], kind: 'invalid', why: 'a change is invalid' };
  if (items.some((i) => i.mutation)) return { statuses: [200, 201, 409, 422], kind: 'maybe-valid', why: 'a mutation that may or may not be valid' };
  // No change here can reach LIMITS.eventsPerRequest (at most 8 changes of at most 5
  // elements, or small snapshots), so 413 for too many events is not a possible answer.
  const canons = items.map((i) => canonOf(JSON.parse(serialize(i.change))));
  const firstCanon = new Map<string, string>();
  for (const [k, { change }] of items.entries()) {
    const seen = firstCanon.get(change.changeId);
    if (seen === undefined) firstCanon.set(change.changeId, canons[k]!);
    else if (seen !== canons[k]) return { statuses: [422], kind: 'batch-conflict', why: 'one changeId with two bodies in the batch' };
  }
  let fresh = false;
  for (const [changeId, canon] of firstCanon) {
    const before = stored.get(changeId);
    if (!before) fresh = true;
    else if (before.canon !== canon) return { statuses: [409], kind: 'conflict', why: `${changeId} was stored with another body` };
  }
  return fresh ? { statuses: [201], kind: 'new', why: 'new' } : { statuses: [200], kind: 'replay', why: 'a replay' };
}
