// A webhook receiver for tests and benchmarks of destinations (worker/destinations): a Node
// HTTP server on loopback that records every delivery (headers, raw body, time) per "hook"
// name and answers as told — fail the next N deliveries with a status (503 by default),
// answer 410 Gone, or answer slowly. Controlled over HTTP, so tests inside workerd can steer
// it: PUT /_control/{hook} {failNext?, failStatus?, status?, delayMs?}; GET /_control/{hook}
// answers what it received; DELETE /_control/{hook} forgets it. Deliveries go to POST /hooks/{hook}.
// The store may outlive a server (`startReceiver({ store })`), so a test can kill the receiver
// and start it again on the same port without losing what it had received.
import http from 'node:http';

export interface Received {
  at: number;
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered. */
  status: number;
}

export interface HookBehaviour {
  /** Fail this many of the next deliveries with failStatus, then accept. */
  failNext: number;
  failStatus: number;
  /** Answer every delivery (after failNext) with this status. */
  status: number;
  delayMs: number;
}

export class ReceiverStore {
  readonly hooks = new Map<string, { behaviour: HookBehaviour; received: Received[] }>();

  hook(name: string) {
    let hook = this.hooks.get(name);
    if (!hook) this.hooks.set(name, (hook = { behaviour: { failNext: 0, failStatus: 503, status: 200, delayMs: 0 }, received: [] }));
    return hook;
  }
}

export interface Receiver {
  port: number;
  store: ReceiverStore;
  /** Stops listening and cuts every open connection (as a crashed receiver would). */
  close(): Promise<void>;
}

const readBody = (request: http.IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

export function startReceiver(options: { port?: number; host?: string; store?: ReceiverStore } = {}): Promise<Receiver> {
  const store = options.store ?? new ReceiverStore();
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://receiver');
    const [, kind, name] = url.pathname.split('/');
    const body = await readBody(request);
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (!name) return json(404, { error: 'no such route' });
    const hook = store.hook(decodeURIComponent(name));
    if (kind === '_control') {
      if (request.method === 'PUT') {
        Object.assign(hook.behaviour, JSON.parse(body || '{}'));
        return json(200, hook.behaviour);
      }
      if (request.method === 'DELETE') {
        store.hooks.delete(decodeURIComponent(name));
        return json(200, {});
      }
      return json(200, { behaviour: hook.behaviour, received: hook.received });
    }
    if (kind !== 'hooks' || request.method !== 'POST') return json(404, { error: 'no such route' });
    const { behaviour } = hook;
    let status = behaviour.status;
    if (behaviour.failNext > 0) {
      behaviour.failNext--;
      status = behaviour.failStatus;
    }
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    hook.received.push({ at: Date.now(), headers, body, status });
    json(status, { ok: status < 300 });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        store,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
