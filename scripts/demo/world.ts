// The demo account's configuration as it evolves through the story: every object's current
// snapshot, plus what the story needs to know about it (a user's team, a skill's domain).
import type { Domain } from './account-config';
import type { Random } from './random';
import type { DemoObjectType, Snapshot } from './types';

/** Where each type's ids start: long numbers, as the platform gives out. */
const ID_BASE: Record<DemoObjectType, number> = {
  user: 3791205000,
  skill: 3791206000,
  agentGroup: 3791207000,
  profile: 3791208000,
  lob: 3791209000,
  workingHours: 3791210000,
  campaignSchedule: 3791211000,
  predefinedContent: 3791212000,
  contentCategory: 3791213000,
  postConversationSurvey: 3791214000,
  agentSurvey: 3791215000,
};

export interface UserInfo {
  domain: Domain;
  isLead: boolean;
  /** Story time of the disable. */
  disabledAt?: number;
  /** Disabled for good (deleted later), rather than on leave. */
  leaving?: boolean;
}

export interface ObjectInfo {
  /** The config key it was created from (account-config.ts), if any. */
  key?: string;
  domain?: Domain;
  /** Story time (Story.clock) of the add. */
  addedAt: number;
  /** Story time when it stops being used (campaign schedules with an end date). */
  expiresAt?: number;
}

export class World {
  private readonly objects = new Map<DemoObjectType, Map<string, Snapshot>>();
  private readonly info = new Map<string, ObjectInfo>();
  private readonly idsByKey = new Map<string, string>();
  private readonly lastId = new Map<DemoObjectType, number>();
  readonly users = new Map<string, UserInfo>();
  /** Every agent name used so far, deleted users included: names stay unique. */
  readonly usedNames = new Set<string>();
  /** A skill being phased out: no new assignments, users are moved off it, then it is deleted. */
  retiringSkill: string | undefined;

  constructor(private readonly random: Random) {}

  newId(type: DemoObjectType): string {
    const id = (this.lastId.get(type) ?? ID_BASE[type]) + this.random.int(1, 23);
    this.lastId.set(type, id);
    return String(id);
  }

  setExpiry(type: DemoObjectType, id: string, expiresAt: number): void {
    const info = this.info.get(`${type}:${id}`);
    if (info) info.expiresAt = expiresAt;
  }

  put(type: DemoObjectType, id: string, snapshot: Snapshot, info?: ObjectInfo): void {
    let ofType = this.objects.get(type);
    if (!ofType) this.objects.set(type, (ofType = new Map()));
    ofType.set(id, snapshot);
    if (info) {
      this.info.set(`${type}:${id}`, info);
      if (info.key) this.idsByKey.set(`${type}:${info.key}`, id);
    }
  }

  get(type: DemoObjectType, id: string): Snapshot | undefined {
    return this.objects.get(type)?.get(id);
  }

  remove(type: DemoObjectType, id: string): void {
    this.objects.get(type)?.delete(id);
    if (type === 'user') this.users.delete(id);
  }

  /** Ids of the objects of a type that exist now, oldest first. */
  ids(type: DemoObjectType): string[] {
    return [...(this.objects.get(type)?.keys() ?? [])];
  }

  infoOf(type: DemoObjectType, id: string): ObjectInfo | undefined {
    return this.info.get(`${type}:${id}`);
  }

  /** The id of the object created from a config key, if it exists (and was not deleted). */
  idOfKey(type: DemoObjectType, key: string): string | undefined {
    const id = this.idsByKey.get(`${type}:${key}`);
    return id !== undefined && this.get(type, id) ? id : undefined;
  }

  requireIdOfKey(type: DemoObjectType, key: string): string {
    const id = this.idOfKey(type, key);
    if (id === undefined) throw new Error(`demo story: no ${type} "${key}" yet`);
    return id;
  }

  hasBeenAdded(type: DemoObjectType, key: string): boolean {
    return this.idsByKey.has(`${type}:${key}`);
  }
}
