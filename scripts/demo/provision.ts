// Creating the demo account and its tokens through the API, once; later starts reuse them.
// Tokens are shown only once by the API, so they are kept in .wrangler/demo-tokens.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Api } from '../lib/api-client';
import type { Scope } from '../../shared/vocabulary';
import { DEMO_ACCOUNT } from './account';

/** One token per role, each with what it is for. */
export const DEMO_TOKEN_ROLES = [
  { role: 'emitter', name: 'Demo workspace (emitter)', scopes: ['events:write'], purpose: 'the demo workspace posts changes with it' },
  { role: 'viewer', name: 'Viewer', scopes: ['audit:read'], purpose: 'sees the audit trail' },
  {
    role: 'viewerWithExport',
    name: 'Viewer with export',
    scopes: ['audit:read', 'audit:export'],
    purpose: 'sees and exports the audit trail',
  },
  { role: 'accountAdmin', name: 'Account admin', scopes: ['account:admin'], purpose: 'manages tokens and settings' },
  {
    role: 'admin',
    name: 'Admin (all scopes)',
    scopes: ['events:write', 'audit:read', 'audit:export', 'account:admin'],
    purpose: 'everything',
  },
] as const satisfies readonly { role: string; name: string; scopes: readonly Scope[]; purpose: string }[];
type DemoTokenRole = (typeof DEMO_TOKEN_ROLES)[number];

export interface AccountView {
  id: string;
  name: string;
  timezone: string;
  retentionMonths: number;
  auditEnabledAt: string;
  createdAt: string;
}

export interface DemoToken {
  role: string;
  name: string;
  scopes: Scope[];
  id: string;
  token: string;
}

interface TokenFile {
  accountId: string;
  tokens: DemoToken[];
}

/** The demo account, created if it does not exist yet. */
export async function ensureDemoAccount(api: Api, operatorToken: string): Promise<{ account: AccountView; created: boolean }> {
  const path = `/v1/accounts/${DEMO_ACCOUNT.id}`;
  const existing = await api<AccountView>(path, { token: operatorToken, accept: [404] });
  if (existing.status === 200) return { account: existing.body, created: false };
  const auditEnabledAt = new Date(Date.now() - DEMO_ACCOUNT.auditEnabledDaysAgo * 86_400_000);
  auditEnabledAt.setUTCHours(0, 0, 0, 0);
  const created = await api<AccountView>('/v1/accounts', {
    token: operatorToken,
    accept: [409],
    body: { id: DEMO_ACCOUNT.id, name: DEMO_ACCOUNT.name, timezone: DEMO_ACCOUNT.timezone, auditEnabledAt: auditEnabledAt.toISOString() },
  });
  // 409: created by someone else in the meantime.
  if (created.status === 409) return { account: (await api<AccountView>(path, { token: operatorToken })).body, created: false };
  return { account: created.body, created: true };
}

/** One token per demo role: the stored one while the Worker still accepts it, else a new one. */
export async function ensureDemoTokens(
  api: Api,
  operatorToken: string,
  accountId: string,
  file: string,
): Promise<{ tokens: DemoToken[]; created: string[] }> {
  const stored = readTokenFile(file, accountId);
  const tokens: DemoToken[] = [];
  const created: string[] = [];
  for (const role of DEMO_TOKEN_ROLES) {
    const previous = stored.find((token) => token.role === role.role);
    if (previous && (await stillValid(api, accountId, previous, role))) {
      tokens.push(previous);
      continue;
    }
    const fresh = await api<{ id: string; token: string }>(`/v1/accounts/${accountId}/tokens`, {
      token: operatorToken,
      body: { name: role.name, scopes: role.scopes },
    });
    tokens.push({ role: role.role, name: role.name, scopes: [...role.scopes], id: fresh.body.id, token: fresh.body.token });
    created.push(role.role);
  }
  if (created.length) writeTokenFile(file, { accountId, tokens });
  return { tokens, created };
}

async function stillValid(api: Api, accountId: string, token: DemoToken, role: DemoTokenRole): Promise<boolean> {
  const me = await api<{ scopes: string[] }>(`/v1/accounts/${accountId}/me`, { token: token.token, accept: [401, 403, 404] });
  return me.status === 200 && sameScopes(me.body.scopes, role.scopes);
}

function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((scope) => b.includes(scope));
}

function readTokenFile(file: string, accountId: string): DemoToken[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as TokenFile;
    return parsed.accountId === accountId && Array.isArray(parsed.tokens) ? parsed.tokens : [];
  } catch {
    return []; // unreadable: make new tokens
  }
}

function writeTokenFile(file: string, content: TokenFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
}
