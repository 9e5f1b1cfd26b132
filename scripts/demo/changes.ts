// What the admins do: first the rollout (the configuration, then the agents, who reference
// all of it), then day to day: mostly agents' skills, teams, passwords and chat limits, now
// and then every other setting, hires and leavers, and objects added and retired again.
import {
  AGENT_GROUPS,
  CAMPAIGN_SCHEDULES,
  CATEGORIES,
  CLOSURES,
  CONTENT,
  LOBS,
  MAIN_GROUP_ID,
  NOTES,
  PROFILES,
  QUESTIONS,
  SKILLS,
  SURVEYS,
  TEAMS,
  WORKING_HOURS,
  type AdminKey,
  type Team,
} from './account';
import {
  addAgentGroup,
  addCampaignSchedule,
  addCategory,
  addContent,
  addLob,
  addProfile,
  addSkill,
  addSurvey,
  addUser,
  addWorkingHours,
  asciiLogin,
  newAgentName,
  weeklyEvent,
} from './objects';
import type { Story } from './story';
import type { DemoElement, DemoObjectType, Snapshot } from './types';

/** Records exactly one change, or nothing (false) when it does not apply now. */
export type Operation = (s: Story) => boolean;

export function rolloutSteps(s: Story): Operation[] {
  const now = <T extends { later?: boolean }>(items: readonly T[]) => items.filter((item) => !item.later);
  const agents = Object.entries(TEAMS).flatMap(([team, { size }]) =>
    Array.from({ length: size }, (_, i) => ({ fullName: newAgentName(s), team: team as Team, isLead: i === 0 })),
  );
  return [
    // The root group predates auditing; its first edit makes its name known to the trail.
    (s) => {
      s.put('agentGroup', MAIN_GROUP_ID, { id: -1, deleted: false, name: 'Main Group', parentGroupId: null, isEnabled: true });
      return s.edit('agentGroup', MAIN_GROUP_ID, s.by('lena'), (group) => (group.description = 'All agents of Acme Contact Center'));
    },
    ...LOBS.map((lob) => (s: Story) => addLob(s, lob, s.by('lena', 'sabine'))),
    ...WORKING_HOURS.map((hours) => (s: Story) => addWorkingHours(s, hours, s.by('jonas'))),
    ...now(AGENT_GROUPS).map((group) => (s: Story) => addAgentGroup(s, group, s.by('sabine', 'lena'))),
    ...now(SKILLS).map((skill) => (s: Story) => addSkill(s, skill, s.by('jonas', 'jonas', 'sabine'))),
    ...PROFILES.map((profile) => (s: Story) => addProfile(s, profile, s.by('lena'))),
    ...now(CATEGORIES).map((category) => (s: Story) => addCategory(s, category, s.by('claire'))),
    ...now(CONTENT).map((content) => (s: Story) => addContent(s, content, s.by('claire'))),
    ...SURVEYS.map((survey) => (s: Story) => addSurvey(s, survey, s.by('tomasz'))),
    ...now(CAMPAIGN_SCHEDULES).map((schedule) => (s: Story) => addCampaignSchedule(s, schedule, s.by('jonas', 'mehmet'))),
    // Team leads first, then everyone else in a mixed order.
    ...[
      ...agents.filter((a) => a.isLead),
      ...s.random.sample(
        agents.filter((a) => !a.isLead),
        agents.length,
      ),
    ].map((agent) => (s: Story) => addUser(s, agent, s.by('lena', 'lena', 'sabine'))),
    // The object types LivePerson's own audit trail knows besides the ones above.
    (s) =>
      s.add(
        'automaticMessage',
        (id) => ({
          id: Number(id),
          deleted: false,
          name: 'Welcome',
          description: 'Greets every new conversation',
          messageEventId: 'GREETING',
          enabled: true,
          data: ['Hi, how can we help?'],
          skillIds: s.ids('skill').slice(0, 2).map(Number),
        }),
        s.by('claire'),
        { key: 'welcome' },
      ),
    (s) =>
      s.add(
        'specialOccasion',
        (id) => ({
          id: Number(id),
          deleted: false,
          name: 'Public holidays',
          description: 'Closed on public holidays',
          isDefault: true,
          events: [{ start: { dateTime: '2026-12-25T00:00:00' }, end: { dateTime: '2026-12-26T00:00:00' }, working: false }],
        }),
        s.by('jonas'),
        { key: 'holidays' },
      ),
  ];
}

// ---- helpers ----

const numbers = (value: unknown) => (Array.isArray(value) ? (value as number[]) : []);
/** `list` with `item` taken out if it is there, else added (keeping at least `min` items). */
const toggle = <T>(list: readonly T[], item: T, min = 0): T[] =>
  list.includes(item) ? (list.length > min ? list.filter((x) => x !== item) : [...list]) : [...list, item];
const other = <T>(s: Story, items: readonly T[], current: unknown): T =>
  s.random.pick(items.filter((item) => item !== current).length ? items.filter((item) => item !== current) : items);
const note = (s: Story, text: unknown) => `${String(text ?? '').replace(/ \(.*\)$/, '')} (${s.random.pick(NOTES)})`.trim();
/** Skills that take new assignments: not the one being retired. */
const liveSkills = (s: Story) => s.ids('skill', (_, info) => !info.retiring).map(Number);
const teamOf = (s: Story, userId: string): Team => s.infoOf('user', userId).team ?? 'service';

/** An edit of an enabled agent, by their team lead or one of `others`. */
function editAgent(
  s: Story,
  others: AdminKey[],
  mutate: (draft: Snapshot, id: string) => void,
  keep: (user: Snapshot, id: string) => boolean = () => true,
): boolean {
  const id = s.pick('user', (user, info, id) => user.isEnabled === true && !info.isLead && keep(user, id));
  return id !== undefined && s.edit('user', id, s.by(TEAMS[teamOf(s, id)].lead, ...others), (draft) => mutate(draft, id));
}

// ---- agents ----

const USER_OPERATIONS: [Operation, number][] = [
  [
    (s) =>
      editAgent(s, ['jonas'], (u) => {
        const skills = numbers(u.skillIds);
        const fresh = liveSkills(s).filter((id) => !skills.includes(id));
        if (fresh.length) u.skillIds = [...skills.slice(0, -1), s.random.pick(fresh)];
      }),
    15,
  ],
  [(s) => editAgent(s, ['jonas'], (u) => (u.skillIds = toggle(numbers(u.skillIds), s.random.pick(liveSkills(s)), 1))), 11],
  [
    (s) =>
      editAgent(s, ['sabine'], (u, id) => {
        // A move to another team, often with its main skill in the same save.
        const team = other(s, Object.keys(TEAMS) as Team[], teamOf(s, id));
        s.infoOf('user', id).team = team;
        u.memberOf = { agentGroupId: s.idOf('agentGroup', TEAMS[team].group)!, assignmentDate: s.date() };
        const main = s.idOf('skill', SKILLS.find((skill) => skill.team === team)!.key);
        if (main && s.random.chance(0.6)) u.skillIds = [Number(main)];
      }),
    8,
  ],
  [(s) => editAgent(s, ['lena', 'lena', 'lena'], (u) => Object.assign(u, { passwordSh: s.random.hex(64), changePwdNextLogin: true })), 9],
  [(s) => editAgent(s, ['jonas', 'jonas'], (u) => (u.maxChats = other(s, [2, 3, 4, 5, 6], u.maxChats))), 7],
  [(s) => editAgent(s, ['jonas'], (u) => (u.maxAsyncChats = other(s, [4, 6, 8, 10, 12], u.maxAsyncChats))), 1.5],
  [
    (s) =>
      editAgent(s, ['lena'], (u) => {
        const login = asciiLogin(String(u.fullName));
        const field = s.random.pick(['nickname', 'mobileNumber', 'description', 'pictureUrl', 'backgndImgUri', 'pnCertName']);
        u[field] = {
          nickname: `${String(u.fullName).split(' ')[0]} ${String(u.fullName).split(' ')[1]?.[0]}.`,
          mobileNumber: `+49 15${s.random.int(1, 9)} ${s.random.int(1000000, 9999999)}`,
          description: note(s, u.description),
          pictureUrl: `https://cdn.acme-cc.example/agents/${login}-${s.date().slice(0, 10)}.png`,
          backgndImgUri: `https://cdn.acme-cc.example/backgrounds/${s.random.pick(['berlin', 'leipzig', 'lisbon'])}.jpg`,
          pnCertName: `acme-agent-app-${s.random.int(2, 4)}`,
        }[field];
      }),
    2.5,
  ],
  [(s) => editAgent(s, ['sabine'], (u) => (u.lobIds = toggle(numbers(u.lobIds), Number(s.pick('lob')), 1))), 0.8],
  [
    (s) =>
      editAgent(
        s,
        ['lena'],
        (u) => (u.permissionGroups = toggle(u.permissionGroups as string[], s.random.pick(['coaching', 'quality', 'reporting']))),
      ),
    0.6,
  ],
  // An agent becomes a team lead: manager profile, manages the team, fewer chats.
  [
    (s) =>
      s.ids('user', (_, info) => info.isLead === true).length < 12 &&
      editAgent(
        s,
        ['sabine'],
        (u, id) => {
          s.infoOf('user', id).isLead = true;
          u.profileIds = toggle(numbers(u.profileIds), Number(s.idOf('profile', 'manager')));
          u.managerOf = [
            ...(u.managerOf as unknown[]),
            { agentGroupId: s.idOf('agentGroup', TEAMS[teamOf(s, id)].group), assignmentDate: s.date() },
          ];
          u.maxChats = 2;
        },
        (_, id) => s.daysSince(s.infoOf('user', id).addedAt) > 30,
      ),
    0.4,
  ],
  [
    (s) =>
      editAgent(s, ['sabine'], (u, id) => {
        Object.assign(s.infoOf('user', id), { disabledAt: s.clock, leaving: s.random.chance(0.6) });
        Object.assign(u, { isEnabled: false, disabledManually: true });
      }),
    2.5,
  ],
  // Back from leave.
  [
    (s) => {
      const id = s.pick('user', (u, info) => u.isEnabled === false && info.leaving === false && s.daysSince(info.disabledAt) > 5);
      return (
        id !== undefined &&
        s.edit('user', id, s.by('lena', 'sabine'), (u) =>
          Object.assign(u, { isEnabled: true, disabledManually: false, passwordSh: s.random.hex(64) }),
        )
      );
    },
    1.5,
  ],
  // Leavers are deleted a couple of weeks after being disabled.
  [
    (s) => {
      const id = s.pick('user', (u, info) => u.isEnabled === false && info.leaving === true && s.daysSince(info.disabledAt) > 14);
      return id !== undefined && s.remove('user', id, s.by('lena'));
    },
    1.5,
  ],
  [
    (s) =>
      addUser(
        s,
        { fullName: newAgentName(s), team: s.random.pick(Object.keys(TEAMS) as Team[]), isLead: false, group: 'newJoiners' },
        s.by('lena', 'sabine'),
      ),
    3,
  ],
  [identitySync, 5],
];

/** The identity provider reports what changed as elements (it has no full snapshot). */
function identitySync(s: Story): boolean {
  const id = s.pick('user', (u, info) => u.isEnabled === true && !info.isLead);
  if (id === undefined) return false;
  const user = s.get('user', id)!;
  const [element, newValue, key] = s.random.weighted([
    [['Employee ID', `E${s.random.int(100000, 999999)}`, 'employeeId'], 3],
    [['Enabled', false, 'isEnabled'], 2],
    [['Email', `${asciiLogin(String(user.fullName))}@acme-energy.example`, 'email'], 1],
  ] as const);
  if (key === 'isEnabled') Object.assign(s.infoOf('user', id), { disabledAt: s.clock, leaving: true });
  return s.editElements(
    'user',
    id,
    String(user.fullName),
    s.by('sync'),
    [{ element, oldValue: user[key] as DemoElement['oldValue'], newValue }],
    (u) => (u[key] = newValue),
  );
}

// ---- everything else ----

type Edit = (s: Story, draft: Snapshot) => void;
const CONFIG_EDITS: Partial<Record<DemoObjectType, { weight: number; by: AdminKey[]; edits: Edit[] }>> = {
  skill: {
    weight: 6,
    by: ['jonas', 'jonas', 'sabine'],
    edits: [
      (s, d) => (d.maxWaitTime = other(s, [30, 60, 90, 120, 180, 300, 600], d.maxWaitTime)),
      (s, d) => (d.skillTransferList = toggle(numbers(d.skillTransferList), other(s, liveSkills(s), d.id))),
      (s, d) => (d.slaDefaultResponseTime = other(s, [1800, 3600, 7200, 14400], d.slaDefaultResponseTime)),
      (s, d) => (d.wrapUpTime = other(s, [30, 45, 60, 90, 120], d.wrapUpTime)),
      (s, d) => (d.description = note(s, d.description)),
      (s, d) => (d.workingHoursId = Number(other(s, s.ids('workingHours'), String(d.workingHoursId)))),
      (s, d) => (d.fallbackSkill = other(s, liveSkills(s), d.id)),
      (s, d) => (d.lobIds = toggle(numbers(d.lobIds), Number(s.pick('lob')), 1)),
      (s, d) => (d.agentSurveyForMsgId = Number(other(s, s.ids('agentSurvey'), String(d.agentSurveyForMsgId)))),
      (s, d) => (d.defaultPostChatSurveyId = other(s, s.ids('postConversationSurvey'), d.defaultPostChatSurveyId)),
      (s, d) => (d.autoCloseInSeconds = other(s, [1800, 3600, 7200], d.autoCloseInSeconds)),
    ],
  },
  agentGroup: { weight: 1.2, by: ['sabine', 'lena'], edits: [(s, d) => (d.description = note(s, d.description))] },
  profile: {
    weight: 1.5,
    by: ['lena'],
    edits: [
      (s, d) => (d.permissions = toggle(numbers(d.permissions), s.random.pick([7, 9, 14, 19, 27, 33, 36, 47]))),
      (s, d) => (d.description = note(s, d.description)),
    ],
  },
  lob: { weight: 0.4, by: ['sabine'], edits: [(s, d) => (d.description = note(s, d.description))] },
  postConversationSurvey: {
    weight: 2,
    by: ['tomasz', 'tomasz', 'sabine'],
    edits: [
      (s, d) => (d.skillIds = toggle(numbers(d.skillIds), s.random.pick(liveSkills(s)), 1)),
      (s, d) => (d.timeoutInMinutes = other(s, [15, 30, 60, 120, 1440], d.timeoutInMinutes)),
      (s, d) => (d.questions = toggle(d.questions as unknown[], QUESTIONS.resolved, 1)),
      (s, d) => (d.enabled = !d.enabled),
    ],
  },
  agentSurvey: {
    weight: 1.3,
    by: ['tomasz'],
    edits: [
      (s, d) => (d.skillIds = toggle(numbers(d.skillIds), s.random.pick(liveSkills(s)), 1)),
      (s, d) => (d.isMandatory = !d.isMandatory),
      (s, d) => (d.questions = toggle(d.questions as unknown[], QUESTIONS.resolved, 1)),
    ],
  },
  campaignSchedule: {
    weight: 1.5,
    by: ['jonas', 'mehmet'],
    edits: [
      (s, d) =>
        (d.events = (d.events as Snapshot[]).map((event, i) =>
          i ? event : { ...event, endTime: other(s, ['17:00', '18:00', '20:00', '21:00'], event.endTime) },
        )),
      (s, d) => (d.description = note(s, d.description)),
    ],
  },
  workingHours: {
    weight: 2,
    by: ['jonas'],
    edits: [
      // A special occasion: closed, or open shorter, on one day.
      (s, d) => {
        const day = s.date(s.at + s.random.int(7, 40) * 86_400_000).slice(0, 10);
        const summary = s.random.pick(CLOSURES);
        d.events = [
          ...(d.events as Snapshot[]),
          s.random.chance(0.7)
            ? { summary, start: { date: day }, end: { date: day }, closed: true }
            : { summary, start: { dateTime: `${day}T10:00:00` }, end: { dateTime: `${day}T14:00:00` } },
        ];
      },
      // Past closures are tidied away.
      (s, d) =>
        (d.events = (d.events as Snapshot[]).filter(
          (event, i, all) => !('summary' in event) || all.findIndex((e) => 'summary' in e) !== i,
        )),
      (s, d) =>
        (d.events = (d.events as Snapshot[]).map((event, i) =>
          i
            ? event
            : weeklyEvent([
                String((event.recurrence as string[])[0]).replace(/^.*BYDAY=/, ''),
                '08:00',
                other(s, ['18:00', '19:00', '20:00', '21:00'], ''),
              ]),
        )),
    ],
  },
  predefinedContent: {
    weight: 5,
    by: ['claire', 'claire', 'claire', 'priya'],
    edits: [
      // A closing sentence comes and goes, the kind of wording change knowledge managers make.
      (s, d) => {
        const texts = d.data as Snapshot[];
        const i = s.random.int(0, texts.length - 1);
        const closing = texts[i]!.lang === 'de-DE' ? ' Vielen Dank für Ihre Geduld.' : ' Thanks for your patience.';
        const msg = String(texts[i]!.msg);
        texts[i] = { ...texts[i], msg: msg.endsWith(closing) ? msg.slice(0, -closing.length) : msg + closing };
      },
      (s, d) => (d.enabled = !d.enabled),
      (s, d) => {
        const hotkey = d.hotkey as { prefix: string; suffix: string };
        d.hotkey = { ...hotkey, suffix: hotkey.suffix.endsWith('2') ? hotkey.suffix.slice(0, -1) : `${hotkey.suffix}2` };
      },
      (s, d) => (d.skillIds = toggle(numbers(d.skillIds), s.random.pick(liveSkills(s)))),
      (s, d) => (d.categoriesIds = toggle(numbers(d.categoriesIds), Number(s.pick('contentCategory')), 1)),
    ],
  },
  contentCategory: {
    weight: 0.5,
    by: ['claire'],
    edits: [
      (s, d) => (d.name = String(d.name).includes(' & ') ? String(d.name).replace(' & ', ' and ') : String(d.name).replace(' and ', ' & ')),
    ],
  },
};

function editConfig(s: Story): boolean {
  const [type, { by, edits }] = s.random.weighted(Object.entries(CONFIG_EDITS).map((entry) => [entry, entry[1].weight] as const)) as [
    DemoObjectType,
    { by: AdminKey[]; edits: Edit[] },
  ];
  const id = s.pick(type, (_, info) => !info.retiring);
  const edit = s.random.pick(edits);
  return id !== undefined && s.edit(type, id, s.by(...by), (draft) => edit(s, draft));
}

/** The next object of a kind that comes later in the story (a campaign, a new group). */
function addLater(s: Story): boolean {
  const later = <T extends { later?: boolean; key?: string; title?: string }>(
    type: DemoObjectType,
    items: readonly T[],
    add: (item: T) => boolean,
  ) =>
    items
      .filter((item) => item.later && !s.hasAdded(type, item.key ?? item.title!))
      .slice(0, 1)
      .map((item) => () => add(item));
  const options = [
    ...later('skill', SKILLS, (skill) => addSkill(s, skill, s.by('jonas', 'sabine'))),
    ...later('agentGroup', AGENT_GROUPS, (group) => addAgentGroup(s, group, s.by('sabine'))),
    ...later('contentCategory', CATEGORIES, (category) => addCategory(s, category, s.by('claire'))),
    ...later('predefinedContent', CONTENT, (content) => addContent(s, content, s.by('claire'))),
    ...later('campaignSchedule', CAMPAIGN_SCHEDULES, (schedule) => addCampaignSchedule(s, schedule, s.by('mehmet', 'jonas'))),
  ];
  return options.length > 0 && s.random.pick(options)();
}

const RETIRED_BY: Partial<Record<DemoObjectType, AdminKey>> = {
  user: 'jonas',
  skill: 'jonas',
  predefinedContent: 'claire',
  postConversationSurvey: 'tomasz',
  agentSurvey: 'tomasz',
};

/**
 * Retiring what is no longer needed takes several saves, as it does in the console: every
 * object that still points at it lets go first (per the catalog's references), then it is deleted.
 */
function retire(s: Story): boolean {
  const due = (type: DemoObjectType) =>
    s
      .ids(
        type,
        (object, info) =>
          info.retiring === true ||
          (info.later === true && s.daysSince(info.expiresAt ?? info.addedAt) > (info.expiresAt ? 7 : 35)) ||
          (type === 'predefinedContent' && object.enabled === false && s.daysSince(info.addedAt) > 20),
      )
      .map((id) => [type, id] as const);
  const candidates = (['skill', 'predefinedContent', 'contentCategory', 'campaignSchedule', 'agentGroup'] as const).flatMap(due);
  const retiring = candidates.find(([type, id]) => s.infoOf(type, id).retiring);
  const [type, id] = retiring ?? (candidates.length ? s.random.pick(candidates) : []);
  if (!type || !id) return false;
  const holders = s.holdersOf(type, id);
  // Agents leave a group by changing teams, not by letting go of it.
  if (holders.some(([holder]) => holder === 'user' && type === 'agentGroup')) return false;
  s.infoOf(type, id).retiring = true;
  const [holderType, holderId] = holders[0] ?? [];
  if (!holderType || !holderId)
    return s.remove(
      type,
      id,
      s.by(type === 'agentGroup' ? 'sabine' : type === 'campaignSchedule' ? 'mehmet' : type === 'skill' ? 'jonas' : 'claire'),
    );
  return s.edit(holderType, holderId, s.by(RETIRED_BY[holderType] ?? 'sabine'), (draft) => s.dropReferences(draft, holderType, type, id));
}

export const OPERATIONS: [Operation, number][] = [...USER_OPERATIONS, [editConfig, 30], [addLater, 1.2], [retire, 2]];

/** Always possible while any agent exists: the fallback when drawn operations do not apply. */
export const FALLBACK_OPERATIONS: Operation[] = [USER_OPERATIONS[3]![0], editConfig];
