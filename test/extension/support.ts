// Helpers for the extension's unit tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Result } from '../../extension/api/client';
import type { AuditEvent } from '../../extension/api/types';

// Paths from the repository root (vitest's working directory): under happy-dom, import.meta.url is not a file URL.
export const fixture = (name: string) => readFileSync(path.resolve('test/extension/fixtures', name), 'utf8');
export const demoFile = (name: string) => readFileSync(path.resolve('test/fixtures/agent-workspace', name), 'utf8');

/** Lets MutationObservers, promises and timers of 0 ms run. */
export const settle = async (rounds = 3) => {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

let seq = 1000;
export function event(overrides: Partial<AuditEvent> = {}): AuditEvent {
  seq++;
  return {
    id: `01J${seq}`,
    accountId: '12345678',
    seq,
    changeId: `c-${seq}`,
    objectType: 'user',
    objectId: '4711',
    objectName: 'Jane Doe',
    action: 'edit',
    element: 'Member of',
    valueType: 'text',
    oldValue: 'Tier 1',
    newValue: 'Tier 2',
    redacted: false,
    occurredAt: '2026-11-26T09:15:00Z',
    recordedAt: '2026-11-26T09:15:01Z',
    originator: { id: '17', name: 'Admin Amy' },
    source: 'api',
    prevHash: 'e'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}

export const okResult = <T>(value: T): Result<T> => ({ ok: true, value });
