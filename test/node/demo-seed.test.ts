// The demo history behind `npm start` (scripts/demo): valid for the API, deterministic, and a
// coherent story — references point at objects that exist, every edit changes something.
import { describe, expect, it } from 'vitest';
import { OBJECT_TYPES } from '../../shared/vocabulary';
import { ChangeBatch } from '../../worker/schemas/changes';
import { OBJECT_CATALOG, objectSpec } from '../../worker/domain/object-catalog';
import { diffSnapshots, normalizeElements, referencedObjects, snapshotName, type NameOf } from '../../worker/domain/snapshot-diff';

import { DEMO_CHANGE_ID_PREFIX, generateDemoHistory } from '../../scripts/demo/seed-history';
import type { DemoChange } from '../../scripts/demo/story';

const DAY = 86_400_000;
const TO = Date.parse('2026-11-26T09:00:00Z');
const FROM = TO - 150 * DAY;
const history = generateDemoHistory({ from: FROM, to: TO });

const countBy = (key: (change: DemoChange) => string) => {
  const counts = new Map<string, number>();
  for (const change of history) counts.set(key(change), (counts.get(key(change)) ?? 0) + 1);
  return counts;
};

describe('demo history', () => {
  it('is the same story every time, with stable change ids', () => {
    const again = generateDemoHistory({ from: FROM, to: TO });
    expect(again).toEqual(history);
    expect(new Set(history.map((c) => c.changeId)).size).toBe(history.length);
    expect(history[0]!.changeId).toBe(`${DEMO_CHANGE_ID_PREFIX}00001`);
  });

  it('is a few months of busy administration by several people', () => {
    expect(history.length).toBeGreaterThanOrEqual(2000);
    expect([...countBy((c) => c.objectType).keys()].sort()).toEqual([...OBJECT_TYPES].sort());
    const actions = countBy((c) => c.action);
    expect(actions.get('add')).toBeGreaterThan(150);
    expect(actions.get('delete')).toBeGreaterThan(10);
    const originators = countBy((c) => c.originator.id);
    expect(originators.size).toBeGreaterThanOrEqual(6);
    expect(originators.size).toBeLessThanOrEqual(8);
    const explicit = history.filter((c) => c.elements).length;
    expect(explicit).toBeGreaterThan(20);
    expect(explicit).toBeLessThan(history.length / 5);
  });

  it('happens in order, inside the window, in office hours', () => {
    const times = history.map((c) => Date.parse(c.occurredAt));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
    expect(times[0]).toBeGreaterThanOrEqual(FROM);
    expect(times.at(-1)).toBeLessThanOrEqual(TO);
    expect(times.at(-1)).toBeGreaterThan(TO - 7 * DAY);
    const berlin = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hour: 'numeric', hourCycle: 'h23' });
    const berlinHour = (t: number) => Number(berlin.format(t));
    const inOffice = times.filter((t) => berlinHour(t) >= 7 && berlinHour(t) < 19).length;
    expect(inOffice).toBe(times.length);
  });

  it('is accepted by the batch API schema, 500 changes at a time', () => {
    for (let i = 0; i < history.length; i += 500) {
      const result = ChangeBatch.safeParse({ changes: history.slice(i, i + 500) });
      expect(result.error?.issues ?? []).toEqual([]);
    }
  });

  it('references only objects that exist, and every change records something', () => {
    const names = new Map<string, string>();
    const alive = new Set<string>(['agentGroup:-1']); // the root group predates auditing
    const nameOf: NameOf = ({ objectType, objectId }) => names.get(`${objectType}:${objectId}`);
    let rows = 0;
    for (const change of history) {
      const key = `${change.objectType}:${change.objectId}`;
      if (change.action === 'add') expect(alive.has(key), `${change.changeId} adds ${key} twice`).toBe(false);
      else expect(alive.has(key), `${change.changeId} ${change.action}s missing ${key}`).toBe(true);

      if (change.elements) {
        rows += normalizeElements(objectSpec(change.objectType), change.elements).length;
      } else {
        for (const ref of referencedObjects(objectSpec(change.objectType), change.before, change.after)) {
          // A delete may still name what the object pointed at; anything live must exist.
          if (change.action !== 'delete')
            expect(alive.has(`${ref.objectType}:${ref.objectId}`), `${change.changeId} → ${ref.objectType}:${ref.objectId}`).toBe(true);
        }
        // An id is listed once: a skill is held, not held twice.
        for (const field of OBJECT_CATALOG.find((spec) => spec.type === change.objectType)!.fields.filter((f) => f.kind === 'refList')) {
          const ids = ((change.after?.[field.key] as unknown[] | undefined) ?? []).map((item) =>
            JSON.stringify(field.idKey ? (item as Record<string, unknown>)[field.idKey] : item),
          );
          expect(new Set(ids).size, `${change.changeId} lists an id twice in ${field.key}`).toBe(ids.length);
        }
        const derived = diffSnapshots(objectSpec(change.objectType), change.action, change.before, change.after, nameOf);
        expect(derived.length, `${change.changeId} derives no rows`).toBeGreaterThan(0);
        // Every reference resolves to a readable name: "Billing DE (3791206012)".
        for (const row of derived.filter((r) => ['Skills', 'Member of', 'Profiles', 'LoBs'].includes(r.element))) {
          expect(`${row.oldValue} ${row.newValue}`).not.toMatch(/(^|[["\s])\d{10}(["\],\s]|$)/);
        }
        const password = derived.find((r) => r.element === 'Password');
        if (password) expect(password).toMatchObject({ redacted: true, oldValue: null, newValue: null });
        rows += derived.length;
        const name = snapshotName(objectSpec(change.objectType), change.before, change.after);
        if (name) names.set(key, name);
      }
      if (change.objectName) names.set(key, change.objectName);
      if (change.action === 'delete') alive.delete(key);
      else alive.add(key);
    }
    expect(rows).toBeGreaterThan(history.length * 1.5);
  });

  it('shows every field the catalog audits, for every object type', () => {
    const shown = new Set<string>();
    for (const change of history) {
      const rows =
        change.elements ?? diffSnapshots(objectSpec(change.objectType), change.action, change.before, change.after, () => undefined);
      for (const row of rows) shown.add(`${change.objectType}: ${row.element}`);
    }
    const audited = OBJECT_CATALOG.flatMap((spec) =>
      spec.fields.filter((field) => field.kind !== 'ignore').map((field) => `${spec.type}: ${field.label}`),
    );
    expect(audited.filter((field) => !shown.has(field))).toEqual([]);
  });

  it('fits a short window too', () => {
    const short = generateDemoHistory({ from: TO - 3 * DAY, to: TO, changeCount: 400 });
    expect(short).toHaveLength(400);
    expect(Date.parse(short[0]!.occurredAt)).toBeGreaterThanOrEqual(TO - 3 * DAY);
    expect(Date.parse(short.at(-1)!.occurredAt)).toBeLessThanOrEqual(TO);
  });
});
