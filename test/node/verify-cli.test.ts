// The offline verifier (npm run verify) on NDJSON files shaped like the export: an intact
// chain passes; an edited, deleted or reordered line is named; a kept checkpoint catches
// the newest events deleted.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../drizzle/schema';
import { signCheckpoint, signingKey } from '../../worker/domain/checkpoint-signing';
import { eventHash, type EventView } from '../../worker/domain/event-view';

const run = promisify(execFile);
let dir: string;
let chain: EventView[];

async function buildChain(count: number): Promise<EventView[]> {
  const events: EventView[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const event = {
      id: `evt_${seq}`, accountId: 'acme', seq, changeId: `c-${seq}`, objectType: 'user' as const, objectId: String(seq % 3),
      objectName: 'Jane Doe', action: 'edit' as const, element: 'Member of', valueType: 'text' as const,
      oldValue: `Tier ${seq}`, newValue: `Tier ${seq + 1} — “ü”`, redacted: false,
      occurredAt: new Date(Date.UTC(2026, 10, 1, 0, seq)).toISOString(), recordedAt: new Date(Date.UTC(2026, 10, 1, 0, seq)).toISOString(),
      originator: { id: '17', name: 'Admin Amy' }, prevHash, hash: '',
    };
    event.hash = eventHash(event);
    prevHash = event.hash;
    events.push(event);
  }
  return events;
}

/** Writes events newest first, as the export does. */
async function exportFile(name: string, events: EventView[]) {
  const file = path.join(dir, name);
  await writeFile(file, [...events].sort((a, b) => b.seq - a.seq).map((e) => JSON.stringify(e)).join('\n') + '\n');
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

describe('npm run verify', () => {
  it('passes an intact export, in either order', async () => {
    const ok = await verify(await exportFile('ok.ndjson', chain));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/40 events \(seq 1–40\)/);
    expect(ok.stdout).toMatch(/^OK/m);
    const ascending = path.join(dir, 'asc.ndjson');
    await writeFile(ascending, chain.map((e) => JSON.stringify(e)).join('\n'));
    expect((await verify(ascending)).code).toBe(0);
  });

  it('names the edited, deleted or reordered row', async () => {
    const edited = chain.map((e) => (e.seq === 17 ? { ...e, newValue: 'Tier 99' } : e));
    const a = await verify(await exportFile('edited.ndjson', edited));
    expect(a.code).toBe(1);
    expect(a.stdout).toMatch(/first at seq 17/);
    expect(a.stdout).toMatch(/seq 17 \(line 24\) \[hash\]/);

    const deleted = chain.filter((e) => e.seq !== 9);
    const b = await verify(await exportFile('deleted.ndjson', deleted));
    expect(b.code).toBe(1);
    expect(b.stdout).toMatch(/seq 9 \[missing\]/);

    const relinked = chain.map((e) => (e.seq === 30 ? { ...e, prevHash: chain[10]!.hash } : e));
    const c = await verify(await exportFile('relinked.ndjson', relinked));
    expect(c.stdout).toMatch(/first at seq 30/);

    const garbage = path.join(dir, 'garbage.ndjson');
    await writeFile(garbage, '{"seq": 1}\nnot json\n');
    const d = await verify(garbage);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/line 2 is not an exported event/);
  });

  it('with a kept checkpoint, detects the newest events deleted', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = await signingKey(JSON.stringify(privateKey.export({ format: 'jwk' })));
    const checkpoint = await signCheckpoint(key, { accountId: 'acme', seq: 35, hash: chain[34]!.hash }, new Date());
    const cpFile = path.join(dir, 'checkpoint.json');
    const keysFile = path.join(dir, 'keys.json');
    await writeFile(cpFile, JSON.stringify(checkpoint));
    await writeFile(keysFile, JSON.stringify({ keys: [key.publicJwk] }));

    const whole = await verify(await exportFile('whole.ndjson', chain), '--checkpoint', cpFile, '--keys', keysFile);
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/checkpoint seq 35: signature valid, contained in the export/);

    // The newest events are gone: the file itself is a perfectly valid chain, seq 1–30.
    const truncated = await verify(await exportFile('truncated.ndjson', chain.slice(0, 30)), '--checkpoint', cpFile, '--keys', keysFile);
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toMatch(/events after seq 30 are missing/);

    const forged = path.join(dir, 'forged.json');
    await writeFile(forged, JSON.stringify({ ...checkpoint, hash: chain[33]!.hash, seq: 34 }));
    const bad = await verify(await exportFile('whole2.ndjson', chain), '--checkpoint', forged, '--keys', keysFile);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/signature invalid/);
  });

  it('explains its usage', async () => {
    const usage = await verify();
    expect(usage.code).toBe(2);
    expect(usage.stdout).toMatch(/Usage: npm run verify/);
    expect((await verify(path.join(dir, 'nope.ndjson'))).code).toBe(2);
  });
});
