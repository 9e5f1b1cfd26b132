// `wrangler dev --no-bundle` for the benchmarks, through the API the command itself calls
// (unstable_startWorker), without two conveniences of development that cost every request CPU
// no deployed Worker spends: the devtools inspector (the command always attaches one and
// enables its Network domain; wrangler 4.86 then posts every devtools event, four per
// subrequest such as a D1 call, to its Node process, which appends each to a debug log file)
// and, unless logLevel is "log", the request log line (one more post and append per request).
// What they cost is measured in docs/BENCHMARKS.md ("How the Worker runs"). Everything else is
// the command's: the same config, local bindings and D1, the same proxy in front of the Worker.
//
// BENCH_DEV_SERVER='{"config": …, "hostname": …, "port": …, "persistTo": …, "logLevel": …, "vars": {…}}' node --import tsx dev-server.ts
// prints "ready <url>" once it serves; SIGINT or SIGTERM stops it.
import { unstable_startWorker } from 'wrangler';

export interface DevServerOptions {
  config: string;
  hostname: string;
  port: number;
  persistTo: string;
  logLevel: 'warn' | 'log';
  vars: Record<string, string>;
}

const { config, hostname, port, persistTo, logLevel, vars } = JSON.parse(process.env.BENCH_DEV_SERVER ?? '') as DevServerOptions;
const worker = await unstable_startWorker({
  config,
  build: { bundle: false },
  bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: 'plain_text' as const, value }])),
  dev: { remote: false, server: { hostname, port }, inspector: false, persist: persistTo, watch: false, logLevel },
});
await worker.ready;
console.log(`ready ${(await worker.url).href}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.dispose(); // lets workerd flush local state
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
