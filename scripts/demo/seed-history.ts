// The demo account's history, as a pure function of its window and seed: the same changes,
// ids, order and bodies every time, so a re-run is an idempotent replay. The rollout sets up
// the configuration, then the agents who reference all of it; then come working days
// (day-to-day.ts), and what LATER brings arrives through the year. Also: the configuration it
// leaves behind, for the demo Agent Workspace to list.
import { ADMINS, DEMO_ACCOUNT, LATER, MAIN_GROUP_ID, TEAMS, type Team } from './account';
import { nextOperation } from './day-to-day';
import { ADD, addUser } from './objects';
import { Random } from './random';
import { DAY, Story, type DemoChange, type DemoObjectType, type Snapshot } from './story';
import { workingHourInstants } from './timeline';

export interface DemoHistoryOptions {
  /** First and last possible instant (ms): not before the account's auditEnabledAt, not in the future. */
  from: number;
  to: number;
  /** Default 2,400. */
  changeCount?: number;
  /** Office hours are in this zone; default Europe/Berlin. */
  timeZone?: string;
  seed?: number;
}

export const DEMO_CHANGE_ID_PREFIX = 'demo-seed-';
const DEFAULT_SEED = 0x5eed_2024;
/** Its own stream for the timeline, so the story does not depend on how many days the window has. */
const TIMELINE_SEED_SALT = 0x7153_e11e;

// ---- the rollout: one change per step, the configuration first, then the agents ----

function rollout(s: Story): (() => unknown)[] {
  const later = new Set(LATER.map(([type, key]) => `${type}:${key}`));
  const config = (Object.keys(ADD) as (keyof typeof ADD)[]).flatMap((type) =>
    ADD[type].keys.filter((key) => !later.has(`${type}:${key}`)).map((key) => () => ADD[type].add(s, key)),
  );
  const agents = Object.entries(TEAMS).flatMap(([team, { size }]) => Array.from({ length: size }, (_, i) => ({ team: team as Team, i })));
  const others = agents.filter((a) => a.i > 0);
  // Team leads first, then everyone else in a mixed order.
  const hires = [...agents.filter((a) => a.i === 0), ...s.random.sample(others, others.length)];
  const hire = (team: Team, lead: boolean) => () => addUser(s, team, lead);
  return [
    // The root group predates auditing; its first edit makes its name known to the trail.
    () => {
      const root = s.put('agentGroup', MAIN_GROUP_ID, { id: -1, deleted: false, name: 'Main Group', parentGroupId: null, isEnabled: true });
      s.edit(root, ['lena'], (group) => (group.description = `All agents of ${DEMO_ACCOUNT.name}`));
    },
    ...config,
    ...hires.map(({ team, i }) => hire(team, i === 0)),
  ];
}

// ---- the story played out ----

export function generateDemoHistory(options: DemoHistoryOptions): DemoChange[] {
  return runDemoStory(options).changes;
}

function runDemoStory(options: DemoHistoryOptions): { changes: DemoChange[]; story: Story } {
  const count = options.changeCount ?? 2400;
  const seed = options.seed ?? DEFAULT_SEED;
  const s = new Story(new Random(seed));
  const steps = rollout(s);
  if (count < steps.length) throw new Error(`the demo story needs at least ${steps.length} changes for its rollout`);
  const { from, to, timeZone = DEMO_ACCOUNT.timezone } = options;
  const instants = workingHourInstants(new Random(seed ^ TIMELINE_SEED_SALT), { from, to, count, timeZone, rolloutWorkdays: 6 });
  // What LATER brings arrives evenly between a tenth and nine tenths of the story.
  const arrivals = LATER.map((later, k) => ({ later, at: Math.round(count * (0.1 + (0.8 * k) / LATER.length)) }));

  for (const [i, instant] of instants.entries()) {
    [s.at, s.clock] = [instant, (i * (to - from)) / count];
    const before = s.changes.length;
    if (steps[i]) steps[i]();
    else if (arrivals[0] && arrivals[0].at <= i) {
      const [type, key, lasts] = arrivals.shift()!.later;
      const o = ADD[type].add(s, key);
      if (lasts) o.until = s.clock + lasts * DAY;
    } else nextOperation(s);
    if (s.changes.length !== before + 1) throw new Error(`demo story: step ${i} recorded ${s.changes.length - before} changes`);
  }
  const changes = s.changes.map((change, i) => ({ changeId: `${DEMO_CHANGE_ID_PREFIX}${String(i + 1).padStart(5, '0')}`, ...change }));
  return { changes, story: s };
}

// ---- what the story leaves behind, for the demo Agent Workspace: then an edited user, skill
// or group already has months of history in the panel.

/** Who saves in the demo workspace: one of the story's admins, so the trail reads as one account. */
export const DEMO_WORKSPACE_ORIGINATOR = ADMINS.sabine;

/** Pass the same options the history was seeded with (provision.ts demoStoryOptions). */
export function demoWorkspaceData(options: DemoHistoryOptions) {
  const { story } = runDemoStory(options);
  const all = (type: DemoObjectType) => story.all(type).map((o) => structuredClone(o.snap));
  // The workspace compares group ids as numbers; the platform sends them as text inside
  // memberOf/managerOf (the Worker compares ids as text, so both agree).
  const numeric = (ref: unknown) => ({ ...(ref as Snapshot), agentGroupId: Number((ref as Snapshot).agentGroupId) });
  const users = all('user').map((u) => ({ ...u, memberOf: numeric(u.memberOf), managerOf: (u.managerOf as unknown[]).map(numeric) }));
  return { users, skills: all('skill'), agentGroups: all('agentGroup'), profiles: all('profile') };
}
