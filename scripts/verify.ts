// npm run verify -- <export.ndjson> [--checkpoint checkpoint.json] [--keys keys.json]
// Checks an NDJSON export of the audit trail without the Worker. Exit code 0: intact;
// 1: broken (what and where is printed); 2: the files could not be read.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Checkpoint, PublicKeyJwk } from '../worker/domain/checkpoint-signing';
import { verifyExport } from './verify/verify-export';

const USAGE = `Usage: npm run verify -- <export.ndjson> [--checkpoint checkpoint.json] [--keys keys.json]

  export.ndjson     GET /v1/accounts/{a}/events/export?format=ndjson (unfiltered for the whole chain)
  --checkpoint      a checkpoint you kept (from GET /v1/accounts/{a}/checkpoints): proves nothing
                    after it was deleted or rewritten
  --keys            the public keys (GET /v1/keys) to check the checkpoint's signature with`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { checkpoint: { type: 'string' }, keys: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
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
  let publicKey: PublicKeyJwk | undefined;
  try {
    if (args.values.checkpoint) {
      const parsed = JSON.parse(await readFile(args.values.checkpoint, 'utf8'));
      checkpoint = parsed.checkpoints?.[0] ?? parsed;
    }
    if (args.values.keys) {
      const keys = JSON.parse(await readFile(args.values.keys, 'utf8'));
      publicKey = (keys.keys ?? [keys]).find((key: PublicKeyJwk) => key.kid === checkpoint?.keyId) ?? (keys.keys ?? [keys])[0];
    }
  } catch (error) {
    console.error(`Cannot read the checkpoint or keys: ${(error as Error).message}`);
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
  const report = await verifyExport(createInterface({ input, crlfDelay: Infinity }), { checkpoint, publicKey });

  const range = report.events ? `seq ${report.lowestSeq}–${report.highestSeq}` : 'no events';
  console.log(`${file}: ${report.events.toLocaleString('en-US')} events (${range})`);
  if (report.checkpoint) {
    const { seq, signature, contained } = report.checkpoint;
    console.log(`checkpoint seq ${seq}: signature ${signature}${signature === 'not checked' ? ' (pass --keys to check it)' : ''}, ${contained ? 'contained in the export' : 'NOT contained in the export'}`);
  }
  if (report.ok) {
    console.log('OK: every hash matches its event and every event links to the one before.');
    return 0;
  }
  console.log(`BROKEN: ${report.findings.length} problem(s), first at seq ${report.findings[0]!.seq}:`);
  for (const finding of report.findings) {
    console.log(`  seq ${Number.isNaN(finding.seq) ? '?' : finding.seq}${finding.line ? ` (line ${finding.line})` : ''} [${finding.reason}]: ${finding.detail}`);
  }
  return 1;
}

process.exitCode = await main();
