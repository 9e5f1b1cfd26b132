// New objects in the shapes LivePerson's Account Config APIs return, made from the account's
// definitions (account.ts), so the Worker derives the rows it would from the real platform.
import * as A from './account';
import { DAY, type Obj, type Snapshot, type Story } from './story';

/** "MO,TU 08:00-20:00; SA 09:00-16:00" → the shift scheduling API's weekly events (the date only anchors the weekday). */
export const weeklyEvents = (hours: string): Snapshot[] =>
  hours.split('; ').map((part) => {
    const [days, start, end] = part.split(/[ -]/);
    const at = (time?: string) => ({ dateTime: `2024-01-01T${time}:00` });
    return { start: at(start), end: at(end), recurrence: [`RRULE:FREQ=WEEKLY;BYDAY=${days}`] };
  });

const base = (id: number, name: string, description: string) => ({ id, deleted: false, name, description });

/** For each type in the order the rollout adds them: its definitions, and how one is added. */
function adder<D>(defs: Record<string, D>, add: (s: Story, key: string, def: D) => Obj) {
  return { keys: Object.keys(defs), add: (s: Story, key: string) => add(s, key, defs[key]!) };
}
// Snapshots list their fields a few to a line: the platform's objects have many.
export const ADD = {
  lob: adder(A.LOBS, (s, key, { name, description }) => s.add('lob', A.OWNERS.lob, (id) => base(id, name, description), { key })),
  workingHours: adder(A.WORKING_HOURS, (s, key, { name, description, hours }) => {
    const snapshot = { isDefault: key === 'service', events: weeklyEvents(hours) };
    return s.add('workingHours', A.OWNERS.workingHours, (id) => ({ ...base(id, name, description), ...snapshot }), { key });
  }),
  specialOccasion: adder(A.SPECIAL_OCCASIONS, (s, key, { name, description, days }) => {
    const events = days.map((day) => ({ start: { dateTime: `${day}T00:00:00` }, end: { dateTime: `${day}T23:59:59` }, working: false }));
    return s.add('specialOccasion', A.OWNERS.specialOccasion, (id) => ({ ...base(id, name, description), isDefault: true, events }), {
      key,
    });
  }),
  agentGroup: adder(A.AGENT_GROUPS, (s, key, { name, description, parent }) => {
    const parentGroupId = parent ? s.ids('agentGroup', [parent])[0] : Number(A.MAIN_GROUP_ID);
    return s.add('agentGroup', A.OWNERS.agentGroup, (id) => ({ ...base(id, name, description), parentGroupId, isEnabled: true }), { key });
  }),
  skill: adder(A.SKILLS, (s, key, skill) => {
    const earlier = s.all('skill', (o) => !o.retiring).map((o) => Number(o.id));
    const [group] = s.ids('agentGroup', [A.TEAMS[skill.team].group]);
    return s.add(
      'skill',
      A.OWNERS.skill,
      (id) => ({
        ...base(id, skill.name, skill.description),
        ...{ maxWaitTime: s.random.pick([60, 120, 180, 300]), skillOrder: Object.keys(A.SKILLS).indexOf(key) + 1, canTransfer: true },
        ...{ skillTransferList: s.random.sample(earlier, 2), lobIds: s.ids('lob', [skill.lob]), wrapUpTime: 60 },
        ...{ slaDefaultResponseTime: 3600, slaUrgentResponseTime: 1800, slaFirstTimeResponseTime: 7200 },
        ...{ transferToAgentMaxWaitInSeconds: 120, autoCloseInSeconds: 3600, workingHoursId: s.ids('workingHours', [skill.hours])[0] },
        ...{ specialOccasionId: 'none', fallbackWhenAllAgentsAreAway: true, redistributeLoadToConnectedAgentGroups: false },
        skillRoutingConfiguration: [{ priority: 1, splitPercentage: 100, agentGroupId: group }],
        ...{ agentSurveyForMsgTimeoutInMinutes: 10, defaultPostChatSurveyId: 'none' },
        ...{ defaultOfflineSurveyId: 'none', defaultAgentSurveyId: 'none' },
        ...(earlier.length ? { fallbackSkill: s.random.pick(earlier) } : {}),
      }),
      { key },
    );
  }),
  automaticMessage: adder(A.AUTOMATIC_MESSAGES, (s, key, { name, description, event, text, skills }) =>
    s.add(
      'automaticMessage',
      A.OWNERS.automaticMessage,
      (id) => ({ ...base(id, name, description), messageEventId: event, enabled: true, data: [text], skillIds: s.ids('skill', skills) }),
      { key },
    ),
  ),
  profile: adder(A.PROFILES, (s, key, [name, description, roleTypeId, permissions]) => {
    const snapshot = { roleTypeId, permissions, permissionPackages: [roleTypeId * 100], isAssignedToLPA: key === 'admin' };
    return s.add('profile', A.OWNERS.profile, (id) => ({ ...base(id, name, description), ...snapshot }), { key });
  }),
  contentCategory: adder(A.CATEGORIES, (s, key, { name }) =>
    s.add('contentCategory', A.OWNERS.contentCategory, (id) => ({ id, deleted: false, name, type: 'PredefinedContent' }), { key }),
  ),
  predefinedContent: adder(A.CONTENT, (s, key, [category, title, de, en]) => {
    const teams = A.CATEGORIES[category]!.teams;
    const skillIds = s.ids(
      'skill',
      Object.keys(A.SKILLS).filter((skill) => teams.includes(A.SKILLS[skill as keyof typeof A.SKILLS].team)),
    );
    const data = [
      { title, msg: de, lang: 'de-DE', isDefault: true },
      { title, msg: en, lang: 'en-US', isDefault: false },
    ];
    return s.add(
      'predefinedContent',
      A.OWNERS.predefinedContent,
      (id) => ({
        ...{
          id,
          deleted: false,
          enabled: true,
          hotkey: { prefix: '#', suffix: key },
          data,
          categoriesIds: s.ids('contentCategory', [category]),
        },
        ...{ skillIds: s.random.sample(skillIds, 3), lobIds: s.ids('lob', ['mobile']) },
      }),
      { key },
    );
  }),
  postConversationSurvey: adder(A.POST_CONVERSATION_SURVEYS, (s, key, [name, description, question, skills]) =>
    s.add('postConversationSurvey', A.OWNERS.postConversationSurvey, (id) => ({
      ...base(id, name, description),
      ...{ enabled: true, skillIds: s.ids('skill', skills), questions: [question], botId: `survey-bot-${key}`, timeoutInMinutes: 30 },
    })),
  ),
  agentSurvey: adder(A.AGENT_SURVEYS, (s, key, [name, description, question, skills]) =>
    s.add('agentSurvey', A.OWNERS.agentSurvey, (id) => ({
      ...base(id, name, description),
      ...{ enabled: true, isMandatory: key === 'outcome', skillIds: s.ids('skill', skills), questions: [question] },
    })),
  ),
  campaignSchedule: adder(A.CAMPAIGN_SCHEDULES, (s, key, { name, description, hours, days }) => {
    const start = Math.floor(s.at / DAY) * DAY + DAY;
    const spans = hours.split('; ').map((part) => part.split(/[ -]/));
    const events = spans.map(([days, startTime, endTime]) => ({ type: 'weekly', days, startTime, endTime }));
    return s.add('campaignSchedule', A.OWNERS.campaignSchedule, (id) => ({
      ...base(id, name, description),
      ...{ isDefault: key === 'alwaysOn', timeZone: A.DEMO_ACCOUNT.timezone, startDate: s.date(start), events },
      expirationDate: days ? s.date(start + days * DAY) : '2099-12-31 23:59:59',
    }));
  }),
};

/** "Jürgen Öztürk" → "juergen.oeztuerk": login names and e-mail local parts are ASCII. */
export function asciiLogin(fullName: string): string {
  const umlauts: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
  return fullName
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => umlauts[c]!)
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
}

/** A new agent of a team, with a full name no agent of the story has had yet. */
export function addUser(s: Story, team: A.Team, lead = false, group: string = A.TEAMS[team].group): Obj {
  let fullName: string;
  do fullName = `${s.random.pick(A.FIRST_NAMES)} ${s.random.pick(A.LAST_NAMES)}`;
  while (s.usedNames.has(fullName));
  s.usedNames.add(fullName);
  const login = asciiLogin(fullName);
  const [main, ...more] = A.skillsOf(team);
  const teamGroup = s.ids('agentGroup', [A.TEAMS[team].group]).map(String)[0];
  const assigned = (agentGroupId = teamGroup) => ({ agentGroupId, assignmentDate: s.date() });
  return s.add(
    'user',
    A.OWNERS.user,
    (id) => ({
      ...{
        id: String(id),
        deleted: false,
        loginName: login,
        fullName,
        nickname: fullName.split(' ')[0],
        email: `${login}@acme-cc.example`,
      },
      ...{
        passwordSh: s.random.hex(64),
        changePwdNextLogin: true,
        isEnabled: true,
        disabledManually: false,
        userTypeId: 1,
        isApiUser: false,
      },
      ...{ allowedAppKeys: '', employeeId: `E${s.random.int(10000, 99999)}`, description: '', mobileNumber: '', pnCertName: '' },
      ...{ pictureUrl: `https://cdn.acme-cc.example/agents/${login}.png`, backgndImgUri: '' },
      ...{ maxChats: lead ? 2 : s.random.pick([3, 4, 4, 5]), maxAsyncChats: s.random.pick([6, 8, 10]) },
      skillIds: s.ids('skill', [main!, ...s.random.sample(more, s.random.int(0, 2))]),
      profileIds: s.ids('profile', lead ? ['agent', 'manager'] : [team === 'service' ? 'partner' : 'agent']),
      lobIds: s.ids('lob', [A.SKILLS[main!].lob]),
      memberOf: assigned(s.ids('agentGroup', [group]).map(String)[0] ?? teamGroup),
      managerOf: lead ? [assigned()] : [],
      permissionGroups: lead ? ['coaching'] : [],
    }),
    { team, lead },
  );
}
