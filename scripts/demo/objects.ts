// New objects in the shapes LivePerson's Account Config APIs return, built from the account's
// definitions (account.ts), so the Worker derives the rows it would from the real platform.
import {
  AGENT_GROUPS,
  CAMPAIGN_SCHEDULES,
  CATEGORIES,
  CONTENT,
  FIRST_NAMES,
  LAST_NAMES,
  LOBS,
  MAIN_GROUP_ID,
  PROFILES,
  SKILLS,
  SURVEYS,
  TEAMS,
  WORKING_HOURS,
  type Hours,
  type Team,
} from './account';
import type { Story } from './story';
import type { DemoObjectType, Originator, Snapshot } from './types';

const DAY = 86_400_000;
const num = Number;

/** A weekly opening-hours event (shift scheduling API); the date only anchors the weekday. */
export const weeklyEvent = ([days, start, end]: Hours[number]): Snapshot => ({
  start: { dateTime: `2024-01-01T${start}:00` },
  end: { dateTime: `2024-01-01T${end}:00` },
  recurrence: [`RRULE:FREQ=WEEKLY;BYDAY=${days}`],
});

/** The ids of live objects made from these keys. */
function idsOf(story: Story, type: DemoObjectType, keys: readonly string[] = []): number[] {
  return keys
    .map((key) => story.idOf(type, key))
    .filter((id) => id !== undefined)
    .map(num);
}

type Definition<T extends readonly unknown[]> = T[number];

export const addLob = (s: Story, lob: Definition<typeof LOBS>, by: Originator) =>
  s.add('lob', (id) => ({ id: num(id), deleted: false, name: lob.name, description: lob.description }), by, { key: lob.key });

export const addWorkingHours = (s: Story, hours: Definition<typeof WORKING_HOURS>, by: Originator) =>
  s.add(
    'workingHours',
    (id) => ({
      id: num(id),
      deleted: false,
      name: hours.name,
      description: hours.description,
      isDefault: hours.key === 'service',
      events: hours.hours.map(weeklyEvent),
    }),
    by,
    { key: hours.key },
  );

export const addSkill = (s: Story, skill: Definition<typeof SKILLS>, by: Originator) => {
  const earlier = s.ids('skill').map(num);
  return s.add(
    'skill',
    (id) => ({
      id: num(id),
      deleted: false,
      name: skill.name,
      description: skill.description,
      maxWaitTime: s.random.pick([60, 120, 180, 300]),
      skillOrder: SKILLS.indexOf(skill) + 1,
      canTransfer: true,
      skillTransferList: s.random.sample(earlier, 2),
      lobIds: idsOf(s, 'lob', [skill.lob]),
      wrapUpTime: 60,
      slaDefaultResponseTime: 3600,
      slaUrgentResponseTime: 1800,
      slaFirstTimeResponseTime: 7200,
      transferToAgentMaxWaitInSeconds: 120,
      autoCloseInSeconds: 3600,
      workingHoursId: num(s.idOf('workingHours', skill.hours)),
      specialOccasionId: 'none',
      fallbackWhenAllAgentsAreAway: true,
      redistributeLoadToConnectedAgentGroups: false,
      skillRoutingConfiguration: [
        { priority: 1, splitPercentage: 100, agentGroupId: num(s.idOf('agentGroup', TEAMS[skill.team].group) ?? MAIN_GROUP_ID) },
      ],
      agentSurveyForMsgTimeoutInMinutes: 10,
      defaultPostChatSurveyId: 'none',
      defaultOfflineSurveyId: 'none',
      defaultAgentSurveyId: 'none',
      ...(earlier.length ? { fallbackSkill: s.random.pick(earlier) } : {}),
    }),
    by,
    { key: skill.key, team: skill.team, later: skill.later },
  );
};

export const addAgentGroup = (s: Story, group: Definition<typeof AGENT_GROUPS>, by: Originator) =>
  s.add(
    'agentGroup',
    (id) => ({
      id: num(id),
      deleted: false,
      name: group.name,
      description: group.description,
      parentGroupId: num((group.parent && s.idOf('agentGroup', group.parent)) || MAIN_GROUP_ID),
      isEnabled: true,
    }),
    by,
    { key: group.key, later: group.later },
  );

export const addProfile = (s: Story, profile: Definition<typeof PROFILES>, by: Originator) =>
  s.add(
    'profile',
    (id) => ({
      id: num(id),
      deleted: false,
      name: profile.name,
      description: profile.description,
      roleTypeId: profile.roleTypeId,
      permissions: [...profile.permissions],
      permissionPackages: [profile.roleTypeId * 100],
      isAssignedToLPA: profile.key === 'admin',
    }),
    by,
    { key: profile.key },
  );

export const addCategory = (s: Story, category: Definition<typeof CATEGORIES>, by: Originator) =>
  s.add('contentCategory', (id) => ({ id: num(id), deleted: false, name: category.name, type: 'PredefinedContent' }), by, {
    key: category.key,
    later: category.later,
  });

export const addContent = (s: Story, content: Definition<typeof CONTENT>, by: Originator) =>
  s.add(
    'predefinedContent',
    (id) => ({
      id: num(id),
      deleted: false,
      enabled: true,
      hotkey: { prefix: '#', suffix: content.hotkey },
      data: [
        { title: content.title, msg: content.de, lang: 'de-DE', isDefault: true },
        { title: content.title, msg: content.en, lang: 'en-US', isDefault: false },
      ],
      categoriesIds: idsOf(s, 'contentCategory', [content.category]),
      skillIds: idsOf(s, 'skill', content.skills),
      lobIds: idsOf(s, 'lob', ['mobile']),
    }),
    by,
    { key: content.title, later: content.later },
  );

export const addSurvey = (s: Story, survey: Definition<typeof SURVEYS>, by: Originator) =>
  s.add(
    survey.type,
    (id) => ({
      id: num(id),
      deleted: false,
      name: survey.name,
      description: survey.description,
      enabled: true,
      skillIds: idsOf(s, 'skill', survey.skills),
      questions: [...survey.questions],
      ...(survey.type === 'agentSurvey'
        ? { isMandatory: survey.key === 'outcome' }
        : { botId: `survey-bot-${survey.key}`, timeoutInMinutes: 30 }),
    }),
    by,
    { key: survey.key },
  );

export const addCampaignSchedule = (s: Story, schedule: Definition<typeof CAMPAIGN_SCHEDULES>, by: Originator) => {
  const start = Math.floor(s.at / DAY) * DAY + DAY;
  return s.add(
    'campaignSchedule',
    (id) => ({
      id: num(id),
      deleted: false,
      name: schedule.name,
      description: schedule.description,
      isDefault: schedule.key === 'alwaysOn',
      timeZone: 'Europe/Berlin',
      startDate: s.date(start),
      expirationDate: schedule.days ? s.date(start + schedule.days * DAY) : '2099-12-31 23:59:59',
      events: schedule.hours.map(([days, startTime, endTime]) => ({ type: 'weekly', days, startTime, endTime })),
    }),
    by,
    { key: schedule.key, later: schedule.later, expiresAt: schedule.days ? s.clock + schedule.days * DAY : undefined },
  );
};

/** "Jürgen Öztürk" → "juergen.oeztuerk": login names and e-mail local parts are ASCII. */
export function asciiLogin(fullName: string): string {
  const replacements: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ş: 's', ı: 'i' };
  return fullName
    .toLowerCase()
    .replace(/[äöüßşı]/g, (c) => replacements[c]!)
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
}

export function addUser(s: Story, user: { fullName: string; team: Team; isLead: boolean; group?: string }, by: Originator) {
  const { random } = s;
  const login = asciiLogin(user.fullName);
  const team = s.idOf('agentGroup', TEAMS[user.team].group)!;
  const teamSkills = SKILLS.filter((skill) => skill.team === user.team).map((skill) => skill.key);
  const profiles = user.isLead ? ['agent', 'manager'] : [user.team === 'service' ? 'partner' : 'agent'];
  return s.add(
    'user',
    (id) => ({
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
      allowedAppKeys: '',
      employeeId: `E${random.int(10000, 99999)}`,
      description: '',
      mobileNumber: '',
      pictureUrl: `https://cdn.acme-cc.example/agents/${login}.png`,
      backgndImgUri: '',
      pnCertName: '',
      maxChats: user.isLead ? 2 : random.pick([3, 4, 4, 5]),
      maxAsyncChats: random.pick([6, 8, 10]),
      skillIds: idsOf(s, 'skill', [teamSkills[0]!, ...random.sample(teamSkills.slice(1), random.int(0, 2))]),
      profileIds: idsOf(s, 'profile', profiles),
      lobIds: idsOf(s, 'lob', [SKILLS.find((skill) => skill.team === user.team)!.lob]),
      memberOf: { agentGroupId: (user.group && s.idOf('agentGroup', user.group)) || team, assignmentDate: s.date() },
      managerOf: user.isLead ? [{ agentGroupId: team, assignmentDate: s.date() }] : [],
      permissionGroups: user.isLead ? ['coaching'] : [],
    }),
    by,
    { team: user.team, isLead: user.isLead },
  );
}

/** A full name no agent of the story has had yet. */
export function newAgentName(s: Story): string {
  for (;;) {
    const name = `${s.random.pick(FIRST_NAMES)} ${s.random.pick(LAST_NAMES)}`;
    if (!s.usedNames.has(name)) return (s.usedNames.add(name), name);
  }
}
