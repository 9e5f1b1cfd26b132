// Day-to-day changes to agents: skill moves, team changes, password resets, chat limits,
// leave and return, hires and leavers, and what the identity provider syncs.
import { TEAM_GROUP, type Domain } from './account-config';
import type { AdminKey } from './cast';
import { addUser, skillsForDomain } from './objects';
import { newAgentName } from './rollout';
import { withItem, withoutItem } from './snapshots';
import type { Operation, Story } from './story';
import type { Snapshot } from './types';

/** The team lead who looks after a domain. */
function leadOf(domain: Domain): AdminKey {
  return domain === 'sales' || domain === 'retention' || domain === 'business' ? 'mehmet' : 'priya';
}

function users(story: Story, keep: (user: Snapshot, id: string) => boolean): string[] {
  return story.world.ids('user').filter((id) => keep(story.world.get('user', id)!, id));
}

function pickUser(story: Story, keep: (user: Snapshot, id: string) => boolean): string | undefined {
  const candidates = users(story, keep);
  return candidates.length ? story.random.pick(candidates) : undefined;
}

const isEnabled = (user: Snapshot) => user.isEnabled === true;
const skillIdsOf = (user: Snapshot) => (user.skillIds as number[]).map(String);
const domainOf = (story: Story, userId: string): Domain => story.world.users.get(userId)?.domain ?? 'service';
const isLead = (story: Story, userId: string) => story.world.users.get(userId)?.isLead === true;
const addedAt = (story: Story, userId: string) => story.world.infoOf('user', userId)?.addedAt ?? story.clock;

/** Skills an agent could be given: mostly the team's own, sometimes any other live skill. */
function assignableSkills(story: Story, userId: string, user: Snapshot): string[] {
  const { world } = story;
  const has = new Set(skillIdsOf(user));
  const live = world.ids('skill').filter((id) => !has.has(id) && id !== world.retiringSkill);
  const own = live.filter((id) => world.infoOf('skill', id)?.domain === domainOf(story, userId));
  return own.length && story.random.chance(0.75) ? own : live;
}

export const moveSkill: Operation = (story) => {
  const userId = pickUser(story, (user) => isEnabled(user) && skillIdsOf(user).length > 0);
  if (!userId) return false;
  const user = story.world.get('user', userId)!;
  const options = assignableSkills(story, userId, user);
  if (!options.length) return false;
  const from = Number(story.random.pick(skillIdsOf(user)));
  const to = Number(story.random.pick(options));
  return story.edit('user', userId, story.by(leadOf(domainOf(story, userId)), leadOf(domainOf(story, userId)), 'jonas'), (draft) => {
    draft.skillIds = (draft.skillIds as number[]).map((id) => (id === from ? to : id));
  });
};

export const addSkillToUser: Operation = (story) => {
  const userId = pickUser(story, (user) => isEnabled(user) && skillIdsOf(user).length < 4);
  if (!userId) return false;
  const options = assignableSkills(story, userId, story.world.get('user', userId)!);
  if (!options.length) return false;
  const skill = Number(story.random.pick(options));
  return story.edit('user', userId, story.by(leadOf(domainOf(story, userId)), 'jonas'), (draft) => {
    draft.skillIds = withItem(draft.skillIds as number[], skill);
  });
};

export const removeSkillFromUser: Operation = (story) => {
  const userId = pickUser(story, (user) => skillIdsOf(user).length > 1);
  if (!userId) return false;
  const skill = Number(story.random.pick(skillIdsOf(story.world.get('user', userId)!)));
  return story.edit('user', userId, story.by(leadOf(domainOf(story, userId)), 'jonas'), (draft) => {
    draft.skillIds = withoutItem(draft.skillIds as number[], skill);
  });
};

/** A move to another team, often with the new team's skills in the same save. */
export const changeTeam: Operation = (story) => {
  const { world, random } = story;
  // New joiners graduate to their team first.
  const newJoiners = world.idOfKey('agentGroup', 'newJoiners');
  const graduate = newJoiners
    ? pickUser(story, (user, id) => (user.memberOf as { agentGroupId: string }).agentGroupId === newJoiners && story.daysSince(addedAt(story, id)) > 20)
    : undefined;
  const userId = graduate ?? pickUser(story, (user, id) => isEnabled(user) && !isLead(story, id));
  if (!userId) return false;
  const user = world.get('user', userId)!;
  const current = (user.memberOf as { agentGroupId: string }).agentGroupId;
  const domain = domainOf(story, userId);
  const teamGroup = world.idOfKey('agentGroup', TEAM_GROUP[domain]);
  let target: string | undefined;
  let newDomain = domain;
  if (graduate) target = teamGroup;
  else {
    const groups = world.ids('agentGroup').filter((id) => id !== current && world.get('agentGroup', id)?.isEnabled === true && world.infoOf('agentGroup', id)?.key !== 'newJoiners');
    const teams = groups.filter((id) => world.infoOf('agentGroup', id)?.domain !== undefined || world.infoOf('agentGroup', id)?.key === 'nightShift');
    if (!teams.length) return false;
    target = random.pick(teams);
    newDomain = world.infoOf('agentGroup', target)?.domain ?? domain;
  }
  if (!target || target === current) return false;
  const reskill = newDomain !== domain && random.chance(0.6);
  const info = world.users.get(userId);
  if (info) info.domain = newDomain;
  return story.edit('user', userId, story.by('sabine', leadOf(newDomain)), (draft) => {
    draft.memberOf = { agentGroupId: target, assignmentDate: story.date() };
    if (reskill) draft.skillIds = skillsForDomain(story, newDomain, 2).map(Number);
  });
};

export const resetPassword: Operation = (story) => {
  const userId = pickUser(story, isEnabled);
  if (!userId) return false;
  return story.edit('user', userId, story.by('lena', 'lena', 'lena', leadOf(domainOf(story, userId))), (draft) => {
    draft.passwordSh = story.random.hex(64);
    draft.changePwdNextLogin = true;
  });
};

export const changeMaxChats: Operation = (story) => {
  const userId = pickUser(story, (user, id) => isEnabled(user) && !isLead(story, id));
  if (!userId) return false;
  const current = story.world.get('user', userId)!.maxChats as number;
  const next = story.random.pick([2, 3, 4, 5, 6].filter((n) => n !== current && Math.abs(n - current) <= 2));
  const alsoAsync = story.random.chance(0.25);
  return story.edit('user', userId, story.by('jonas', 'jonas', leadOf(domainOf(story, userId))), (draft) => {
    draft.maxChats = next;
    if (alsoAsync) draft.maxAsyncChats = story.random.pick([4, 6, 8, 10, 12].filter((n) => n !== draft.maxAsyncChats));
  });
};

export const disableUser: Operation = (story) => {
  const userId = pickUser(story, (user, id) => isEnabled(user) && !isLead(story, id));
  if (!userId) return false;
  const info = story.world.users.get(userId);
  if (info) Object.assign(info, { disabledAt: story.clock, leaving: story.random.chance(0.6) });
  return story.edit('user', userId, story.by('lena', 'sabine'), (draft) => {
    draft.isEnabled = false;
    draft.disabledManually = true;
  });
};

/** Back from leave (those disabled without leaving). */
export const enableUser: Operation = (story) => {
  const userId = pickUser(story, (user, id) => {
    const info = story.world.users.get(id);
    return !isEnabled(user) && info?.leaving === false && story.daysSince(info.disabledAt ?? story.clock) > 5;
  });
  if (!userId) return false;
  const info = story.world.users.get(userId);
  if (info) delete info.disabledAt;
  return story.edit('user', userId, story.by('lena', 'sabine'), (draft) => {
    draft.isEnabled = true;
    draft.disabledManually = false;
    draft.passwordSh = story.random.hex(64);
    draft.changePwdNextLogin = true;
  });
};

/** Leavers are deleted a couple of weeks after being disabled. */
export const deleteUser: Operation = (story) => {
  const userId = pickUser(story, (user, id) => {
    const info = story.world.users.get(id);
    return !isEnabled(user) && info?.leaving === true && story.daysSince(info.disabledAt ?? story.clock) > 14;
  });
  if (!userId) return false;
  return story.remove('user', userId, story.by('lena'));
};

export const hireAgent: Operation = (story) => {
  const domain = story.random.pick(['billing', 'sales', 'tech', 'tech', 'retention', 'service', 'service', 'business'] as const);
  const groupKey = story.world.idOfKey('agentGroup', 'newJoiners') ? 'newJoiners' : undefined;
  return addUser(story, { fullName: newAgentName(story), domain, isLead: false, groupKey }, story.by('lena', 'sabine'));
};

/** An agent becomes a team lead: manager profile, manages the team, fewer chats. */
export const promoteToLead: Operation = (story) => {
  const { world } = story;
  const leads = [...world.users.values()].filter((info) => info.isLead).length;
  if (leads >= 12) return false;
  const userId = pickUser(story, (user, id) => isEnabled(user) && !isLead(story, id) && story.daysSince(addedAt(story, id)) > 30);
  if (!userId) return false;
  const team = world.idOfKey('agentGroup', TEAM_GROUP[domainOf(story, userId)]);
  const manager = world.idOfKey('profile', 'manager');
  if (!team || !manager) return false;
  const info = world.users.get(userId);
  if (info) info.isLead = true;
  return story.edit('user', userId, story.by('sabine'), (draft) => {
    draft.profileIds = withItem(draft.profileIds as number[], Number(manager));
    draft.managerOf = [...(draft.managerOf as unknown[]), { agentGroupId: team, assignmentDate: story.date() }];
    draft.maxChats = 2;
  });
};

export const updateContactDetails: Operation = (story) => {
  const userId = pickUser(story, isEnabled);
  if (!userId) return false;
  const mobile = `+49 15${story.random.int(1, 9)} ${story.random.int(1000000, 9999999)}`;
  const which = story.random.pick(['nickname', 'mobileNumber', 'description'] as const);
  return story.edit('user', userId, story.by('lena', leadOf(domainOf(story, userId))), (draft) => {
    if (which === 'nickname') draft.nickname = `${String(draft.nickname)} ${String(draft.fullName).split(' ')[1]?.[0] ?? ''}.`.trim();
    else if (which === 'mobileNumber') draft.mobileNumber = mobile;
    else draft.description = story.random.pick(['Part-time (30 h)', 'Works Mon–Wed', 'Trainer for new joiners', 'Bilingual DE/EN', 'Night shift volunteer']);
  });
};

/**
 * The identity provider's sync reports what changed as elements (it has no full snapshot):
 * employee ids re-keyed by HR, leavers disabled, name changes.
 */
export const identitySync: Operation = (story) => {
  const { world, random } = story;
  const kind = random.weighted([
    ['employeeId', 3],
    ['disable', 2],
    ['rename', 1],
  ] as const);
  const userId = pickUser(story, (user, id) => isEnabled(user) && !(kind === 'disable' && isLead(story, id)));
  if (!userId) return false;
  const user = world.get('user', userId)!;
  const name = String(user.fullName);
  const by = story.by('sync');
  if (kind === 'employeeId') {
    const next = `E${random.int(100000, 999999)}`;
    return story.editElements('user', userId, name, by, [{ element: 'Employee ID', oldValue: user.employeeId, newValue: next }], (draft) => {
      draft.employeeId = next;
    });
  }
  if (kind === 'disable') {
    const info = world.users.get(userId);
    if (info) Object.assign(info, { disabledAt: story.clock, leaving: true });
    return story.editElements('user', userId, name, by, [{ element: 'Enabled', oldValue: true, newValue: false }], (draft) => {
      draft.isEnabled = false;
    });
  }
  // A new last name after marriage: name and e-mail follow.
  const [first] = name.split(' ');
  const newName = `${first} ${random.pick(['Becker', 'Lindqvist', 'Amrani', 'Kovač', 'Santos', 'Weiß', 'Brennan'])}`;
  if (newName === name || world.usedNames.has(newName)) return false;
  world.usedNames.add(newName);
  const newEmail = `${newName.toLowerCase().replace(/ß/g, 'ss').replace(/č/g, 'c').replace(' ', '.')}@acme-cc.example`;
  return story.editElements(
    'user',
    userId,
    newName,
    by,
    [
      { element: 'Name', oldValue: name, newValue: newName },
      { element: 'Email', oldValue: user.email, newValue: newEmail },
    ],
    (draft) => {
      draft.fullName = newName;
      draft.email = newEmail;
    },
  );
};
