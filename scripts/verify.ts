// npm run verify -- <export.ndjson> [--checkpoint checkpoint.json] [--keys keys.json] [--run-size N]
// Checks an NDJSON export of the audit trail without the Worker. Exit code 0: proven whole
// and intact; 1: broken, or not provable (what and where is printed); 2: the files or
// options could not be used.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Checkpoint, PublicKeyJwk } from '../worker/domain/checkpoint-signing';
import { verifyExport, type ExportReport } from '../worker/domain/export-verify';
import { DEFAULT_RUN_SIZE, spillSorter } from './verify/spill-sort';

const USAGE = `Usage: npm run verify -- <export.ndjson> [--checkpoint checkpoint.json] [--keys keys.json] [--run-size N]

  export.ndjson     GET /v1/accounts/{a}/events/export?format=ndjson without filters (order=seq
                    is the natural order; any order verifies). Its first line, the header, says
                    where the chain starts and the head it was read from; every seq between
                    must be in the file. A filtered export cannot be proven whole: exit 1.
  --checkpoint      a checkpoint you kept (GET /v1/accounts/{a}/checkpoints, one or the list):
                    must be part of the file, which proves nothing after it was deleted or rewritten
  --keys            the public keys (GET /v1/keys): check the header's and the checkpoint's signatures
  --run-size        events sorted in memory at once (default ${DEFAULT_RUN_SIZE.toLocaleString('en-US')}); larger files are
                    sorted in runs on disk

Exit code 0: proven whole and intact; 1: broken or not provable; 2: unusable files or options.`;

const KeptCheckpoint = z.object({
  accountId: z.string(),
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  signedAt: z.string(),
  keyId: z.string(),
  signature: z.string(),
});
const Jwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(1),
  kid: z.string().min(1),
  alg: z.literal('EdDSA').optional(),
  use: z.string().optional(),
});

class UsageError extends Error {}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`The ${what} ${file} is not JSON.`);
  }
}

async function readCheckpoint(file: string): Promise<Checkpoint> {
  const json = (await readJson(file, 'checkpoint file')) as { checkpoints?: unknown };
  // GET .../checkpoints answers a list, newest first: its newest is the one to hold the file to.
  const candidate =
    json && typeof json === 'object' && 'checkpoints' in json ? (Array.isArray(json.checkpoints) ? json.checkpoints[0] : undefined) : json;
  const parsed = KeptCheckpoint.safeParse(candidate);
  if (!parsed.success)
    throw new UsageError(
      `The checkpoint file ${file} holds no checkpoint (expected {accountId, seq, hash, signedAt, keyId, signature}, or {"checkpoints": [...]} with at least one): ${parsed.error.issues[0]!.path.join('.') || 'value'} ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
}

async function readKeys(file: string): Promise<PublicKeyJwk[]> {
  const json = (await readJson(file, 'keys file')) as { keys?: unknown };
  const list = json && typeof json === 'object' && 'keys' in json ? json.keys : [json];
  const parsed = z.array(Jwk).min(1).safeParse(list);
  if (!parsed.success)
    throw new UsageError(
      `The keys file ${file} holds no usable Ed25519 public key (expected GET /v1/keys: {"keys": [{kty: "OKP", crv: "Ed25519", x, kid}]}).`,
    );
  return parsed.data.map((key) => ({ ...key, alg: 'EdDSA', use: 'sig' }));
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        checkpoint: { type: 'string' },
        keys: { type: 'string' },
        'run-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help || args.positionals.length !== 1) {
    console.error(USAGE);
    return args.values.help ? 0 : 2;
  }
  const [file] = args.positionals as [string];
  let checkpoint: Checkpoint | undefined;
  let publicKeys: PublicKeyJwk[] | undefined;
  const runSize = args.values['run-size'] === undefined ? DEFAULT_RUN_SIZE : Number(args.values['run-size']);
  try {
    if (!Number.isSafeInteger(runSize) || runSize < 1)
      throw new UsageError(`--run-size must be a whole number of at least 1, not ${args.values['run-size']}.`);
    if (args.values.checkpoint !== undefined) checkpoint = await readCheckpoint(args.values.checkpoint);
    if (args.values.keys !== undefined) publicKeys = await readKeys(args.values.keys);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    return 2;
  }

  const input = createReadStream(file, 'utf8');
  const opened = new Promise<void>((resolve, reject) => input.once('open', () => resolve()).once('error', reject));
  try {
    await opened;
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  const sorter = spillSorter(runSize);
  const report = await verifyExport(createInterface({ input, crlfDelay: Infinity }), { checkpoint, publicKeys, sortBySeq: sorter.sort });
  print(file, report);
  return report.ok ? 0 : 1;
}

function print(file: string, report: ExportReport) {
  const range = report.events ? `seq ${report.lowestSeq}–${report.highestSeq}` : 'no events';
  const hidden = report.hidden ? `, ${report.hidden.toLocaleString('en-US')} of them past retention (hash-only stubs)` : '';
  console.log(`${file}: ${report.events.toLocaleString('en-US')} events (${range})${hidden}`);
  const header = report.header;
  if (header) {
    const { from, head } = header.chain;
    const start = from.seq === 0 ? 'genesis' : `the retention purge watermark, seq ${from.seq}`;
    const signature = {
      valid: 'valid',
      invalid: 'INVALID',
      'not checked': 'not checked (pass --keys to check it)',
      unsigned: 'none (the Worker has no signing key)',
    }[report.signature];
    console.log(
      `header: account ${header.accountId}, exported ${header.exportedAt}, order ${header.order}; chain from ${start} to head seq ${head.seq}; signature ${signature}`,
    );
  }
  if (report.checkpoint) {
    const { seq, signature, contained } = report.checkpoint;
    const where =
      contained === 'purged'
        ? 'older than the file’s start (purged by retention)'
        : contained
          ? 'contained in the export'
          : 'NOT contained in the export';
    console.log(
      `checkpoint seq ${seq}: signature ${signature}${signature === 'not checked' ? ' (pass --keys to check it)' : ''}, ${where}`,
    );
  }
  if (report.ok) {
    const { from, head } = header!.chain;
    console.log(
      head.seq > from.seq
        ? `OK: every seq from ${from.seq + 1} to ${head.seq} is present exactly once, every hash matches its event and every event links to the one before.`
        : 'OK: the chain holds no events, and the file none.',
    );
    return;
  }
  const proven = !report.findings.some((f) => f.reason === 'incomplete' || f.reason === 'header');
  console.log(
    `${proven ? 'BROKEN' : 'NOT PROVEN'}: ${report.findings.length} problem(s)${report.findings[0]?.seq != null ? `, first at seq ${report.findings[0].seq}` : ''}:`,
  );
  for (const finding of report.findings) {
    const where =
      finding.seq === null
        ? finding.line
          ? `line ${finding.line}`
          : 'file'
        : `seq ${finding.seq}${finding.line ? ` (line ${finding.line})` : ''}`;
    console.log(`  ${where} [${finding.reason}]: ${finding.detail}`);
  }
}

process.exitCode = await main();
