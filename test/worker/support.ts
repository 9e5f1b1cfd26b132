// Test helpers: requests through the Worker's real fetch handler (routing, auth, D1).
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Scope } from '../../shared/vocabulary';

export const OPERATOR = env.OPERATOR_TOKEN;
const ORIGIN = 'https://audit.test';

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  /** Sent as is (not JSON-encoded). */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export async function call(path: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const response = await exports.default.fetch(
    new Request(ORIGIN + path, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body }),
  );
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

let counter = 0;
/** A fresh account (unique id per call) with one token per scope and an all-scopes token. */
export async function newAccount(options: { auditEnabledAt?: string; timezone?: string; retentionMonths?: number } = {}) {
  const id = `acct-${Date.now().toString(36)}-${++counter}`;
  const created = await call('/v1/accounts', {
    token: OPERATOR,
    body: { id, name: `Account ${id}`, auditEnabledAt: options.auditEnabledAt ?? '2020-01-01T00:00:00Z', ...options },
  });
  if (created.status !== 201) throw new Error(`account not created: ${created.text}`);
  const token = async (scopes: Scope[], name = scopes.join('+')) => {
    const res = await call(`/v1/accounts/${id}/tokens`, { token: OPERATOR, body: { name, scopes } });
    if (res.status !== 201) throw new Error(`token not created: ${res.text}`);
    return res.json.token as string;
  };
  return {
    id,
    writer: await token(['events:write']),
    reader: await token(['audit:read']),
    exporter: await token(['audit:export']),
    admin: await token(['account:admin']),
    token,
  };
}

let changeCounter = 0;
export const changeId = (prefix = 'c') => `${prefix}-${Date.now().toString(36)}-${++changeCounter}`;

/** A change with explicit elements; override any field. */
export function aChange(overrides: Record<string, unknown> = {}) {
  return {
    changeId: changeId(),
    objectType: 'user',
    objectId: '4711',
    objectName: 'Jane Doe',
    action: 'edit',
    originator: { id: '17', name: 'Admin Amy' },
    elements: [{ element: 'Member of', oldValue: 'Tier 1', newValue: 'Tier 2' }],
    ...overrides,
  };
}

/** Records changes (each `aChange` with these overrides) in one batch, which must be accepted. */
export async function recordChanges(account: { id: string; writer: string }, overrides: Record<string, unknown>[]) {
  const res = await call(`/v1/accounts/${account.id}/changes/batch`, {
    token: account.writer,
    body: { changes: overrides.map((o) => aChange(o)) },
  });
  expect(res.status, res.text).toBe(201);
  return res;
}
