// The configuration the seeded story leaves behind, for the demo Agent Workspace to list and
// edit: then an edited user, skill or group already has months of history in the panel.
import { ADMINS } from './account';
import { runDemoStory, type DemoHistoryOptions } from './seed-history';
import type { Snapshot } from './types';

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
