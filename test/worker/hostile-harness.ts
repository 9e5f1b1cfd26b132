// The harness of the hostile-input properties (test/worker/hostile-*.test.ts): the routes as
// the Worker declares them (read from worker/routes/index.ts at run time, so a new route is
// covered without touching the tests), the accounts and tokens of a run, requests printable
// in a counterexample, and what every answer must be: 2xx, or 4xx as problem+json with
// type/title/status/detail, never 5xx, never leaking internals, never across accounts.
// Each test file calls useHostileRun() and gets its own accounts, model and summary line.
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import fc from 'fast-check';
import worker from '../../worker/index';
import { afterAll, beforeAll, expect } from 'vitest';
import { routes } from '../../worker/routes/index';
import { LIMITS as CHANGE_LIMITS } from '../../worker/schemas/changes';
import {
  type AuthKind,
  brief,
  deepBody,
  encodeComponent,
  encodeQueryPart,
  hostileKey,
  hostileNumber,
  hostileQueryValue,
  hostileSegment,
  mutation,
  nonUtf8Body,
  oddJsonText,
  queryEncoding,
  randomJsonBody,
  serialize,
  shortHostileString,
  validChange,
  validIdentifier,
} from './arbitraries';
import { OPERATOR, call, newAccount } from './support';
import { resetModel } from './hostile-model';

export const ORIGIN = 'https://audit.test';
/** Body limits: the Worker's own for changes; 16 KB for accounts and tokens (routes/accounts.ts). */
export const LIMITS = { change: CHANGE_LIMITS.changeBodyBytes, batch: CHANGE_LIMITS.batchBodyBytes, small: 16 * 1024 };
/** Set to a seed printed by a failure to replay it. */
export const SEED: number | undefined = undefined;
export const DEBUG = false;
export const fcOptions = (numRuns: number) => ({ numRuns, ...(SEED === undefined ? {} : { seed: SEED }) });

// ---------------------------------------------------------------------------------------
// The routes, as the Worker declares them

export interface RouteInfo {
  method: string;
  path: string;
  params: string[];
  queryKeys: string[];
  /** Declares a JSON request body; a POST without one (a sync, a checkpoint) reads none, so its Content-Type is moot. */
  takesBody: boolean;
  /** In the OpenAPI document (everything but /openapi.json itself). */
  declared?: boolean;
}
export const ROUTES: RouteInfo[] = [
  ...routes.map((r) => {
    const query = (r.operation.requestParams as { query?: { shape?: Record<string, unknown> } } | undefined)?.query;
    return {
      method: r.method.toUpperCase(),
      path: r.path,
      params: [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
      queryKeys: Object.keys(query?.shape ?? {}),
      takesBody: 'requestBody' in r.operation && r.operation.requestBody !== undefined,
      declared: true,
    };
  }),
  { method: 'GET', path: '/openapi.json', params: [], queryKeys: [], takesBody: false },
];
export const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/openapi.json', '/v1/keys']);
/** Routes whose credential is in the path (a single-use export link), not in a header: a wrong one is 404/410. */
export const SECRET_IN_PATH = new Set(['/v1/export-links/{secret}']);
export const READ_ROUTES = ROUTES.filter((r) => r.method === 'GET');

// ---------------------------------------------------------------------------------------
// The accounts, tokens and model of what was accepted

export type Account = Awaited<ReturnType<typeof newAccount>>;
export let A: Account;
export let B: Account;
export const tokens: Record<string, string[]> = {};
export let revokedToken = '';
export let sacrificialTokenIds: string[] = [];
export const runPrefix = `hx${Date.now().toString(36)}-`;

export const stats = {
  workerMs: 0,
  requests: 0,
  unsendable: 0,
  byStatus: new Map<number, number>(),
  byProperty: new Map<string, number>(),
  verdicts: new Map<string, number>(),
  rowsCompared: 0,
};
/** Counts a verdict of the contract that a property checked an answer against. */
export const countVerdict = (property: string, kind: string) =>
  stats.verdicts.set(`${property} ${kind}`, (stats.verdicts.get(`${property} ${kind}`) ?? 0) + 1);
export let prototypeBefore: Record<string, string[]>;

export const roundRobin = new Map<string, number>();
export function nextToken(pool: string): string {
  const list = tokens[pool]!;
  const i = (roundRobin.get(pool) ?? 0) % list.length;
  roundRobin.set(pool, i + 1);
  return list[i]!;
}

export function authHeader(kind: AuthKind): string | undefined {
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
export const UNAUTHENTICATED = new Set<AuthKind>([
  'none',
  'revoked',
  'garbage',
  'empty',
  'bearer-only',
  'basic',
  'two-tokens',
  'token-without-scheme',
  'very-long',
  'operator-prefix',
  'token-with-suffix',
]);
/** Auth kinds that are tokens of account A. */
export const A_TOKENS = new Set<AuthKind>(['all-scopes', 'writer', 'reader', 'exporter', 'admin', 'lowercase-bearer', 'extra-spaces']);

// ---------------------------------------------------------------------------------------
// A request, printable in a counterexample

export class Req {
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
    const size =
      this.body === undefined
        ? ''
        : ` body(${typeof this.body === 'string' ? new TextEncoder().encode(this.body).length : this.body.length} bytes)=${brief(this.body, 400)}`;
    return `${this.label}: ${this.method} ${brief(this.target, 300)} auth=${this.auth} ct=${this.contentType ?? '-'} cl=${this.contentLength ?? '-'} headers=${brief(this.headers)}${size}`;
  }
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  json: any;
  headers: Headers;
  pathname: string;
}

export const decoder = new TextDecoder();
/**
 * Sends a request to the Worker's fetch handler. 'direct' calls the handler in this isolate
 * with the real env and an execution context whose waitUntil work is awaited; 'loopback'
 * goes through exports.default.fetch (workerd's own request path). The properties use
 * 'direct': each exports.default.fetch call in a test file is slower than the one before
 * (2 ms at first, ~100 ms after 600 calls, seen with vitest-pool-workers 0.15.1), which
 * would make thousands of requests take minutes. The corpus uses 'loopback'.
 */
export async function send(req: Req, via: 'direct' | 'loopback' = 'direct'): Promise<Answer | undefined> {
  let request: Request;
  try {
    const headers = new Headers();
    const auth = authHeader(req.auth);
    if (auth !== undefined) headers.set('authorization', auth);
    if (req.contentType !== undefined) headers.set('content-type', req.contentType);
    const bytes = typeof req.body === 'string' ? new TextEncoder().encode(req.body) : req.body;
    if (req.contentLength !== undefined)
      headers.set('content-length', req.contentLength === 'right' ? String(bytes?.length ?? 0) : req.contentLength);
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
  noteStatus(req.method, pathname, response.status);
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

export const LEAKS =
  /SQLITE_|D1_ERROR|D1_EXEC|json_each\(|no such (table|column)|constraint failed|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Maximum call stack|RangeError|TypeError|ReferenceError/;

export function checkAnswer(req: Req, res: Answer) {
  const where = `${req[fc.toStringMethod]()}\n→ ${res.status} ${res.contentType} ${brief(res.text, 500)}`;
  expect((res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500), `never 5xx (or 1xx/3xx): ${where}`).toBe(true);
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
    if (account !== undefined && req.auth === 'other-account')
      expect(account, `a token of ${B.id} reached another account: ${where}`).toBe(B.id);
  }
}

// ---------------------------------------------------------------------------------------
// Building requests

export const fillPath = (route: RouteInfo, values: Record<string, string>) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'x');

/** Valid path parameter values for account A (encoded). */
export function validParams(): Record<string, string> {
  return { accountId: encodeComponent(A.id), objectType: 'user', objectId: '4711', tokenId: sacrificialTokenIds[0] ?? 'tok_x' };
}

export const paramValue = (name: string): fc.Arbitrary<string> => {
  const valid: Record<string, fc.Arbitrary<string>> = {
    accountId: fc.constantFrom(encodeComponent(A.id), encodeComponent(A.id), encodeComponent(B.id)),
    objectType: fc.constantFrom('user', 'skill', 'agentGroup', 'workingHours'),
    objectId: fc.oneof(fc.constantFrom('4711', '1', '0'), validIdentifier.map(encodeComponent)),
    tokenId: fc.constantFrom(...sacrificialTokenIds, 'tok_nope'),
  };
  return fc.oneof({ arbitrary: valid[name] ?? fc.constant('x'), weight: 8 }, { arbitrary: hostileSegment, weight: 1 });
};

export const queryArb = (keys: string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(
        fc.tuple(
          fc.oneof(
            { arbitrary: keys.length ? fc.constantFrom(...keys) : fc.constant('limit'), weight: 3 },
            { arbitrary: hostileKey, weight: 1 },
          ),
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
export const bodyLimit = (path: string) =>
  path.endsWith('/batch') ? LIMITS.batch : path.endsWith('/changes') ? LIMITS.change : LIMITS.small;

export const changesPath = (accountId: string, batch = false) =>
  `/v1/accounts/${encodeComponent(accountId)}/changes${batch ? '/batch' : ''}`;

/** A body fitting the route (so that what is hostile is elsewhere). */
export function validBodyFor(route: RouteInfo): fc.Arbitrary<string> {
  if (route.path.endsWith('/changes')) return validChange(runPrefix).map(serialize);
  if (route.path.endsWith('/changes/batch'))
    return fc.array(validChange(runPrefix), { minLength: 1, maxLength: 5 }).map((changes) => serialize({ changes }));
  const when = fc.oneof(
    hostileQueryValue,
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    hostileNumber,
  );
  if (route.path.endsWith('/tokens'))
    return fc
      .record(
        {
          name: shortHostileString,
          scopes: fc.subarray(['events:write', 'audit:read', 'audit:export', 'account:admin'], { minLength: 1 }),
          expiresAt: when,
        },
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
export function anyBodyFor(route: RouteInfo): fc.Arbitrary<string | Uint8Array> {
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
// ---------------------------------------------------------------------------------------
// One run: fresh accounts and tokens, the model started over, a summary line at the end

/** Registers the run's setup and its summary line for the hostile-input file calling it. */
export function useHostileRun(property: string): void {
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
    resetModel([A.id, B.id]);

    // exports.default.fetch runs the Worker in this very isolate, so the prototype checks at
    // the end see what the Worker's code did: prove it by watching JSON.parse while it parses.
    const parse = JSON.parse;
    let seen = 0;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
      seen++;
      return parse(...args);
    }) as typeof JSON.parse;
    try {
      await exports.default.fetch(
        new Request(ORIGIN + changesPath(A.id), {
          method: 'POST',
          headers: { authorization: `Bearer ${A.writer}`, 'content-type': 'application/json' },
          body: '{}',
        }),
      );
    } finally {
      JSON.parse = parse;
    }
    expect(seen, 'the Worker runs in the test isolate').toBeGreaterThan(0);
  });

  afterAll(() => {
    const statuses = [...stats.byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    const byProperty = [...stats.byProperty].map(([p, n]) => `${p}: ${n}`).join(', ');
    const verdicts = [...stats.verdicts].map(([v, n]) => `${v}×${n}`).join(' ');
    console.log(
      `hostile input (${property}): ${stats.requests} requests (${stats.unsendable} unsendable skipped) in ${stats.workerMs} ms of Worker time; ${byProperty}; statuses ${statuses}; ` +
        `bodies judged by the contract: ${verdicts}; ${stats.rowsCompared} stored rows compared one by one`,
    );
  });
}

export function prototypeKeys() {
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

// ---------------------------------------------------------------------------------------
// Every status answered is declared in the OpenAPI document

/** "METHOD /path/{template}" → the statuses that route answered in this run. */
export const answeredStatuses = new Map<string, Set<number>>();
const ROUTE_PATTERNS = ROUTES.filter((r) => r.declared).map((r) => ({
  route: r,
  pattern: new RegExp(`^${r.path.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

/** Counts an answer under the declared route its method and path match exactly, if any. */
function noteStatus(method: string, pathname: string, status: number): void {
  const match = ROUTE_PATTERNS.find(({ route, pattern }) => route.method === method && pattern.test(pathname));
  if (!match) return;
  const key = `${match.route.method} ${match.route.path}`;
  answeredStatuses.set(key, (answeredStatuses.get(key) ?? new Set()).add(status));
}

/** Each (route, status) the run saw is among that operation's responses in /openapi.json. */
export async function expectStatusesDeclared(): Promise<void> {
  const doc = (await call('/openapi.json')).json as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
  const undeclared: string[] = [];
  for (const [key, statuses] of answeredStatuses) {
    const [method, path] = key.split(' ') as [string, string];
    const responses = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
    for (const status of statuses)
      if (!(String(status) in responses) && !(`${String(status)[0]}XX` in responses) && !('default' in responses))
        undeclared.push(`${key} → ${status}`);
  }
  expect(answeredStatuses.size, 'routes whose answers were collected').toBeGreaterThan(0);
  expect(undeclared.sort(), 'statuses answered but not declared in /openapi.json').toEqual([]);
}
