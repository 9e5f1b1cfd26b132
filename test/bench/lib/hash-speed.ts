// Run in a process of its own, like the offline verifier (npx tsx test/bench/lib/hash-speed.ts
// <export.ndjson> <lines>): the time per event of the Worker's own eventHash (what scripts/verify
// calls), of a WebCrypto SHA-256 awaited per event, and of node:crypto's synchronous SHA-256, each
// over the same RFC 8785 canonical JSON of the first <lines> events, 3 alternating rounds.
// Prints JSON: { events, workerAsync, workerUs: [...], webCryptoUs: [...], nodeCryptoUs: [...] }.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { eventHash, eventHashInput, type EventView } from '../../../worker/domain/event-view';

const [file, count = '20000'] = process.argv.slice(2);
if (!file) throw new Error('usage: hash-speed.ts <export.ndjson> [lines]');
const events: EventView[] = [];
const input = createReadStream(file, 'utf8');
const lines = createInterface({ input, crlfDelay: Infinity });
for await (const line of lines) {
  if (events.length >= Number(count)) break;
  if (!line.trim()) continue;
  const value = JSON.parse(line);
  // The export's header line and retention stubs are not events.
  if (value.type !== 'audit-trail.export' && !value.hidden) events.push(value);
}
lines.close();
input.destroy();

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) => Buffer.from(bytes).toString('hex');
const check = (event: EventView, hash: string) => {
  if (hash !== event.hash) throw new Error(`hash mismatch at seq ${event.seq}`);
};
const workerAsync = (eventHash(events[0]!) as unknown) instanceof Promise;
const workerUs: number[] = [];
const webCryptoUs: number[] = [];
const nodeCryptoUs: number[] = [];
const perEvent = (started: number) => ((performance.now() - started) * 1000) / events.length;
for (let round = 0; round < 3; round++) {
  let started = performance.now();
  for (const event of events) check(event, await eventHash(event));
  workerUs.push(perEvent(started));
  started = performance.now();
  for (const event of events) check(event, hex(await crypto.subtle.digest('SHA-256', encoder.encode(eventHashInput(event)))));
  webCryptoUs.push(perEvent(started));
  started = performance.now();
  for (const event of events) check(event, createHash('sha256').update(eventHashInput(event)).digest('hex'));
  nodeCryptoUs.push(perEvent(started));
}
console.log(JSON.stringify({ events: events.length, workerAsync, workerUs, webCryptoUs, nodeCryptoUs }));
