// The offline verifier (npm run verify) on NDJSON files shaped like the export: an intact
// chain passes in any line order (sorted in bounded memory); an edited, deleted or
// reordered line is named; a file that cannot prove where it starts and ends — empty, no
// header, cut at either end, filtered — fails; unusable checkpoint or key files are exit 2.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../drizzle/schema';
import { signCheckpoint, signingKey, signJson, type SigningKey } from '../../worker/domain/checkpoint-signing';
import { eventHash, type EventView } from '../../worker/domain/event-view';
import { verifyExport } from '../../worker/domain/export-verify';
import type { ExportHeader } from '../../worker/schemas/export-header';
import { spillSorter } from '../../scripts/verify/spill-sort';

const run = promisify(execFile);
let dir: string;
let chain: EventView[];

async function buildChain(count: number): Promise<EventView[]> {
  const events: EventView[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const event = {
      id: `evt_${seq}`,
      accountId: 'acme',
      seq,
      changeId: `c-${seq}`,
      objectType: 'user' as const,
      objectId: String(seq % 3),
      objectName: 'Jane Doe',
      action: 'edit' as const,
      element: 'Member of',
      valueType: 'text' as const,
      oldValue: `Tier ${seq}`,
      newValue: `Tier ${seq + 1} — “ü”`,
      redacted: false,
      occurredAt: new Date(Date.UTC(2026, 10, 1, 0, seq)).toISOString(),
      recordedAt: new Date(Date.UTC(2026, 10, 1, 0, seq)).toISOString(),
      originator: { id: '17', name: 'Admin Amy' },
      // Imported and recorded events in one chain: the verifier checks both alike.
      source: seq % 3 ? ('api' as const) : ('liveperson' as const),
      prevHash,
      hash: '',
    };
    event.hash = eventHash(event);
    prevHash = event.hash;
    events.push(event);
  }
  return events;
}

type Line = EventView | { seq: number; prevHash: string; hash: string; hidden: 'retention' };

/** The header the Worker writes for these events: the chain from `from` to the last event. */
async function headerFor(
  events: Line[],
  options: { from?: { seq: number; hash: string }; filters?: Record<string, unknown>; key?: SigningKey; order?: 'occurredAt' | 'seq' } = {},
): Promise<ExportHeader> {
  const last = [...events].sort((a, b) => a.seq - b.seq).at(-1);
  const from = options.from ?? { seq: 0, hash: GENESIS_HASH };
  const filters = options.filters ?? {};
  const unsigned = {
    type: 'audit-trail.export' as const,
    version: 1 as const,
    accountId: 'acme',
    exportedAt: '2026-12-01T00:00:00.000Z',
    order: options.order ?? 'occurredAt',
    filters,
    complete: Object.keys(filters).length === 0,
    retention: { months: 13, hiddenBefore: '2025-11-01T00:00:00.000Z' },
    chain: { from, head: last ? { seq: last.seq, hash: last.hash } : from },
  };
  return { ...unsigned, signature: options.key ? await signJson(options.key, unsigned) : null };
}

/** Writes a header line, then the events newest first, as the export does by default. */
async function exportFile(name: string, events: Line[], header?: ExportHeader, order: 'desc' | 'asc' | 'shuffled' = 'desc') {
  const file = path.join(dir, name);
  const lines = [...events].sort((a, b) => b.seq - a.seq);
  if (order === 'asc') lines.reverse();
  if (order === 'shuffled') lines.sort((a, b) => ((a.seq * 7919) % 101) - ((b.seq * 7919) % 101));
  await writeFile(file, [header ?? (await headerFor(events)), ...lines].map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

async function writeJson(name: string, value: unknown) {
  const file = path.join(dir, name);
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

async function verify(...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'audit-verify-'));
  chain = await buildChain(40);
});

let key: SigningKey;
let keysFile: string;

beforeAll(async () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  key = await signingKey(JSON.stringify(privateKey.export({ format: 'jwk' })));
  keysFile = await writeJson('keys.json', { keys: [key.publicJwk] });
});

describe('npm run verify', () => {
  it('passes an intact export in any line order', async () => {
    const ok = await verify(await exportFile('ok.ndjson', chain));
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/40 events \(seq 1–40\)/);
    expect(ok.stdout).toMatch(/chain from genesis to head seq 40/);
    expect(ok.stdout).toMatch(/^OK: every seq from 1 to 40 is present exactly once/m);
    expect((await verify(await exportFile('asc.ndjson', chain, undefined, 'asc'))).code).toBe(0);
    // Shuffled, and sorted in runs of 7 spilled to disk: still the same chain.
    const shuffled = await verify(await exportFile('shuffled.ndjson', chain, undefined, 'shuffled'), '--run-size', '7');
    expect(shuffled.code, shuffled.stdout).toBe(0);
  });

  it('names the edited, deleted or reordered row', async () => {
    const edited = chain.map((e) => (e.seq === 17 ? { ...e, newValue: 'Tier 99' } : e));
    const a = await verify(await exportFile('edited.ndjson', edited, await headerFor(chain)));
    expect(a.code).toBe(1);
    expect(a.stdout).toMatch(/first at seq 17/);
    expect(a.stdout).toMatch(/seq 17 \(line 25\) \[hash\]/);

    const deleted = chain.filter((e) => e.seq !== 9);
    const b = await verify(await exportFile('deleted.ndjson', deleted));
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/seq 9 \[missing\]/);

    const relinked = chain.map((e) => (e.seq === 30 ? { ...e, prevHash: chain[10]!.hash } : e));
    const c = await verify(await exportFile('relinked.ndjson', relinked));
    expect(c.stdout).toMatch(/first at seq 30/);

    const twice = await verify(await exportFile('twice.ndjson', [...chain, chain[4]!]));
    expect(twice.code).toBe(1);
    expect(twice.stdout).toMatch(/seq 5 appears twice/);

    const garbage = path.join(dir, 'garbage.ndjson');
    await writeFile(garbage, JSON.stringify(await headerFor(chain.slice(0, 1))) + '\n' + JSON.stringify(chain[0]) + '\nnot json\n');
    const d = await verify(garbage);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/line 3 is not an exported event/);
  });

  it('fails closed: an empty file, no header, a cut head or tail', async () => {
    const empty = await verify(await writeJson('empty.ndjson', ''));
    expect(empty.code).toBe(1);
    expect(empty.stdout).toMatch(/NOT PROVEN.*\n.*the file is empty/);

    // Events only, as exports were before the header: nothing says where the chain ends.
    const bare = await writeJson('bare.ndjson', chain.map((e) => JSON.stringify(e)).join('\n'));
    const noHeader = await verify(bare);
    expect(noHeader.code).toBe(1);
    expect(noHeader.stdout).toMatch(/line 1 is not an export header/);

    // The oldest events deleted, the header rewritten to match: seq 1 (or 1–5) is missing.
    for (const cut of [1, 5]) {
      const oldestCut = chain.slice(cut);
      const res = await verify(await exportFile(`head-${cut}.ndjson`, oldestCut, await headerFor(oldestCut)));
      expect(res.code, res.stdout).toBe(1);
      expect(res.stdout).toMatch(cut === 1 ? /seq 1 \[missing\]/ : /seq 1 \[missing\].*seq 1–5/);
    }
    // The newest events cut off the file: the header's head is not reached.
    const tail = await verify(await exportFile('tail.ndjson', chain.slice(0, 30), await headerFor(chain)));
    expect(tail.code).toBe(1);
    expect(tail.stdout).toMatch(/the file ends at seq 30, but its header says the chain's head was seq 40/);
    // Beyond the head.
    const extra = await verify(await exportFile('extra.ndjson', chain, await headerFor(chain.slice(0, 39))));
    expect(extra.code).toBe(1);
    expect(extra.stdout).toMatch(/seq 40 .*\[extra\]/);
  });

  it('cannot prove a filtered export whole', async () => {
    const some = chain.filter((e) => e.objectId === '1');
    const res = await verify(await exportFile('filtered.ndjson', some, await headerFor(chain, { filters: { objectId: '1' } })));
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/NOT PROVEN/);
    expect(res.stdout).toMatch(/cannot prove this file whole: it was exported with filters \(\{"objectId":"1"\}\)/);
  });

  it('starts at the purge watermark, and checks retention stubs by their links only', async () => {
    const stubbed = chain
      .slice(10)
      .map((e) => (e.seq === 12 || e.seq === 20 ? { seq: e.seq, prevHash: e.prevHash, hash: e.hash, hidden: 'retention' as const } : e));
    const from = { seq: 10, hash: chain[9]!.hash };
    const ok = await verify(await exportFile('purged.ndjson', stubbed, await headerFor(stubbed, { from })));
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/30 events \(seq 11–40\), 2 of them past retention/);
    expect(ok.stdout).toMatch(/chain from the retention purge watermark, seq 10/);
    // A stub cannot stand in for a different event: its hash must be the link.
    const forged = stubbed.map((e) => (e.seq === 12 ? { ...e, hash: 'f'.repeat(64) } : e));
    expect((await verify(await exportFile('forged-stub.ndjson', forged, await headerFor(stubbed, { from })))).code).toBe(1);
  });

  it('checks the signed header with --keys', async () => {
    const signed = await headerFor(chain, { key });
    const ok = await verify(await exportFile('signed.ndjson', chain, signed), '--keys', keysFile);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/signature valid/);
    // Cut the tail and lower the head in the header: the signature no longer holds.
    const lowered = { ...signed, chain: { ...signed.chain, head: { seq: 30, hash: chain[29]!.hash } } };
    const cut = await verify(await exportFile('lowered.ndjson', chain.slice(0, 30), lowered), '--keys', keysFile);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/signature INVALID/);
    const unsigned = await verify(await exportFile('unsigned.ndjson', chain), '--keys', keysFile);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toMatch(/the header is not signed/);
  });

  it('with a kept checkpoint, detects the newest events deleted', async () => {
    const checkpoint = await signCheckpoint(key, { accountId: 'acme', seq: 35, hash: chain[34]!.hash }, new Date());
    const cpFile = await writeJson('checkpoint.json', checkpoint);

    const whole = await verify(await exportFile('whole.ndjson', chain), '--checkpoint', cpFile, '--keys', keysFile);
    expect(whole.stdout).toMatch(/checkpoint seq 35: signature valid, contained in the export/);
    expect(whole.stdout).toMatch(/the header is not signed/);
    const wholeSigned = await verify(
      await exportFile('whole-signed.ndjson', chain, await headerFor(chain, { key })),
      '--checkpoint',
      cpFile,
      '--keys',
      keysFile,
    );
    expect(wholeSigned.code, wholeSigned.stdout).toBe(0);
    const listed = await writeJson('checkpoints.json', { checkpoints: [checkpoint] });
    expect((await verify(await exportFile('whole2.ndjson', chain), '--checkpoint', listed)).code).toBe(0);

    // The newest events are gone, the header made to match: a valid chain of seq 1–30.
    const truncated = await verify(await exportFile('truncated.ndjson', chain.slice(0, 30)), '--checkpoint', cpFile);
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toMatch(/events after seq 30 are missing/);

    const forged = await writeJson('forged.json', { ...checkpoint, hash: chain[33]!.hash, seq: 34 });
    const bad = await verify(
      await exportFile('whole3.ndjson', chain, await headerFor(chain, { key })),
      '--checkpoint',
      forged,
      '--keys',
      keysFile,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/signature invalid/);
  });

  it('refuses unusable checkpoint and key files (exit 2), never a pass', async () => {
    const file = await exportFile('short.ndjson', chain.slice(0, 30));
    for (const [name, content] of [
      ['cp-empty-object.json', {}],
      ['cp-empty-list.json', { checkpoints: [] }],
      ['cp-not-json.json', '{"seq": 3,'],
      ['cp-no-hash.json', { accountId: 'acme', seq: 35 }],
    ] as const) {
      const res = await verify(file, '--checkpoint', await writeJson(name, content));
      expect(res.code, `${name}: ${res.stdout}`).toBe(2);
      expect(res.stdout).toMatch(/holds no checkpoint|is not JSON/);
      expect(res.stdout).not.toMatch(/contained/);
    }
    for (const [name, content] of [
      ['keys-empty.json', { keys: [] }],
      ['keys-rsa.json', { keys: [{ kty: 'RSA', n: 'x', e: 'AQAB', kid: 'k' }] }],
      ['keys-not-json.json', 'nope'],
    ] as const) {
      const res = await verify(file, '--keys', await writeJson(name, content));
      expect(res.code, `${name}: ${res.stdout}`).toBe(2);
      expect(res.stdout).toMatch(/no usable Ed25519 public key|is not JSON/);
    }
    expect((await verify(file, '--run-size', '0')).code).toBe(2);
  });

  it('explains its usage', async () => {
    const usage = await verify();
    expect(usage.code).toBe(2);
    expect(usage.stdout).toMatch(/Usage: npm run verify/);
    expect((await verify(path.join(dir, 'nope.ndjson'))).code).toBe(2);
  });
});

describe('sorting by seq in bounded memory', () => {
  it('holds at most one run of links, however long and shuffled the file', async () => {
    const events = await buildChain(2_000);
    const header = await headerFor(events);
    const shuffled = [...events].sort((a, b) => ((a.seq * 7919) % 2003) - ((b.seq * 7919) % 2003));
    async function* lines() {
      yield JSON.stringify(header);
      for (const event of shuffled) yield JSON.stringify(event);
    }
    const sorter = spillSorter(100);
    const report = await verifyExport(lines(), { sortBySeq: sorter.sort });
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(sorter.stats.runs).toBe(20);
    expect(sorter.stats.maxHeld).toBeLessThanOrEqual(100);
  });
});
