// The simulated LivePerson's control API (scripts/liveperson-sim), for tests in workerd: the
// simulator runs in vitest's main process (globalSetup) and its URL is the Worker's
// LIVEPERSON_CSDS_URL binding. These tests talk to it over HTTP only, as the connector does; the
// records' shape comes from the simulator's contract module, which imports nothing.
import { env } from 'cloudflare:test';
import type { SimRecord } from '../../scripts/liveperson-sim/contract';

export interface SimCredentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export type { SimRecord };
/** The object types `simGenerate`'s `unknownTypes` rows carry: LivePerson components an importer may not know. */
export { UNKNOWN_OBJECT_TYPES as SIM_UNKNOWN_OBJECT_TYPES } from '../../scripts/liveperson-sim/contract';

export interface SimFault {
  status: number;
  retryAfter?: number;
  count?: number;
  delayMs?: number;
}

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  at: string;
}

/** The simulator's base URL (CSDS and the account's domain in one). */
export function simUrl(): string {
  // Read untyped: wrangler.jsonc's var of the same name (the connector's) types it as its literal default.
  const url = (env as unknown as Record<string, unknown>).LIVEPERSON_CSDS_URL;
  if (typeof url !== 'string' || !url.startsWith('http://'))
    throw new Error('LIVEPERSON_CSDS_URL is not the simulator (see vitest.config.ts)');
  return url;
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${simUrl()}/_sim/accounts/${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`simulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const site = (siteId: string) => encodeURIComponent(siteId);

/** Creates (or replaces, empty) the simulated account. `permissions: false` → its export answers 403. */
export async function simAccount(siteId: string, credentials: SimCredentials, options: { permissions?: boolean } = {}): Promise<void> {
  await control('PUT', site(siteId), { credentials, ...options });
}

export async function simDeleteAccount(siteId: string): Promise<void> {
  await control('DELETE', site(siteId));
}

export async function simRecords(siteId: string, records: readonly SimRecord[]): Promise<void> {
  await control('POST', `${site(siteId)}/records`, { records });
}

export interface SimGenerateOptions {
  from: string;
  days: number;
  rowsPerDay: number;
  seed?: number;
  /** Rows (in all) of object types an importer will not know ("Secure Forms", "Bot Connectors"). */
  unknownTypes?: number;
}

export async function simGenerate(siteId: string, options: SimGenerateOptions): Promise<{ records: number }> {
  return (await control('POST', `${site(siteId)}/generate`, options)) as { records: number };
}

/** The next requests of that kind (or of any kind) fail with these statuses, in order. */
export async function simFaults(siteId: string, faults: readonly SimFault[], path?: 'export' | 'query' | 'csds'): Promise<void> {
  await control('POST', `${site(siteId)}/faults`, { faults, path });
}

export async function simRequests(siteId: string): Promise<SimRequest[]> {
  return ((await control('GET', `${site(siteId)}/requests`)) as { requests: SimRequest[] }).requests;
}
