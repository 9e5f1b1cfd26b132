// A keep-alive HTTP client for the benchmarks: one socket, requests one after another,
// so latencies are the Worker's and not connection setup's.
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** A request whose socket stays silent this long fails (instead of hanging the benchmark). */
const IDLE_TIMEOUT_MS = 120_000;

export class Client {
  private agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  constructor(
    readonly base: string,
    private token?: string,
  ) {}

  withToken(token: string) {
    return new Client(this.base, token);
  }

  request(method: string, path: string, body?: unknown): Promise<Reply> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      });
      req.setTimeout(IDLE_TIMEOUT_MS, () =>
        req.destroy(new Error(`${method} ${path}: no answer for ${IDLE_TIMEOUT_MS / 1000} s (the Worker hung or restarted)`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body: unknown) {
    return this.request('POST', path, body);
  }

  /** Like request, but throws unless the status is one of `ok`. */
  async expect(method: string, path: string, body: unknown, ok: number[] = [200, 201]): Promise<Reply> {
    const reply = await this.request(method, path, body);
    if (!ok.includes(reply.status)) throw new Error(`${method} ${path} answered ${reply.status}: ${reply.body.slice(0, 2000)}`);
    return reply;
  }

  close() {
    this.agent.destroy();
  }
}

export interface Streamed {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** ms from sending the request to the response headers, and to the first body byte. */
  headersMs: number;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}

/** GET whose body is handed to `onChunk` as it arrives (nothing is kept), on its own socket. */
export function streamGet(base: string, path: string, token: string, onChunk: (chunk: Buffer) => void): Promise<Streamed> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let headersMs = NaN;
    let firstByteMs = NaN;
    let bytes = 0;
    const req = http.request(url, { method: 'GET', headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      headersMs = performance.now() - started;
      res.on('data', (chunk: Buffer) => {
        if (!bytes) firstByteMs = performance.now() - started;
        bytes += chunk.length;
        onChunk(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, headersMs, firstByteMs, totalMs: performance.now() - started, bytes }),
      );
      res.on('error', reject);
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(new Error(`GET ${path}: no data for ${IDLE_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Line feeds in a chunk of a streamed body (rows of a CSV or NDJSON export). */
export function newlines(chunk: Buffer): number {
  let count = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
  return count;
}

/** A new token of `account` with `scopes`, made with the Worker's operator token. */
export async function newToken(worker: { url: string; operatorToken: string }, account: string, name: string, scopes: string[]) {
  const operator = new Client(worker.url, worker.operatorToken);
  const reply = await operator.expect('POST', `/v1/accounts/${account}/tokens`, { name, scopes }, [201]);
  operator.close();
  return JSON.parse(reply.body).token as string;
}
