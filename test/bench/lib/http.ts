// A keep-alive HTTP client for the benchmarks: one socket, requests one after another,
// so latencies are the Worker's and not connection setup's.
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

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
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
        res.on('error', reject);
      });
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
