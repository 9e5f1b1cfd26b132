// A simulated LivePerson on one HTTP server: the Domain API (CSDS) and the account's domain,
// whose baseURI is this server's host:port. LivePerson's endpoints are answered in the shapes
// of the public documentation; `/_sim/…` is the simulator's own control API (no auth) that
// tests and the demo use to create accounts, add or generate records, inject faults and read
// the request log. Built from the documentation only: nothing here imports the Worker.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Temporal } from 'temporal-polyfill';
import { AccountConfig, CONFIG_TYPES, isConfigType, type SessionUser } from './account-config';
import { exportCsv, type ExportCriteria } from './csv-export';
import { generateRecords } from './generate';
import { parseAuditQuery, selectFields, type ArgValue } from './json-query';
import { verifyOAuth1, type Credentials } from './oauth';
import { ACTION_TYPES, type SimRecord } from './contract';
import { RecordStore, internalTypeName, type StoredRecord } from './records';
import { BadParameter, DEFAULT_TIMEZONE, checkTimeZone, dayWindow, parseDay, wallTimeFormatter } from './time';

export type FaultPath = 'export' | 'query' | 'csds';

interface Fault {
  status: number;
  retryAfter?: number;
  /** Wait before answering (a slow or hanging LivePerson). */
  delayMs?: number;
  count: number;
  path?: FaultPath;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  at: string;
}

interface Account {
  credentials: Credentials;
  permissions: boolean;
  store: RecordStore;
  faults: Fault[];
  requests: LoggedRequest[];
  /** Users, skills, agent groups and profiles, as the Account Configuration API keeps them. */
  config: AccountConfig;
  /** Login Service bearer tokens → who they sign in as. */
  sessions: Map<string, SessionUser>;
}

export interface LivePersonSim {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_LIMIT = 1_000_000;
const MAX_BODY = 64 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body?: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

function parseCredentials(value: unknown): Credentials {
  if (!isObject(value)) throw new HttpError(400, 'credentials must be an object');
  const { consumerKey, consumerSecret, token, tokenSecret } = value;
  if (![consumerKey, consumerSecret, token, tokenSecret].every((v) => isString(v) && v.length > 0)) {
    throw new HttpError(400, 'credentials need consumerKey, consumerSecret, token and tokenSecret (non-empty strings)');
  }
  return { consumerKey, consumerSecret, token, tokenSecret } as Credentials;
}

const RECORD_STRINGS = [
  'objectType',
  'objectId',
  'objectName',
  'element',
  'oldValue',
  'newValue',
  'originator',
  'originatorEmployeeId',
  'originatorProfiles',
] as const;

function parseRecord(value: unknown, index: number): SimRecord {
  const where = `records[${index}]`;
  if (!isObject(value)) throw new HttpError(400, `${where} must be an object`);
  for (const key of RECORD_STRINGS) if (!isString(value[key])) throw new HttpError(400, `${where}.${key} must be a string`);
  if (!(ACTION_TYPES as readonly unknown[]).includes(value.actionType))
    throw new HttpError(400, `${where}.actionType must be one of ${ACTION_TYPES.join(', ')}`);
  if (!isString(value.occurredAt) || Number.isNaN(Date.parse(value.occurredAt)))
    throw new HttpError(400, `${where}.occurredAt must be an ISO 8601 instant`);
  if (value.originatorId !== undefined && !isString(value.originatorId)) throw new HttpError(400, `${where}.originatorId must be a string`);
  return value as unknown as SimRecord;
}

function parseFaults(body: unknown): Fault[] {
  if (!isObject(body) || !Array.isArray(body.faults))
    throw new HttpError(400, 'body must be {"faults":[{status, retryAfter?, count?, delayMs?}], "path"?}');
  const path = body.path;
  if (path !== undefined && path !== 'export' && path !== 'query' && path !== 'csds')
    throw new HttpError(400, 'path must be "export", "query" or "csds"');
  return body.faults.map((fault, i) => {
    if (!isObject(fault) || !Number.isInteger(fault.status) || (fault.status as number) < 400 || (fault.status as number) > 599) {
      throw new HttpError(400, `faults[${i}].status must be an HTTP error status (400–599)`);
    }
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || (count as number) < 1) throw new HttpError(400, `faults[${i}].count must be a positive integer`);
    for (const key of ['retryAfter', 'delayMs'] as const) {
      if (fault[key] !== undefined && (typeof fault[key] !== 'number' || (fault[key] as number) < 0))
        throw new HttpError(400, `faults[${i}].${key} must be a non-negative number`);
    }
    return {
      status: fault.status as number,
      count: count as number,
      retryAfter: fault.retryAfter as number | undefined,
      delayMs: fault.delayMs as number | undefined,
      path,
    };
  });
}

const list = (value: string | null) =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

function matcher(users: readonly string[], componentTypes: readonly string[]): (r: StoredRecord) => boolean {
  const types = new Set(componentTypes.map(internalTypeName));
  const people = new Set(users);
  return (r) =>
    (types.size === 0 || types.has(internalTypeName(r.objectType))) &&
    (people.size === 0 || people.has(r.originatorId) || people.has(r.originator) || people.has(r.originatorEmployeeId));
}

function* filtered(
  records: Iterable<StoredRecord>,
  keep: (r: StoredRecord) => boolean,
  skip: number,
  take: number,
): Generator<StoredRecord> {
  if (take <= 0) return;
  for (const r of records) {
    if (!keep(r)) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    yield r;
    if (--take === 0) return;
  }
}

function count(records: Iterable<StoredRecord>, keep: (r: StoredRecord) => boolean): number {
  let n = 0;
  for (const r of records) if (keep(r)) n++;
  return n;
}

function positiveInt(value: string | null, parameter: string, fallback: number): number {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new BadParameter(parameter, `${parameter} must be a positive integer`);
  return Number(value);
}

function argString(args: Record<string, ArgValue>, name: string): string | null {
  const value = args[name];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new BadParameter(name, `${name} must be a string`);
  return value;
}

function argList(args: Record<string, ArgValue>, name: string): string[] {
  const value = args[name];
  if (value === undefined) return [];
  if (typeof value === 'string') return list(value);
  if (Array.isArray(value) && value.every(isString)) return value;
  throw new BadParameter(name, `${name} must be a list of strings`);
}

function argInt(args: Record<string, ArgValue>, name: string, fallback: number, min: number): number {
  const value = args[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new BadParameter(name, `${name} must be an integer ≥ ${min}`);
  return value;
}

export async function startLivePersonSim(options: { port?: number; host?: string } = {}): Promise<LivePersonSim> {
  const host = options.host ?? '127.0.0.1';
  const accounts = new Map<string, Account>();
  let baseURI = '';

  const account = (siteId: string): Account => {
    const found = accounts.get(siteId);
    if (!found) throw new HttpError(404, `no account ${siteId}`);
    return found;
  };

  /** The next queued fault for this kind of request, consumed. */
  const takeFault = (acct: Account, path: FaultPath): Fault | undefined => {
    const index = acct.faults.findIndex((f) => f.path === undefined || f.path === path);
    if (index < 0) return undefined;
    const fault = acct.faults[index]!;
    if (--fault.count === 0) acct.faults.splice(index, 1);
    return fault;
  };

  /** LivePerson's own endpoints: logged per account, faults first (a gateway answers those before auth). */
  async function handleLivePerson(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    siteId: string,
    kind: FaultPath,
  ): Promise<void> {
    const acct = accounts.get(siteId);
    const log = (status: number) =>
      acct?.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
        at: new Date().toISOString(),
      });
    if (!acct) {
      send(res, 404, { code: 404, message: `Account ${siteId} not found` });
      return;
    }
    const fault = takeFault(acct, kind);
    if (fault) {
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      log(fault.status);
      send(
        res,
        fault.status,
        { code: fault.status, message: fault.status === 429 ? 'Too Many Requests' : 'Simulated failure' },
        fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) },
      );
      return;
    }
    if (kind === 'csds') {
      log(200);
      const service = url.pathname.split('/')[5];
      if (url.pathname.endsWith('/service/baseURI.json')) {
        send(res, 200, {
          baseURIs: ['accountConfigReadOnly', 'accountConfigReadWrite'].map((s) => ({ service: s, account: siteId, baseURI })),
        });
      } else send(res, 200, { service, account: siteId, baseURI });
      return;
    }
    const verdict = verifyOAuth1(
      {
        method: req.method ?? 'GET',
        url: `http://${req.headers.host ?? baseURI}${req.url ?? ''}`,
        authorization: req.headers.authorization,
      },
      acct.credentials,
    );
    if (!verdict.ok) {
      log(401);
      send(res, 401, { code: 401, message: `Unauthorized: ${verdict.reason}` }, { 'www-authenticate': 'OAuth realm="liveperson"' });
      return;
    }
    if (!acct.permissions) {
      log(403);
      send(res, 403, { code: 403, message: 'Forbidden: the API key lacks the Audit Trail permission' });
      return;
    }
    try {
      if (kind === 'export') await answerExport(res, url, acct, log);
      else await answerQuery(req, res, acct, log);
    } catch (error) {
      if (!(error instanceof BadParameter)) throw error;
      log(400);
      send(res, 400, { code: 400, message: error.message, parameter: error.parameter });
    }
  }

  async function answerExport(res: http.ServerResponse, url: URL, acct: Account, log: (status: number) => void): Promise<void> {
    const q = url.searchParams;
    const from = parseDay(q.get('fromDate'), 'fromDate');
    const to = parseDay(q.get('toDate'), 'toDate');
    if (Temporal.PlainDate.compare(from, to) > 0) throw new BadParameter('toDate', 'toDate must not be before fromDate');
    const timeZone = checkTimeZone(q.get('timezone') || DEFAULT_TIMEZONE);
    const limit = positiveInt(q.get('limit'), 'limit', DEFAULT_LIMIT);
    const criteria: ExportCriteria = {
      fromDate: from.toString(),
      toDate: to.toString(),
      users: list(q.get('users')),
      componentTypes: list(q.get('componentTypes')),
      timeZone,
      language: q.get('language') || 'en-US',
    };
    const { start, end } = dayWindow(from, to, timeZone);
    const keep = matcher(criteria.users, criteria.componentTypes);
    const total = count(acct.store.between(start, end), keep);
    log(200);
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit-trail.csv"' });
    const rows = filtered(acct.store.between(start, end), keep, 0, limit);
    await pipeline(Readable.from(exportCsv(criteria, total, rows, wallTimeFormatter(timeZone))), res).catch(() => {
      // The client went away mid-stream; nothing to answer any more.
    });
  }

  async function answerQuery(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    acct: Account,
    log: (status: number) => void,
  ): Promise<void> {
    const body = await readJson(req).catch(() => {
      throw new BadParameter('query', 'body is not JSON');
    });
    const query = parseAuditQuery(isObject(body) ? body.query : undefined);
    const from = parseDay(argString(query.args, 'fromDate'), 'fromDate');
    const to = parseDay(argString(query.args, 'toDate'), 'toDate');
    if (Temporal.PlainDate.compare(from, to) > 0) throw new BadParameter('toDate', 'toDate must not be before fromDate');
    const timeZone = checkTimeZone(argString(query.args, 'timezone') || DEFAULT_TIMEZONE);
    const first = argInt(query.args, 'first', 100, 1);
    const offset = argInt(query.args, 'offset', 0, 0);
    const { start, end } = dayWindow(from, to, timeZone);
    const keep = matcher(argList(query.args, 'users'), argList(query.args, 'componentTypes'));
    const total = count(acct.store.between(start, end), keep);
    const wallTime = wallTimeFormatter(timeZone);
    const page = [...filtered(acct.store.between(start, end), keep, offset, first)].map((r) => selectFields(r, query.fields, wallTime));
    log(200);
    send(res, 200, { data: { auditData: page } }, { 'x-total-count': String(total) });
  }

  async function handleControl(req: http.IncomingMessage, res: http.ServerResponse, siteId: string, rest: string): Promise<void> {
    const method = req.method;
    if (rest === '' && method === 'PUT') {
      const body = await readJson(req);
      if (!isObject(body)) throw new HttpError(400, 'body must be {"credentials":{…}, "permissions"?: boolean}');
      if (body.permissions !== undefined && typeof body.permissions !== 'boolean')
        throw new HttpError(400, 'permissions must be a boolean');
      accounts.set(siteId, {
        credentials: parseCredentials(body.credentials),
        permissions: body.permissions ?? true,
        store: new RecordStore(),
        faults: [],
        requests: [],
        config: new AccountConfig(),
        sessions: new Map(),
      });
      return send(res, 204);
    }
    if (rest === '' && method === 'DELETE') {
      accounts.delete(siteId);
      return send(res, 204);
    }
    if (rest === '/records' && method === 'POST') {
      const acct = account(siteId);
      const body = await readJson(req);
      if (!isObject(body) || !Array.isArray(body.records)) throw new HttpError(400, 'body must be {"records":[…]}');
      acct.store.append(body.records.map(parseRecord));
      return send(res, 204);
    }
    if (rest === '/generate' && method === 'POST') {
      const acct = account(siteId);
      const body = await readJson(req);
      if (!isObject(body)) throw new HttpError(400, 'body must be {from, days, rowsPerDay, seed?, unknownTypes?}');
      const from = parseDay(isString(body.from) ? body.from : null, 'from').toString();
      const ints = { days: body.days, rowsPerDay: body.rowsPerDay, seed: body.seed ?? 1, unknownTypes: body.unknownTypes ?? 0 };
      for (const [key, value] of Object.entries(ints))
        if (!Number.isInteger(value) || (value as number) < 0) throw new HttpError(400, `${key} must be a non-negative integer`);
      const records = generateRecords({
        from,
        ...(ints as { days: number; rowsPerDay: number; seed: number; unknownTypes: number }),
      });
      acct.store.append(records);
      return send(res, 200, { records: records.length });
    }
    if (rest === '/faults' && method === 'POST') {
      const acct = account(siteId);
      acct.faults.push(...parseFaults(await readJson(req)));
      return send(res, 204);
    }
    if (rest === '/objects' && method === 'PUT') {
      const acct = account(siteId);
      const body = await readJson(req);
      if (!isObject(body)) throw new HttpError(400, `body must be {${CONFIG_TYPES.join('?, ')}?} with lists of objects`);
      for (const type of CONFIG_TYPES) {
        const objects = body[type];
        if (objects !== undefined && !(Array.isArray(objects) && objects.every((o) => isObject(o) && o.id !== undefined)))
          throw new HttpError(400, `${type} must be a list of objects with an id`);
      }
      acct.config.seed(body as Record<string, Record<string, unknown>[]>);
      return send(res, 204);
    }
    if (rest === '/sessions' && method === 'POST') {
      const acct = account(siteId);
      const body = await readJson(req);
      const user = isObject(body) ? body.user : undefined;
      if (!isObject(body) || !isString(body.token) || !body.token || !isObject(user) || !isString(user.id) || !isString(user.name))
        throw new HttpError(400, 'body must be {"token": "…", "user": {"id", "name", "employeeId"?, "profiles"?}}');
      acct.sessions.set(body.token, {
        id: user.id,
        name: user.name,
        employeeId: isString(user.employeeId) ? user.employeeId : '',
        profiles: isString(user.profiles) ? user.profiles : 'Administrator',
      });
      return send(res, 204);
    }
    if (rest === '/requests' && method === 'GET') return send(res, 200, { requests: account(siteId).requests });
    throw new HttpError(404, `no control endpoint ${method} /_sim/accounts/${siteId}${rest}`);
  }

  /** The Account Configuration API's write of one object: a signed-in user (bearer), the whole object; audit rows recorded. */
  async function handleConfigWrite(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    siteId: string,
    type: string,
    id: string,
  ) {
    // The workspace is a web page on another origin: answer its CORS preflight and reads.
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PUT, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type',
    };
    if (req.method === 'OPTIONS') return send(res, 204, undefined, cors);
    const acct = accounts.get(siteId);
    if (!acct) return send(res, 404, { code: 404, message: `Account ${siteId} not found` }, cors);
    const log = (status: number) =>
      acct.requests.push({ method: req.method ?? '', path: url.pathname, query: {}, status, at: new Date().toISOString() });
    if (!isConfigType(type)) {
      log(404);
      return send(res, 404, { code: 404, message: `no configuration type ${type}` }, cors);
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = bearer === undefined ? undefined : acct.sessions.get(bearer);
    if (!user) {
      log(401);
      return send(res, 401, { code: 401, message: 'Unauthorized: sign in (Login Service bearer token)' }, cors);
    }
    const body = await readJson(req);
    if (!isObject(body)) {
      log(400);
      return send(res, 400, { code: 400, message: 'body must be the object as JSON' }, cors);
    }
    acct.store.append(acct.config.write(type, id, body, user, new Date()));
    log(200);
    return send(res, 200, acct.config.get(type, id), cors);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const path = url.pathname;
    const handle = async () => {
      let match = /^\/_sim\/accounts\/([^/]+)(\/[a-z]+)?$/.exec(path);
      if (match) return handleControl(req, res, decodeURIComponent(match[1]!), match[2] ?? '');
      match = /^\/api\/account\/([^/]+)\/service\/(?:[^/]+\/)?baseURI\.json$/.exec(path);
      if (match && req.method === 'GET') return handleLivePerson(req, res, url, decodeURIComponent(match[1]!), 'csds');
      match = /^\/api\/account\/([^/]+)\/configuration\/metadata\/audit\/export$/.exec(path);
      if (match && req.method === 'GET') return handleLivePerson(req, res, url, decodeURIComponent(match[1]!), 'export');
      match = /^\/api\/account\/([^/]+)\/configuration\/le-users\/([A-Za-z]+)\/([^/]+)$/.exec(path);
      if (match && (req.method === 'PUT' || req.method === 'OPTIONS'))
        return handleConfigWrite(req, res, url, decodeURIComponent(match[1]!), match[2]!, decodeURIComponent(match[3]!));
      match = /^\/api\/account\/([^/]+)\/configuration\/metadata\/audit$/.exec(path);
      if (match && req.method === 'POST') return handleLivePerson(req, res, url, decodeURIComponent(match[1]!), 'query');
      throw new HttpError(404, `not found: ${req.method} ${path}`);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) send(res, error.status, { error: error.message });
      else if (error instanceof BadParameter) send(res, 400, { error: error.message, parameter: error.parameter });
      else send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const reachableHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  baseURI = `${reachableHost}:${port}`;
  return {
    url: `http://${baseURI}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
