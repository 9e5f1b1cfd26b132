// Records the story as changes: every add, edit and delete updates the world and emits the
// change the platform would send, at the story's current instant.
import { ADMINS, type AdminKey } from './cast';
import type { Random } from './random';
import { clone, configDate, sameConfig } from './snapshots';
import type { DemoChange, DemoElement, DemoObjectType, Originator, Snapshot } from './types';
import type { ObjectInfo } from './world';
import { World } from './world';

/** One day-to-day change: records exactly one change, or nothing (false) when it does not apply now. */
export type Operation = (story: Story) => boolean;

/** A change before it gets its place in the sequence (changeId). */
export type PendingChange = Omit<DemoChange, 'changeId'>;

export class Story {
  readonly world: World;
  readonly changes: PendingChange[] = [];
  /** The real instant of the change being made (ms): what dates in values and occurredAt show. */
  at = 0;
  /**
   * Story time (ms from the story's start, evenly spaced per change): what the story's own
   * rules ("deleted two weeks after being disabled") measure, so the choices do not depend on
   * the calendar the window happens to fall on.
   */
  clock = 0;

  constructor(readonly random: Random) {
    this.world = new World(random);
  }

  /** One of the given admins (evenly). */
  by(...admins: AdminKey[]): Originator {
    return ADMINS[this.random.pick(admins)];
  }

  date(): string {
    return configDate(this.at);
  }

  /** Days of story time since `clock` was at `storyInstant`. */
  daysSince(storyInstant: number): number {
    return (this.clock - storyInstant) / 86_400_000;
  }

  add(type: DemoObjectType, id: string, snapshot: Snapshot, by: Originator, info: Omit<ObjectInfo, 'addedAt'> = {}): true {
    const after = { ...snapshot, dateCreated: this.date(), dateUpdated: this.date() };
    this.world.put(type, id, after, { ...info, addedAt: this.clock });
    this.record({ objectType: type, objectId: id, action: 'add', originator: by, after: clone(after) });
    return true;
  }

  /** Edits a snapshot; records nothing (false) when the edit changed nothing. */
  edit(type: DemoObjectType, id: string, by: Originator, mutate: (draft: Snapshot) => void): boolean {
    const before = this.world.get(type, id);
    if (!before) return false;
    const after = clone(before);
    mutate(after);
    if (sameConfig(before, after)) return false;
    after.dateUpdated = this.date();
    this.world.put(type, id, after);
    this.record({ objectType: type, objectId: id, action: 'edit', originator: by, before: clone(before), after: clone(after) });
    return true;
  }

  remove(type: DemoObjectType, id: string, by: Originator): boolean {
    const before = this.world.get(type, id);
    if (!before) return false;
    this.world.remove(type, id);
    this.record({ objectType: type, objectId: id, action: 'delete', originator: by, before: clone(before) });
    return true;
  }

  /**
   * An edit reported as elements (an integration that knows the diff, not the object).
   * `apply` keeps the world's snapshot in step so later snapshot edits agree with it.
   */
  editElements(type: DemoObjectType, id: string, objectName: string, by: Originator, elements: DemoElement[], apply: (draft: Snapshot) => void): true {
    const current = this.world.get(type, id);
    if (current) {
      const next = clone(current);
      apply(next);
      next.dateUpdated = this.date();
      this.world.put(type, id, next);
    }
    this.record({ objectType: type, objectId: id, objectName, action: 'edit', originator: by, elements });
    return true;
  }

  private record(change: Omit<PendingChange, 'occurredAt'>): void {
    this.changes.push({ ...change, occurredAt: new Date(this.at).toISOString().replace('.000Z', 'Z') });
  }
}
