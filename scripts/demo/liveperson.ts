// The demo's LivePerson: the simulated LivePerson (scripts/liveperson-sim) plays the account's
// LivePerson, with API key strings a person can paste into the extension's options page, the
// workspace's objects as its configuration and the workspace's admin signed in. The demo account
// is connected to it through the Worker's own route, so a save in the demo workspace reaches
// the panel the real way: LivePerson's audit trail, then the connector.
import type { Api } from '../lib/api-client';
import type { WorkspaceData } from '../lib/workspace-server';

/** LivePerson's API key of the demo account: four strings, as LivePerson's API key page shows them. Demo only. */
export const DEMO_LIVEPERSON_KEY = {
  consumerKey: 'demo-app-key-3f9c2a',
  consumerSecret: 'demo-app-secret-81d04e',
  token: 'demo-access-token-5b7e19',
  tokenSecret: 'demo-access-token-secret-c62a0f',
} as const;

/** The Login Service bearer token the demo workspace saves with (its admin is signed in). */
export const DEMO_WORKSPACE_BEARER = 'demo-workspace-session';

/** How far back the demo imports LivePerson's history: a few weeks, so the backfill is seen and soon done. */
export const DEMO_BACKFILL_DAYS = 30;

const control = async (simUrl: string, method: string, path: string, body: unknown) => {
  const response = await fetch(`${simUrl}/_sim/accounts/${path}`, { method, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`simulated LivePerson: ${method} ${path} → ${response.status} ${await response.text()}`);
};

/** Creates the account in the simulator (new on each start: it keeps nothing) with the demo key, the workspace's objects and its admin's session. */
export async function provisionSimAccount(
  simUrl: string,
  accountId: string,
  data: WorkspaceData,
  admin: { id: string; name: string },
): Promise<void> {
  const site = encodeURIComponent(accountId);
  await control(simUrl, 'PUT', site, { credentials: DEMO_LIVEPERSON_KEY });
  await control(simUrl, 'PUT', `${site}/objects`, data);
  await control(simUrl, 'POST', `${site}/sessions`, {
    token: DEMO_WORKSPACE_BEARER,
    user: { id: admin.id, name: admin.name, employeeId: `E${admin.id}`, profiles: 'Administrator' },
  });
}

export interface LivePersonStatusView {
  connected: boolean;
  state: string | null;
  backfill: { from: string; daysTotal: number } | null;
}

/** Connects the demo account to its LivePerson through PUT …/sources/liveperson (an account:admin token). */
export async function connectDemoLivePerson(api: Api, accountId: string, adminToken: string, now = Date.now()) {
  const backfillFrom = new Date(now - DEMO_BACKFILL_DAYS * 86_400_000).toISOString().slice(0, 10);
  const { body } = await api<LivePersonStatusView>(`/v1/accounts/${encodeURIComponent(accountId)}/sources/liveperson`, {
    method: 'PUT',
    token: adminToken,
    body: { auth: { type: 'oauth1', ...DEMO_LIVEPERSON_KEY }, backfillFrom },
  });
  return body;
}
