// Runs workerd with V8 flags under `wrangler dev`, for the benchmarks only.
//
// wrangler dev (miniflare) starts workerd as `workerd serve --binary … -` and writes the whole
// configuration to its stdin as a binary Cap'n Proto message; V8 flags are not a workerd
// command-line option but a field of that message (`Config.v8Flags`, pointer 2 of the root
// struct), which miniflare never sets, and neither wrangler nor miniflare has an option for
// it (NODE_OPTIONS only reaches Node, not workerd). Miniflare does start whatever
// MINIFLARE_WORKERD_PATH names instead of its workerd, so the benchmark points that at a
// tiny shell script that runs this file: it reads the configuration from stdin, writes the
// flags of BENCH_WORKERD_V8_FLAGS (space-separated) into `v8Flags`, and runs the real
// workerd (BENCH_WORKERD_REAL) with the same arguments, the patched configuration on its
// stdin and the same stdout, stderr and control pipe (fd 3).
//
// The patch appends one segment to the message (a list of Text) and points the root
// struct's v8Flags slot at it with a far pointer, so nothing else in the message moves.
import { spawn } from 'node:child_process';

const flags = (process.env.BENCH_WORKERD_V8_FLAGS ?? '').split(/\s+/).filter(Boolean);
const real = process.env.BENCH_WORKERD_REAL;
if (!real) {
  console.error('workerd-shim: BENCH_WORKERD_REAL is not set');
  process.exit(2);
}

const args = process.argv.slice(2);
const readsConfig = args[0] === 'serve' && args.includes('--binary') && args.includes('-');

/** Sets Config.v8Flags in a binary (unpacked) Cap'n Proto message. */
export function withV8Flags(message, v8Flags) {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const segmentCount = view.getUint32(0, true) + 1;
  const sizes = Array.from({ length: segmentCount }, (_, i) => view.getUint32(4 + 4 * i, true));
  const tableWords = Math.ceil((4 + 4 * segmentCount) / 8);
  const segmentStart = [];
  let at = tableWords;
  for (const size of sizes) {
    segmentStart.push(at);
    at += size;
  }
  const word = (segment, index) => view.getBigUint64((segmentStart[segment] + index) * 8, true);

  // The root pointer (segment 0, word 0): a struct pointer, or a far pointer to one.
  let segment = 0;
  let position = 0;
  let pointer = word(0, 0);
  if ((pointer & 3n) === 2n) {
    if (pointer & 4n) throw new Error('double-far root pointers are not handled');
    segment = Number(pointer >> 32n);
    position = Number((pointer >> 3n) & 0x1fffffffn);
    pointer = word(segment, position);
  }
  if ((pointer & 3n) !== 0n) throw new Error('the root is not a struct');
  let offset = Number((pointer >> 2n) & 0x3fffffffn);
  if (offset & 0x20000000) offset -= 0x40000000;
  const dataWords = Number((pointer >> 32n) & 0xffffn);
  const pointerCount = Number((pointer >> 48n) & 0xffffn);
  if (pointerCount < 3) throw new Error(`the root struct has ${pointerCount} pointers; v8Flags is pointer 2`);
  const slot = segmentStart[segment] + position + 1 + offset + dataWords + 2; // absolute word index
  if (view.getBigUint64(slot * 8, true) !== 0n) throw new Error('v8Flags is already set');

  // The new segment: [landing pad: list of n pointers][n text pointers][the texts, NUL-terminated, word-padded].
  const texts = v8Flags.map((flag) => Buffer.from(flag + '\0', 'utf8'));
  const textWords = texts.map((t) => Math.ceil(t.length / 8));
  const n = texts.length;
  const newWords = 1 + n + textWords.reduce((a, b) => a + b, 0);
  const extra = Buffer.alloc(newWords * 8);
  const listPointer = (offsetWords, elementSize, count) =>
    1n | (BigInt(offsetWords & 0x3fffffff) << 2n) | (BigInt(elementSize) << 32n) | (BigInt(count) << 35n);
  extra.writeBigUInt64LE(listPointer(0, 6, n), 0); // pointers follow the pad directly
  let textAt = 1 + n;
  texts.forEach((text, i) => {
    const pointerAt = 1 + i;
    extra.writeBigUInt64LE(listPointer(textAt - (pointerAt + 1), 2, text.length), pointerAt * 8);
    text.copy(extra, textAt * 8);
    textAt += textWords[i];
  });

  // The new message: the segment table grows by one entry, the old segments are copied as they are.
  const newCount = segmentCount + 1;
  const newTableWords = Math.ceil((4 + 4 * newCount) / 8);
  const oldBody = message.subarray(tableWords * 8);
  const out = Buffer.alloc(newTableWords * 8 + oldBody.length + extra.length);
  out.writeUInt32LE(newCount - 1, 0);
  sizes.forEach((size, i) => out.writeUInt32LE(size, 4 + 4 * i));
  out.writeUInt32LE(newWords, 4 + 4 * segmentCount);
  oldBody.copy(out, newTableWords * 8);
  extra.copy(out, newTableWords * 8 + oldBody.length);
  // A single far pointer: landing pad at word 0 of the new segment (id segmentCount).
  const far = 2n | (0n << 3n) | (BigInt(segmentCount) << 32n);
  out.writeBigUInt64LE(far, (slot - tableWords + newTableWords) * 8);
  return out;
}

if (!readsConfig || !flags.length) {
  const child = spawn(real, args, { stdio: ['inherit', 'inherit', 'inherit', 3] });
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
} else {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const config = withV8Flags(Buffer.concat(chunks), flags);
  console.error(`workerd-shim: starting workerd with V8 flags ${flags.join(' ')}`);
  const child = spawn(real, args, { stdio: ['pipe', 'inherit', 'inherit', 3] });
  child.stdin.end(config);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
