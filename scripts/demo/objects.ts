// Building new objects of each type from the account config, with ids from the world.
import {
  AGENT_SURVEYS,
  CAMPAIGN_SCHEDULES,
  LATER_CAMPAIGN_SCHEDULES,
  LOBS,
  MAIN_GROUP,
  POST_CONVERSATION_SURVEYS,
  PROFILES,
  TEAM_GROUP,
  WORKING_HOURS,
  type ContentDefinition,
  type Domain,
  type GroupDefinition,
  type SkillDefinition,
} from './account-config';
import { asciiLogin } from './cast';
import { configDate, timeFrame, weeklyEvent } from './snapshots';
import type { Story } from './story';
import type { Originator, Snapshot } from './types';

const num = (id: string) => Number(id);

export function addLob(story: Story, lob: (typeof LOBS)[number], by: Originator) {
  const id = story.world.newId('lob');
  return story.add('lob', id, { id: num(id), deleted: false, name: lob.name, description: lob.description }, by, { key: lob.key });
}

export function addWorkingHours(story: Story, definition: (typeof WORKING_HOURS)[number], by: Originator) {
  const id = story.world.newId('workingHours');
  return story.add(
    'workingHours',
    id,
    {
      id: num(id),
      deleted: false,
      name: definition.name,
      description: definition.description,
      isDefault: definition.isDefault,
      events: definition.hours.map(weeklyEvent),
    },
    by,
    { key: definition.key },
  );
}

export function addSkill(story: Story, skill: SkillDefinition, order: number, by: Originator) {
  const { world } = story;
  const id = world.newId('skill');
  return story.add(
    'skill',
    id,
    {
      id: num(id),
      deleted: false,
      name: skill.name,
      description: skill.description,
      maxWaitTime: skill.maxWaitTime,
      skillOrder: order,
      canTransfer: true,
      skillTransferList: [],
      lobIds: [num(world.requireIdOfKey('lob', skill.lob))],
      wrapUpTime: 60,
      slaDefaultResponseTime: 3600,
      slaUrgentResponseTime: 1800,
      slaFirstTimeResponseTime: 7200,
      workingHoursId: num(world.requireIdOfKey('workingHours', skill.workingHours)),
      fallbackWhenAllAgentsAreAway: true,
      redistributeLoadToConnectedAgentGroups: false,
    },
    by,
    { key: skill.key, domain: skill.domain },
  );
}

export function addAgentGroup(story: Story, group: GroupDefinition, by: Originator) {
  const { world } = story;
  const id = world.newId('agentGroup');
  const parentGroupId = group.parent === null ? MAIN_GROUP.id : num(world.idOfKey('agentGroup', group.parent) ?? String(MAIN_GROUP.id));
  return story.add(
    'agentGroup',
    id,
    { id: num(id), deleted: false, name: group.name, description: group.description, parentGroupId, isEnabled: true },
    by,
    { key: group.key, domain: group.domain },
  );
}

/** The root group exists before auditing starts; it is only ever edited. */
export function mainGroupSnapshot(): Snapshot {
  return { id: MAIN_GROUP.id, deleted: false, name: MAIN_GROUP.name, parentGroupId: null, isEnabled: true };
}

export function addProfile(story: Story, profile: (typeof PROFILES)[number], by: Originator) {
  const id = story.world.newId('profile');
  return story.add(
    'profile',
    id,
    {
      id: num(id),
      deleted: false,
      name: profile.name,
      description: profile.description,
      roleTypeId: profile.roleTypeId,
      permissions: [...profile.permissions],
      isAssignedToLPA: false,
    },
    by,
    { key: profile.key },
  );
}

export function addCategory(story: Story, category: { key: string; name: string }, by: Originator) {
  const id = story.world.newId('contentCategory');
  return story.add('contentCategory', id, { id: num(id), deleted: false, name: category.name, type: 'PredefinedContent' }, by, { key: category.key });
}

export function addPredefinedContent(story: Story, content: ContentDefinition, by: Originator) {
  const { world } = story;
  const id = world.newId('predefinedContent');
  const skillIds = (content.skills ?? []).map((key) => world.idOfKey('skill', key)).filter((skill) => skill !== undefined);
  return story.add(
    'predefinedContent',
    id,
    {
      id: num(id),
      deleted: false,
      enabled: true,
      type: 0,
      hotkey: { prefix: '#', suffix: content.hotkey },
      data: [
        { title: content.title, msg: content.de, lang: 'de-DE', isDefault: true },
        { title: content.title, msg: content.en, lang: 'en-US', isDefault: false },
      ],
      categoriesIds: [num(world.requireIdOfKey('contentCategory', content.category))],
      skillIds: skillIds.map(num),
      lobIds: [],
    },
    by,
    { key: content.title },
  );
}

export const SURVEY_QUESTIONS = {
  csat: { id: 'q-csat', type: 'csat', text: 'How satisfied are you with this conversation?', scale: 5, required: true },
  nps: { id: 'q-nps', type: 'nps', text: 'How likely are you to recommend Acme to a friend?', scale: 10, required: true },
  resolved: { id: 'q-resolved', type: 'yesNo', text: 'Was your issue resolved today?', required: false },
  comment: { id: 'q-comment', type: 'openText', text: 'Anything we could do better?', required: false },
  reason: { id: 'q-reason', type: 'multipleChoice', text: 'Contact reason', options: ['Invoice', 'Payment', 'Technical', 'Contract', 'Other'] },
  resolution: { id: 'q-resolution', type: 'multipleChoice', text: 'Resolution', options: ['Resolved', 'Follow-up needed', 'Escalated'] },
  offer: { id: 'q-offer', type: 'multipleChoice', text: 'Offer outcome', options: ['Accepted', 'Declined', 'Thinking about it', 'No offer made'] },
} as const;

export function addPostConversationSurvey(story: Story, survey: (typeof POST_CONVERSATION_SURVEYS)[number], by: Originator) {
  const { world } = story;
  const id = world.newId('postConversationSurvey');
  const questions =
    survey.key === 'csat'
      ? [SURVEY_QUESTIONS.csat, SURVEY_QUESTIONS.comment]
      : survey.key === 'nps'
        ? [SURVEY_QUESTIONS.nps, SURVEY_QUESTIONS.comment]
        : [SURVEY_QUESTIONS.resolved];
  return story.add(
    'postConversationSurvey',
    id,
    {
      id: num(id),
      deleted: false,
      name: survey.name,
      description: survey.description,
      enabled: true,
      skillIds: survey.skills.map((key) => num(world.requireIdOfKey('skill', key))),
      botId: `survey-bot-${survey.key.toLowerCase()}`,
      timeoutInMinutes: survey.timeoutInMinutes,
      questions,
    },
    by,
    { key: survey.key },
  );
}

export function addAgentSurvey(story: Story, survey: (typeof AGENT_SURVEYS)[number], by: Originator) {
  const { world } = story;
  const id = world.newId('agentSurvey');
  const questions = survey.key === 'outcome' ? [SURVEY_QUESTIONS.reason, SURVEY_QUESTIONS.resolution] : [SURVEY_QUESTIONS.offer];
  return story.add(
    'agentSurvey',
    id,
    {
      id: num(id),
      deleted: false,
      name: survey.name,
      description: survey.description,
      enabled: true,
      isMandatory: survey.isMandatory,
      skillIds: survey.skills.map((key) => num(world.requireIdOfKey('skill', key))),
      questions,
    },
    by,
    { key: survey.key },
  );
}

export function addCampaignSchedule(
  story: Story,
  schedule: (typeof CAMPAIGN_SCHEDULES)[number] | (typeof LATER_CAMPAIGN_SCHEDULES)[number],
  by: Originator,
  runsForDays?: number,
) {
  const id = story.world.newId('campaignSchedule');
  const snapshot: Snapshot = {
    id: num(id),
    deleted: false,
    name: schedule.name,
    description: schedule.description,
    isDefault: schedule.isDefault,
    timeZone: 'Europe/Berlin',
    startDate: configDate(startOfNextDay(story.at)),
    events: schedule.hours.map(timeFrame),
  };
  if (runsForDays) snapshot.expirationDate = configDate(startOfNextDay(story.at) + runsForDays * 86_400_000);
  return story.add('campaignSchedule', id, snapshot, by, { key: schedule.key, expiresAt: runsForDays ? story.clock + runsForDays * 86_400_000 : undefined });
}

function startOfNextDay(instant: number): number {
  return Math.floor(instant / 86_400_000) * 86_400_000 + 86_400_000;
}

export interface NewUser {
  fullName: string;
  domain: Domain;
  isLead: boolean;
  /** Put into this group instead of the team's (e.g. New Joiners). */
  groupKey?: string;
}

export function addUser(story: Story, user: NewUser, by: Originator) {
  const { world, random } = story;
  const id = world.newId('user');
  const login = asciiLogin(user.fullName);
  const groupId = world.idOfKey('agentGroup', user.groupKey ?? TEAM_GROUP[user.domain]) ?? world.requireIdOfKey('agentGroup', TEAM_GROUP[user.domain]);
  const isPartner = user.domain === 'service';
  const profileKeys = user.isLead ? ['agent', 'manager'] : [isPartner ? 'agentRestricted' : 'agent'];
  const snapshot: Snapshot = {
    id,
    deleted: false,
    loginName: login,
    fullName: user.fullName,
    nickname: user.fullName.split(' ')[0],
    email: `${login}@acme-cc.example`,
    passwordSh: random.hex(64),
    changePwdNextLogin: true,
    isEnabled: true,
    disabledManually: false,
    userTypeId: 1,
    isApiUser: false,
    employeeId: `E${random.int(10000, 99999)}`,
    maxChats: user.isLead ? 2 : random.pick([3, 3, 4, 4, 4, 5]),
    maxAsyncChats: random.pick([6, 8, 10]),
    skillIds: skillsForDomain(story, user.domain, user.isLead ? 2 : random.int(1, 3)).map(num),
    profileIds: profileKeys.map((key) => num(world.requireIdOfKey('profile', key))),
    lobIds: lobsForDomain(story, user.domain).map(num),
    memberOf: { agentGroupId: groupId, assignmentDate: story.date() },
    managerOf: user.isLead ? [{ agentGroupId: world.requireIdOfKey('agentGroup', TEAM_GROUP[user.domain]), assignmentDate: story.date() }] : [],
    permissionGroups: [],
  };
  world.users.set(id, { domain: user.domain, isLead: user.isLead });
  return story.add('user', id, snapshot, by);
}

/** Skills of a team's domain that can take new agents (the first is the main skill). */
export function skillsForDomain(story: Story, domain: Domain, count: number): string[] {
  const { world } = story;
  const own = world.ids('skill').filter((id) => world.infoOf('skill', id)?.domain === domain && id !== world.retiringSkill);
  if (own.length === 0) return [];
  const [main, ...others] = own;
  return [main!, ...story.random.sample(others, count - 1)];
}

function lobsForDomain(story: Story, domain: Domain): string[] {
  const { world } = story;
  const lobs = new Set<string>();
  for (const id of world.ids('skill')) {
    if (world.infoOf('skill', id)?.domain !== domain) continue;
    for (const lob of (world.get('skill', id)?.lobIds as number[] | undefined) ?? []) lobs.add(String(lob));
  }
  return [...lobs].slice(0, 2);
}
