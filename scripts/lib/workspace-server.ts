// The demo Agent Workspace (test/fixtures/agent-workspace/) served over HTTP, with the
// Worker URL, the account id and an events:write token injected as /config.js, so that
// saving a form records the change as the platform would. Used by npm start and the
// end-to-end tests. The page lives at /a/{accountId}/ (the host page contract).
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKSPACE_DIR = fileURLToPath(new URL('../../test/fixtures/agent-workspace/', import.meta.url));

/** Objects the workspace lists and edits, as the platform's config API returns them. */
export interface WorkspaceData {
  users: Record<string, unknown>[];
  skills: Record<string, unknown>[];
  agentGroups: Record<string, unknown>[];
  profiles: Record<string, unknown>[];
}

export interface WorkspaceServerOptions {
  /** The Audit Trail Worker, e.g. http://127.0.0.1:8787. */
  workerUrl: string;
  accountId: string;
  /** A token with the events:write scope. */
  writeToken: string;
  /** Who saves changes in this workspace; default Admin Amy (user 4715 of the fixture data). */
  originator?: { id: string; name: string };
  /** Default: test/fixtures/agent-workspace/data.json. */
  data?: WorkspaceData;
  /** Save to this (simulated) LivePerson instead of recording through the Worker: its URL and
   *  the bearer token a signed-in user would have (scripts/liveperson-sim, /_sim/…/sessions). */
  livePerson?: { url: string; bearer: string };
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
}

export interface RunningWorkspace {
  /** The workspace's start page, http://host:port/a/{accountId}/ */
  url: string;
  origin: string;
  close(): Promise<void>;
}

const STATIC: Record<string, string> = {
  '/assets/app.js': 'text/javascript; charset=utf-8',
  '/assets/app.css': 'text/css; charset=utf-8',
};

export async function loadWorkspaceData(): Promise<WorkspaceData> {
  return JSON.parse(await readFile(path.join(WORKSPACE_DIR, 'data.json'), 'utf8')) as WorkspaceData;
}

export async function startWorkspaceServer(options: WorkspaceServerOptions): Promise<RunningWorkspace> {
  const data = options.data ?? (await loadWorkspaceData());
  const config = {
    apiUrl: options.workerUrl.replace(/\/+$/, ''),
    accountId: options.accountId,
    token: options.writeToken,
    originator: options.originator ?? { id: '4715', name: 'Amy Admin' },
    data,
    ...(options.livePerson ? { livePerson: { url: options.livePerson.url.replace(/\/+$/, ''), bearer: options.livePerson.bearer } } : {}),
  };
  // Escape "<" so no value can close the script element.
  const configJs = `window.AGENT_WORKSPACE = ${JSON.stringify(config).replace(/</g, '\\u003c')};\n`;
  const home = `/a/${encodeURIComponent(options.accountId)}/`;

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://workspace');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed');
    if (url.pathname === '/') {
      res.writeHead(302, { location: home });
      return res.end();
    }
    if (url.pathname === '/config.js') return send(res, 200, 'text/javascript; charset=utf-8', configJs);
    const type = STATIC[url.pathname];
    if (type) return send(res, 200, type, await readFile(path.join(WORKSPACE_DIR, path.basename(url.pathname))));
    if (/^\/a\/[^/]+\/?$/.test(url.pathname)) {
      if (!url.pathname.endsWith('/')) {
        res.writeHead(302, { location: url.pathname + '/' + url.search });
        return res.end();
      }
      return send(res, 200, 'text/html; charset=utf-8', await readFile(path.join(WORKSPACE_DIR, 'index.html')));
    }
    if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', 'Not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, 'text/plain', String(error)));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    url: origin + home,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
