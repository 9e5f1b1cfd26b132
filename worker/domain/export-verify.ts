// Verifying an NDJSON export from the file alone (the core of `npm run verify`, importable
// from Node and workerd). The file must prove its own bounds: its header says where the
// chain starts (genesis or the purge watermark) and the head it was read from, and every
// seq between must be there exactly once, linked and unedited — whatever order the lines
// come in. Anything it cannot prove (no header, filters, a bad signature) is not ok: an
// auditor's tool must fail closed.
import { ExportHeader, RetentionStub } from '../schemas/export-header';
import { BREAK_DETAILS, ChainVerifier, linkRecord, type BreakReason, type LinkRecord } from './chain-verify';
import { verifyCheckpoint, verifyJson, type Checkpoint, type PublicKeyJwk } from './checkpoint-signing';

export type FindingReason = BreakReason | 'format' | 'header' | 'incomplete';

export interface Finding {
  /** The seq concerned, null when it is about the file as a whole. */
  seq: number | null;
  line: number | null;
  reason: FindingReason;
  detail: string;
}

export interface ExportReport {
  ok: boolean;
  header: ExportHeader | null;
  /** Lines that are events, and of them retention stubs. */
  events: number;
  hidden: number;
  lowestSeq: number | null;
  highestSeq: number | null;
  signature: 'valid' | 'invalid' | 'not checked' | 'unsigned';
  /** Problems, lowest seq first (at most MAX_FINDINGS). */
  findings: Finding[];
  checkpoint: null | { seq: number; signature: 'valid' | 'invalid' | 'not checked'; contained: boolean | 'purged' };
}

/** Puts links into ascending seq. The offline tool spills sorted runs to disk and merges
 *  them (scripts/verify/spill-sort.ts); the default sorts in memory. */
export type SeqSorter = (links: AsyncIterable<LinkRecord>) => AsyncIterable<LinkRecord>;

export const sortInMemory: SeqSorter = async function* (links) {
  const all: LinkRecord[] = [];
  for await (const link of links) all.push(link);
  yield* all.sort((a, b) => a.seq - b.seq);
};

export const MAX_FINDINGS = 50;

export interface VerifyExportOptions {
  /** A checkpoint the auditor kept: it must be part of the file, or older than its start. */
  checkpoint?: Checkpoint;
  /** The Worker's public keys (GET /v1/keys): check the header's and the checkpoint's signatures. */
  publicKeys?: PublicKeyJwk[];
  sortBySeq?: SeqSorter;
}

export async function verifyExport(lines: AsyncIterable<string>, options: VerifyExportOptions = {}): Promise<ExportReport> {
  const findings: Finding[] = [];
  const add = (finding: Finding) => findings.length < MAX_FINDINGS * 4 && findings.push(finding);
  const report: ExportReport = {
    ok: false,
    header: null,
    events: 0,
    hidden: 0,
    lowestSeq: null,
    highestSeq: null,
    signature: 'unsigned',
    findings,
    checkpoint: null,
  };
  const iterator = numbered(lines)[Symbol.asyncIterator]();

  const first = await iterator.next();
  if (first.done)
    return finish(report, [{ seq: null, line: null, reason: 'header', detail: 'the file is empty: there is nothing to verify' }]);
  const header = parseHeader(first.value.text);
  if (typeof header === 'string') {
    await iterator.return?.();
    return finish(report, [
      {
        seq: null,
        line: first.value.line,
        reason: 'header',
        detail: `line ${first.value.line} is not an export header (${header}): the file cannot prove where it starts and ends`,
      },
    ]);
  }
  report.header = header.parsed;
  const { from, head } = header.parsed.chain;
  report.signature = await checkSignature(header, options.publicKeys, add);
  if (!header.parsed.complete)
    add({
      seq: null,
      line: null,
      reason: 'incomplete',
      detail: `cannot prove this file whole: it was exported with filters (${JSON.stringify(header.parsed.filters)}); export without filters to verify the chain`,
    });

  const links = async function* (): AsyncGenerator<LinkRecord> {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const link = readLink(next.value.text, next.value.line, header.parsed, add);
      if (!link) continue;
      report.events++;
      if (link.content === 'hidden') report.hidden++;
      report.lowestSeq = Math.min(report.lowestSeq ?? link.seq, link.seq);
      report.highestSeq = Math.max(report.highestSeq ?? link.seq, link.seq);
      yield link;
    }
  };

  const wanted = options.checkpoint;
  let hashAtCheckpoint: string | undefined;
  if (header.parsed.complete) {
    const chain = new ChainVerifier(from, MAX_FINDINGS);
    for await (const link of (options.sortBySeq ?? sortInMemory)(links())) {
      if (wanted && link.seq === wanted.seq) hashAtCheckpoint = link.hash;
      if (link.seq > head.seq)
        add({
          seq: link.seq,
          line: link.line ?? null,
          reason: 'extra',
          detail: `seq ${link.seq} lies beyond the head the header names (seq ${head.seq})`,
        });
      else chain.push(link);
    }
    for (const broken of chain.breaks) add({ seq: broken.seq, line: broken.line ?? null, reason: broken.reason, detail: broken.detail });
    if (chain.last.seq < head.seq)
      add({
        seq: chain.last.seq + 1,
        line: null,
        reason: 'head',
        detail: `the file ends at seq ${chain.last.seq}, but its header says the chain's head was seq ${head.seq}: seq ${chain.last.seq + 1}–${head.seq} are missing (the file was cut)`,
      });
    else if (chain.last.seq === head.seq && chain.last.hash !== head.hash)
      add({
        seq: head.seq,
        line: null,
        reason: 'head',
        detail: `the event at seq ${head.seq} is not the head the header names (hash differs)`,
      });
  } else {
    // Filtered: the chain has gaps by design; each event's own hash still shows an edit.
    for await (const link of links())
      if (link.content === 'edited') add({ seq: link.seq, line: link.line ?? null, reason: 'hash', detail: BREAK_DETAILS.hash });
  }

  if (wanted) report.checkpoint = await checkKeptCheckpoint(wanted, header.parsed, hashAtCheckpoint, options.publicKeys, add);
  return finish(report, findings);
}

function finish(report: ExportReport, findings: Finding[]): ExportReport {
  findings.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
  report.findings = findings.slice(0, MAX_FINDINGS);
  report.ok = findings.length === 0;
  return report;
}

async function* numbered(lines: AsyncIterable<string>) {
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim()) yield { text, line };
  }
}

function parseHeader(text: string): { raw: Record<string, unknown>; parsed: ExportHeader } | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const parsed = ExportHeader.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${issue.path.join('.') || 'the line'}: ${issue.message}`;
  }
  if (parsed.data.chain.head.seq < parsed.data.chain.from.seq) return 'chain.head.seq is before chain.from.seq';
  // "complete" is what lets the file be proven whole: it must not contradict the filters.
  if (parsed.data.complete !== (Object.keys(parsed.data.filters).length === 0)) return 'complete contradicts filters';
  return { raw: raw as Record<string, unknown>, parsed: parsed.data };
}

/** The signature covers the header exactly as the Worker wrote it (all its fields). */
async function checkSignature(
  header: { raw: Record<string, unknown>; parsed: ExportHeader },
  publicKeys: PublicKeyJwk[] | undefined,
  add: (f: Finding) => void,
) {
  const { signature } = header.parsed;
  if (!signature) {
    if (publicKeys) add({ seq: null, line: 1, reason: 'header', detail: 'the header is not signed, so the keys given cannot prove it' });
    return 'unsigned';
  }
  if (!publicKeys) return 'not checked';
  const { signature: _signature, ...signed } = header.raw;
  const key = publicKeys.find((candidate) => candidate.kid === signature.keyId);
  if (key && (await verifyJson(signed, signature, key))) return 'valid';
  add({
    seq: null,
    line: 1,
    reason: 'header',
    detail: "the header's signature is not valid for the given key (the header was altered, or signed by another key)",
  });
  return 'invalid';
}

function readLink(text: string, line: number, header: ExportHeader, add: (f: Finding) => void): LinkRecord | undefined {
  const format = (why: string) => void add({ seq: null, line, reason: 'format', detail: `line ${line} is not an exported event (${why})` });
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch {
    return format('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return format('not a JSON object');
  if ('hidden' in value) {
    const stub = RetentionStub.safeParse(value);
    if (!stub.success) return format('a malformed retention stub');
    if (!header.complete) return format('a retention stub in a filtered export');
    return { seq: stub.data.seq, prevHash: stub.data.prevHash, hash: stub.data.hash, content: 'hidden', line };
  }
  if (!Number.isSafeInteger(value.seq) || typeof value.hash !== 'string' || typeof value.prevHash !== 'string')
    return format('no seq, prevHash or hash');
  if (value.accountId !== header.accountId)
    return format(`it belongs to account ${JSON.stringify(value.accountId)}, the header to ${JSON.stringify(header.accountId)}`);
  return linkRecord(value as Parameters<typeof linkRecord>[0], line);
}

async function checkKeptCheckpoint(
  checkpoint: Checkpoint,
  header: ExportHeader,
  hashAtSeq: string | undefined,
  publicKeys: PublicKeyJwk[] | undefined,
  add: (f: Finding) => void,
): Promise<NonNullable<ExportReport['checkpoint']>> {
  const { from, head } = header.chain;
  const key = publicKeys?.find((candidate) => candidate.kid === checkpoint.keyId);
  const signature = publicKeys ? (key && (await verifyCheckpoint(checkpoint, key)) ? 'valid' : 'invalid') : 'not checked';
  if (signature === 'invalid')
    add({ seq: checkpoint.seq, line: null, reason: 'checkpoint', detail: 'the checkpoint signature is not valid for the given key' });
  if (checkpoint.accountId !== header.accountId) {
    add({
      seq: null,
      line: null,
      reason: 'checkpoint',
      detail: `the checkpoint is of account ${JSON.stringify(checkpoint.accountId)}, the export of ${JSON.stringify(header.accountId)}`,
    });
    return { seq: checkpoint.seq, signature, contained: false };
  }
  let contained: boolean | 'purged';
  if (checkpoint.seq < from.seq)
    contained = 'purged'; // older than retention: gone legitimately
  else if (checkpoint.seq === from.seq) contained = checkpoint.hash === from.hash;
  else contained = header.complete && checkpoint.seq <= head.seq && hashAtSeq === checkpoint.hash;
  if (contained === false) {
    const cut = checkpoint.seq > head.seq;
    add({
      seq: cut ? head.seq + 1 : checkpoint.seq,
      line: null,
      reason: 'checkpoint',
      detail: cut
        ? `the export ends at seq ${head.seq}, but the checkpoint signed seq ${checkpoint.seq}: events after seq ${head.seq} are missing (deleted, or the export predates the checkpoint)`
        : `the event with seq ${checkpoint.seq} ${hashAtSeq ? 'has a different hash than' : 'is not in the file, though'} the checkpoint signed (history rewritten)`,
    });
  }
  return { seq: checkpoint.seq, signature, contained };
}
