// The demo account as the story goes on: every object's current snapshot, and each add,
// edit and delete recorded as the change the platform would send, at the story's instant.
import { OBJECT_CATALOG } from '../../worker/domain/object-catalog';
import { ADMINS, type AdminKey, type Team } from './account';
import type { Random } from './random';
import type { DemoChange, DemoElement, DemoObjectType, Originator, Snapshot } from './types';

/** A change before it gets its place in the sequence (changeId). */
export type PendingChange = Omit<DemoChange, 'changeId'>;

/** What the story remembers about an object beyond its snapshot. */
export interface ObjectInfo {
  key?: string;
  team?: Team;
  /** Story time of the add, and of a user's disable. */
  addedAt: number;
  disabledAt?: number;
  leaving?: boolean;
  isLead?: boolean;
  /** Added later in the story: may be removed again once nothing uses it. */
  later?: boolean;
  expiresAt?: number;
  /** Being phased out: nothing new points at it, and what does lets go before it is deleted. */
  retiring?: boolean;
}

const DAY = 86_400_000;
/** Where each type's ids start: long numbers, as the platform gives out. */
const ID_BASE = 3_791_205_000;

/** The reference fields of every type, from the catalog: what must stay pointing at live objects. */
const REF_FIELDS = OBJECT_CATALOG.flatMap((spec) =>
  spec.fields.filter((field) => field.kind === 'ref' || field.kind === 'refList').map((field) => ({ holder: spec.type, ...field })),
);

export class Story {
  readonly changes: PendingChange[] = [];
  /** The real instant of the change being made (ms): what dates in values and occurredAt show. */
  at = 0;
  /**
   * Story time (ms, evenly spaced per change): what the story's own rules ("deleted two weeks
   * after being disabled") measure, so its choices do not depend on the calendar.
   */
  clock = 0;
  readonly usedNames = new Set<string>();
  private readonly objects = new Map<DemoObjectType, Map<string, Snapshot>>();
  private readonly info = new Map<string, ObjectInfo>();
  private readonly lastId = new Map<DemoObjectType, number>();

  constructor(readonly random: Random) {}

  by(...admins: AdminKey[]): Originator {
    return ADMINS[this.random.pick(admins)];
  }

  /** "2025-06-11 09:14:22": the platform's date format in config objects (UTC). */
  date(instant = this.at): string {
    return new Date(instant).toISOString().slice(0, 19).replace('T', ' ');
  }

  daysSince(storyInstant: number | undefined): number {
    return storyInstant === undefined ? 0 : (this.clock - storyInstant) / DAY;
  }

  ids(type: DemoObjectType, keep: (object: Snapshot, info: ObjectInfo, id: string) => boolean = () => true): string[] {
    return [...(this.objects.get(type)?.entries() ?? [])]
      .filter(([id, object]) => keep(object, this.infoOf(type, id), id))
      .map(([id]) => id);
  }

  pick(type: DemoObjectType, keep?: (object: Snapshot, info: ObjectInfo, id: string) => boolean): string | undefined {
    const ids = this.ids(type, keep);
    return ids.length ? this.random.pick(ids) : undefined;
  }

  get(type: DemoObjectType, id: string): Snapshot | undefined {
    return this.objects.get(type)?.get(id);
  }

  infoOf(type: DemoObjectType, id: string): ObjectInfo {
    return this.info.get(`${type}:${id}`) ?? { addedAt: 0 };
  }

  /** The live object made from a definition's key. */
  idOf(type: DemoObjectType, key: string): string | undefined {
    return this.ids(type, (_, info) => info.key === key)[0];
  }

  hasAdded(type: DemoObjectType, key: string): boolean {
    return [...this.info.entries()].some(([at, info]) => at.startsWith(`${type}:`) && info.key === key);
  }

  /** An object that exists before auditing starts: no change is recorded. */
  put(type: DemoObjectType, id: string, snapshot: Snapshot): void {
    this.store(type, id, snapshot, { addedAt: 0 });
  }

  add(type: DemoObjectType, build: (id: string) => Snapshot, by: Originator, info: Omit<ObjectInfo, 'addedAt'> = {}): true {
    const id =
      (this.lastId.get(type) ?? ID_BASE + OBJECT_CATALOG.findIndex((spec) => spec.type === type) * 10_000) + this.random.int(1, 23);
    this.lastId.set(type, id);
    const after = { ...build(String(id)), dateCreated: this.date(), dateUpdated: this.date() };
    this.store(type, String(id), after, { ...info, addedAt: this.clock });
    this.record({ objectType: type, objectId: String(id), action: 'add', originator: by, after: structuredClone(after) });
    return true;
  }

  /** Records nothing (false) when the edit changed nothing. */
  edit(type: DemoObjectType, id: string, by: Originator, mutate: (draft: Snapshot) => void): boolean {
    const before = this.get(type, id);
    if (!before) return false;
    const after = structuredClone(before);
    mutate(after);
    if (sameConfig(before, after)) return false;
    after.dateUpdated = this.date();
    this.objects.get(type)!.set(id, after);
    this.record({
      objectType: type,
      objectId: id,
      action: 'edit',
      originator: by,
      before: structuredClone(before),
      after: structuredClone(after),
    });
    return true;
  }

  remove(type: DemoObjectType, id: string, by: Originator): boolean {
    const before = this.get(type, id);
    if (!before) return false;
    this.objects.get(type)!.delete(id);
    this.record({ objectType: type, objectId: id, action: 'delete', originator: by, before: structuredClone(before) });
    return true;
  }

  /** An edit reported as elements (an integration that knows the diff, not the object). */
  editElements(
    type: DemoObjectType,
    id: string,
    objectName: string,
    by: Originator,
    elements: DemoElement[],
    apply: (draft: Snapshot) => void,
  ): boolean {
    const current = this.get(type, id);
    if (!current) return false;
    apply(current);
    current.dateUpdated = this.date();
    this.record({ objectType: type, objectId: id, objectName, action: 'edit', originator: by, elements });
    return true;
  }

  /** The live objects whose reference fields (per the catalog) point at this one. */
  holdersOf(type: DemoObjectType, id: string): [DemoObjectType, string][] {
    const holders: [DemoObjectType, string][] = [];
    for (const field of REF_FIELDS.filter((f) => f.refType === type)) {
      for (const holderId of this.ids(field.holder, (object) => refIds(object[field.key], field.idKey).includes(id)))
        holders.push([field.holder, holderId]);
    }
    return holders;
  }

  /** Takes every reference to `type:id` out of a snapshot. */
  dropReferences(draft: Snapshot, holder: DemoObjectType, type: DemoObjectType, id: string): void {
    for (const field of REF_FIELDS.filter((f) => f.holder === holder && f.refType === type)) {
      const value = draft[field.key];
      if (Array.isArray(value)) draft[field.key] = value.filter((item) => refIds(item, field.idKey)[0] !== id);
      else if (refIds(value, field.idKey).includes(id)) delete draft[field.key];
    }
  }

  private store(type: DemoObjectType, id: string, snapshot: Snapshot, info: ObjectInfo): void {
    if (!this.objects.has(type)) this.objects.set(type, new Map());
    this.objects.get(type)!.set(id, snapshot);
    this.info.set(`${type}:${id}`, info);
  }

  private record(change: Omit<PendingChange, 'occurredAt'>): void {
    this.changes.push({ ...change, occurredAt: new Date(this.at).toISOString().replace('.000Z', 'Z') });
  }
}

/** Ids in a ref or refList value, as text (`idKey`: the id sits inside an object). */
function refIds(value: unknown, idKey?: string): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.map((item) => String(idKey ? (item as Record<string, unknown>)?.[idKey] : item));
}

/** Equal as JSON, ignoring the field the platform updates on every save. */
function sameConfig(a: Snapshot, b: Snapshot): boolean {
  const strip = ({ dateUpdated: _u, ...rest }: Snapshot) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
