// Provenance in the hash: `source` is covered when it is "liveperson" and left out when it is
// "api", so every event hashed before the field existed (all "api") keeps its hash.
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../worker/domain/crypto';
import { linkRecord } from '../../worker/domain/chain-verify';
import { eventHash, type EventView } from '../../worker/domain/event-view';

/** An event as the API showed it before `source` existed. */
const before = {
  id: 'evt_01JDV5J0000000000000000000',
  accountId: 'acme',
  seq: 1,
  changeId: 'c-1',
  objectType: 'user' as const,
  objectId: '4711',
  objectName: 'Jane Doe',
  action: 'edit' as const,
  element: 'Member of',
  valueType: 'text' as const,
  oldValue: 'Tier 1',
  newValue: 'Tier 2',
  redacted: false,
  occurredAt: '2026-11-26T09:15:00.000Z',
  recordedAt: '2026-11-26T09:15:01.000Z',
  originator: { id: '17', name: 'Admin Amy' },
  prevHash: '0'.repeat(64),
};
/** The hash the Worker stored for it then (computed with main's eventHash before `source`):
 *  SHA-256 of the canonical JSON of exactly these fields. */
const STORED_HASH = 'f031deaa9c37e55e88cc79e405eb84fc7216cddadb162d920601f409076f37ab';

describe('the hash of an event and its source', () => {
  it('is unchanged for events stored before the field existed, with or without the field', () => {
    expect(sha256Hex(canonicalJson(before))).toBe(STORED_HASH);
    expect(eventHash(before)).toBe(STORED_HASH);
    // The migration gave old rows source "api": the API now shows it, the hash still matches.
    const shownNow: EventView = { ...before, source: 'api', hash: STORED_HASH };
    expect(eventHash(shownNow)).toBe(STORED_HASH);
    expect(linkRecord(shownNow).content).toBe('valid');
    // An NDJSON export written before the field existed has no `source`: it verifies too.
    expect(linkRecord({ ...before, hash: STORED_HASH }).content).toBe('valid');
  });

  it('covers an imported event: its source cannot be changed without breaking the hash', () => {
    const imported: EventView = { ...before, source: 'liveperson', hash: '' };
    imported.hash = eventHash(imported);
    expect(imported.hash).not.toBe(STORED_HASH);
    expect(imported.hash).toBe(sha256Hex(canonicalJson({ ...before, source: 'liveperson' })));
    expect(linkRecord(imported).content).toBe('valid');
    expect(linkRecord({ ...imported, source: 'api' }).content).toBe('edited');
    const { source: _dropped, ...withoutSource } = imported;
    expect(linkRecord(withoutSource).content).toBe('edited');
  });
});
