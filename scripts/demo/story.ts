// The demo account as the story goes on: every live object's snapshot (with what the story
// remembers about it), and each add, edit and delete recorded as the change the platform
// would send, at the story's instant. References are the catalog's, not restated here.
import type { z } from 'zod';
import { OBJECT_CATALOG } from '../../worker/domain/object-catalog';
import type { Change, ElementChange } from '../../worker/schemas/changes';
import { ADMINS, type AdminKey, type Team } from './account';
import type { Random } from './random';

/** A change as the batch API takes it (type-only import of the Worker's schema), ids as text. */
export type DemoChange = Omit<z.input<typeof Change>, 'objectId' | 'occurredAt' | 'originator'> & {
  objectId: string;
  occurredAt: string;
  originator: { id: string; name: string };
};
export type DemoObjectType = DemoChange['objectType'];
export type Snapshot = Record<string, unknown>;

/** A live object: its snapshot, and the story's own notes about it. */
export interface Obj {
  type: DemoObjectType;
  id: string;
  snap: Snapshot;
  key?: string;
  team?: Team;
  lead?: boolean;
  /** Story time of the add, and of a user's disable. */
  addedAt: number;
  disabledAt?: number;
  leaving?: boolean;
  /** Story time after which it is retired; `retiring`: nothing new points at it, what does lets go. */
  until?: number;
  retiring?: boolean;
}

export const DAY = 86_400_000;
/** Where ids start: long numbers, as the platform gives out, one range per type. */
const ID_BASE = 3_791_205_000;
const REF_FIELDS = OBJECT_CATALOG.flatMap((spec) =>
  spec.fields.filter((f) => f.kind === 'ref' || f.kind === 'refList').map((field) => ({ holder: spec.type, ...field })),
);

export class Story {
  readonly changes: Omit<DemoChange, 'changeId'>[] = [];
  /** The real instant of the change being made (ms): what occurredAt and dates in values show. */
  at = 0;
  /** Story time (ms, evenly spaced per change): what the story's rules measure, so its choices do not depend on the calendar. */
  clock = 0;
  readonly usedNames = new Set<string>();
  private readonly live = new Map<string, Obj>();
  private readonly lastId = new Map<DemoObjectType, number>();

  constructor(readonly random: Random) {}

  /** "2025-06-11 09:14:22": the platform's date format in config objects (UTC). */
  date(instant = this.at): string {
    return new Date(instant).toISOString().slice(0, 19).replace('T', ' ');
  }

  daysSince(storyTime = this.clock): number {
    return (this.clock - storyTime) / DAY;
  }

  all(type: DemoObjectType, keep: (o: Obj) => boolean = () => true): Obj[] {
    return [...this.live.values()].filter((o) => o.type === type && keep(o));
  }

  pick(type: DemoObjectType, keep?: (o: Obj) => boolean): Obj | undefined {
    const objects = this.all(type, keep);
    return objects.length ? this.random.pick(objects) : undefined;
  }

  /** The numeric ids of the live objects made from these keys, unless being retired. */
  ids(type: DemoObjectType, keys: readonly string[]): number[] {
    return keys.flatMap((key) => this.all(type, (o) => o.key === key && !o.retiring).map((o) => Number(o.id)));
  }

  /** An object that exists before auditing starts: no change is recorded. */
  put(type: DemoObjectType, id: string, snap: Snapshot): Obj {
    const o = { type, id, snap, addedAt: 0 };
    this.live.set(`${type}:${id}`, o);
    return o;
  }

  add(type: DemoObjectType, by: AdminKey[], build: (id: number) => Snapshot, notes: Partial<Obj> = {}): Obj {
    const id = (this.lastId.get(type) ?? ID_BASE + OBJECT_CATALOG.findIndex((s) => s.type === type) * 10_000) + this.random.int(1, 23);
    this.lastId.set(type, id);
    const after = { ...build(id), dateCreated: this.date(), dateUpdated: this.date() };
    const o: Obj = { ...notes, type, id: String(id), snap: after, addedAt: this.clock };
    this.live.set(`${type}:${id}`, o);
    this.record(o, by, { action: 'add', after: structuredClone(after) });
    return o;
  }

  /** Records nothing (false) when the edit changed nothing but the date. */
  edit(o: Obj, by: AdminKey[], mutate: (draft: Snapshot) => void): boolean {
    const after = { ...structuredClone(o.snap), dateUpdated: this.date() };
    mutate(after);
    if (JSON.stringify({ ...after, dateUpdated: 0 }) === JSON.stringify({ ...o.snap, dateUpdated: 0 })) return false;
    const before = o.snap;
    o.snap = after;
    return this.record(o, by, { action: 'edit', before, after: structuredClone(after) });
  }

  remove(o: Obj, by: AdminKey[]): boolean {
    this.live.delete(`${o.type}:${o.id}`);
    return this.record(o, by, { action: 'delete', before: o.snap });
  }

  /** An edit reported as elements: an integration that knows the diff, not the object. */
  editElements(o: Obj, by: AdminKey[], elements: z.input<typeof ElementChange>[], apply: (snap: Snapshot) => void): boolean {
    apply(o.snap);
    o.snap.dateUpdated = this.date();
    return this.record(o, by, { action: 'edit', objectName: String(o.snap.fullName ?? o.snap.name), elements });
  }

  /** The live objects whose reference fields (per the catalog) point at `target`. */
  holdersOf(target: Obj): Obj[] {
    return REF_FIELDS.filter((f) => f.refType === target.type).flatMap((f) =>
      this.all(f.holder, (o) => refIds(o.snap[f.key], f.idKey).includes(target.id)),
    );
  }

  /** Takes every reference to `target` out of a holder's snapshot. */
  dropReferences(draft: Snapshot, holder: DemoObjectType, target: Obj): void {
    for (const f of REF_FIELDS.filter((f) => f.holder === holder && f.refType === target.type)) {
      const value = draft[f.key];
      if (Array.isArray(value)) draft[f.key] = value.filter((item) => refIds(item, f.idKey)[0] !== target.id);
      else if (refIds(value, f.idKey).includes(target.id)) delete draft[f.key];
    }
  }

  /** One of `by` made the change, now. */
  private record(o: Obj, by: AdminKey[], change: Pick<DemoChange, 'action' | 'before' | 'after' | 'objectName' | 'elements'>): true {
    const occurredAt = new Date(this.at).toISOString().replace('.000Z', 'Z');
    this.changes.push({ objectType: o.type, objectId: o.id, originator: ADMINS[this.random.pick(by)], occurredAt, ...change });
    return true;
  }
}

/** Ids in a ref or refList value, as text (`idKey`: the id sits inside an object). */
function refIds(value: unknown, idKey?: string): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.map((item) => String(idKey ? (item as Record<string, unknown>)?.[idKey] : item));
}
