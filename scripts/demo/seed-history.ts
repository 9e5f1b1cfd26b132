// The demo account's history, as a pure function: the same window and seed always give the
// same changes (same ids, same order, same bodies), so a re-run is an idempotent replay;
// and the configuration it leaves behind, which the demo Agent Workspace lists.
import { Random } from './random';
import { FALLBACK_OPERATIONS, OPERATIONS, rolloutSteps } from './changes';
import { Story } from './story';
import { workingHourInstants } from './timeline';
import { ADMINS } from './account';
import type { DemoChange, Snapshot } from './types';

export interface DemoHistoryOptions {
  /** First possible instant (ms); not before the account's auditEnabledAt. */
  from: number;
  /** Last possible instant (ms); not in the future. */
  to: number;
  /** Default 2,400. */
  changeCount?: number;
  /** Office hours are in this zone; default Europe/Berlin. */
  timeZone?: string;
  seed?: number;
}

export const DEMO_CHANGE_ID_PREFIX = 'demo-seed-';
export const DEFAULT_DEMO_CHANGE_COUNT = 2400;
const DEFAULT_SEED = 0x5eed_2024;
const TIMELINE_SEED_SALT = 0x7153_e11e;
/** Draws before falling back to an operation that always applies. */
const MAX_DRAWS = 40;

export function demoChangeId(index: number): string {
  return `${DEMO_CHANGE_ID_PREFIX}${String(index + 1).padStart(5, '0')}`;
}

export function generateDemoHistory(options: DemoHistoryOptions): DemoChange[] {
  return runDemoStory(options).changes;
}

/** The story played out: its changes, and the configuration it leaves behind. */
export function runDemoStory(options: DemoHistoryOptions): { changes: DemoChange[]; story: Story } {
  const count = options.changeCount ?? DEFAULT_DEMO_CHANGE_COUNT;
  const random = new Random(options.seed ?? DEFAULT_SEED);
  const story = new Story(random);
  const steps = rolloutSteps(story);
  if (count < steps.length) throw new Error(`the demo story needs at least ${steps.length} changes for its rollout`);

  // Its own stream, so the story's choices do not depend on how many days the window has:
  // fresh starts on different dates tell (nearly) the same story.
  const instants = workingHourInstants(new Random((options.seed ?? DEFAULT_SEED) ^ TIMELINE_SEED_SALT), {
    from: options.from,
    to: options.to,
    count,
    timeZone: options.timeZone ?? 'Europe/Berlin',
    rolloutWorkdays: 6,
  });

  const storyStepMs = (options.to - options.from) / count;
  for (const [i, instant] of instants.entries()) {
    story.at = instant;
    story.clock = i * storyStepMs;
    const before = story.changes.length;
    const step = steps[i];
    if (step) step(story);
    else nextOperation(story);
    if (story.changes.length !== before + 1) throw new Error(`demo story: step ${i} recorded ${story.changes.length - before} changes`);
  }
  return { changes: story.changes.map((change, i) => ({ changeId: demoChangeId(i), ...change })), story };
}

function nextOperation(story: Story): void {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    if (story.random.weighted(OPERATIONS)(story)) return;
  }
  for (const operation of FALLBACK_OPERATIONS) if (operation(story)) return;
  throw new Error('demo story: no operation applies');
}

// ---- the configuration the story leaves behind, for the demo Agent Workspace to list and
// edit: then an edited user, skill or group already has months of history in the panel.

export interface DemoWorkspaceData {
  users: Snapshot[];
  skills: Snapshot[];
  agentGroups: Snapshot[];
  profiles: Snapshot[];
}

/** Who saves in the demo workspace: one of the story's admins, so the trail reads as one account. */
export const DEMO_WORKSPACE_ORIGINATOR = ADMINS.sabine;

/** Pass the same options the history was seeded with (send-seed.ts demoStoryOptions). */
export function demoWorkspaceData(options: DemoHistoryOptions): DemoWorkspaceData {
  const { story } = runDemoStory(options);
  const all = (type: 'user' | 'skill' | 'agentGroup' | 'profile') => story.ids(type).map((id) => structuredClone(story.get(type, id)!));
  return {
    // The workspace compares group ids with ===, as numbers; the platform sends them as
    // strings inside memberOf/managerOf. The Worker compares ids as text, so both agree.
    users: all('user').map((user) => ({
      ...user,
      memberOf: numericGroup(user.memberOf),
      managerOf: (user.managerOf as unknown[]).map(numericGroup),
    })),
    skills: all('skill'),
    agentGroups: all('agentGroup'),
    profiles: all('profile'),
  };
}

function numericGroup(value: unknown): unknown {
  const ref = value as { agentGroupId: string; assignmentDate: string };
  return { ...ref, agentGroupId: Number(ref.agentGroupId) };
}
