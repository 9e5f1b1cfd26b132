// What happens on a working day once the rollout is done: mostly agents' skills, teams,
// passwords and chat limits; hires and leavers; now and then every other setting; and what
// was temporary retired again. Each operation records one change, or nothing (false) when it
// does not apply now.
import { CLOSURES, LATER, NOTES, OWNERS, QUESTIONS, skillsOf, TEAMS, type Team } from './account';
import { addUser, asciiLogin } from './objects';
import { DAY, type DemoObjectType, type Obj, type Snapshot, type Story } from './story';

type Operation = (s: Story) => boolean;
type Edit = (s: Story, draft: Snapshot, o: Obj) => unknown;
const numbers = (value: unknown) => (Array.isArray(value) ? (value as number[]) : []);
/** `list` with `item` taken out if it is there (keeping at least `min` items), else added. */
const toggle = <T>(list: T[], item: T, min = 0): T[] =>
  list.includes(item) ? (list.length > min ? list.filter((x) => x !== item) : list) : [...list, item];
/** Another of `items` than `current` (the same when there is no other: then nothing changes). */
const other = <T>(s: Story, items: T[], current: unknown): T =>
  s.random.pick(items.length > 1 ? items.filter((i) => i !== current) : items);
/** The ids that take new references: nothing being retired, never the object itself. */
const live = (s: Story, type: DemoObjectType, self?: unknown) => s.all(type, (o) => !o.retiring && +o.id !== self).map((o) => +o.id);
/** An enabled agent, not a team lead: whom most of the day's edits are about. */
const agent = (o: Obj) => o.snap.isEnabled === true && !o.lead;
/** Membership of the team's group, from now. */
const teamGroup = (s: Story, team: Team) => ({
  agentGroupId: String(s.ids('agentGroup', [TEAMS[team].group])[0]),
  assignmentDate: s.date(),
});
/** Disabled more than `days` ago, for good or on leave. */
const away = (forGood: boolean, days: number) => (o: Obj, s: Story) =>
  o.snap.isEnabled === false && o.leaving === forGood && s.daysSince(o.disabledAt) > days;

/** An edit of a live object of `type` (not being retired) by `who`; an agent's also by their team lead. */
function edit(type: DemoObjectType, change: Edit, keep: (o: Obj, s: Story) => boolean = () => true, who = OWNERS[type]): Operation {
  return (s) => {
    const o = s.pick(type, (o) => !o.retiring && keep(o, s));
    return !!o && s.edit(o, o.team ? [TEAMS[o.team].lead, ...who] : who, (draft) => change(s, draft, o));
  };
}
function set(field: string, values: unknown[]): Edit {
  return (s, d) => (d[field] = other(s, values, d[field]));
}
function flip(field: string): Edit {
  return (_, d) => (d[field] = !d[field]);
}
function point(field: string, type: DemoObjectType, asText = false): Edit {
  return (s, d) => {
    const id = other(s, live(s, type, d.id), Number(d[field]));
    d[field] = asText ? String(id) : id;
  };
}
function toggleRef(field: string, type: DemoObjectType, min = 0): Edit {
  return (s, d) => (d[field] = toggle(numbers(d[field]), s.random.pick(live(s, type, d.id)), min));
}
const describe: Edit = (s, d) => (d.description = `${String(d.description).replace(/ \(.*\)$/, '')} (${s.random.pick(NOTES)})`.trim());
const addQuestion: Edit = (_, d) => (d.questions = toggle(d.questions as unknown[], QUESTIONS.resolved, 1));

const swapSkill: Edit = (s, u) => {
  const fresh = live(s, 'skill').filter((id) => !numbers(u.skillIds).includes(id));
  if (fresh.length) u.skillIds = [...numbers(u.skillIds).slice(0, -1), s.random.pick(fresh)];
};
/** A move to another team, often with its main skill in the same save. */
const moveTeam: Edit = (s, u, o) => {
  o.team = other(s, Object.keys(TEAMS) as Team[], o.team);
  u.memberOf = teamGroup(s, o.team);
  if (s.random.chance(0.6)) u.skillIds = s.ids('skill', skillsOf(o.team).slice(0, 1));
};
/** IT resets a password (the agent's team lead now and then). */
const newPassword: Edit = (s, u) => Object.assign(u, { passwordSh: s.random.hex(64), changePwdNextLogin: true });
const resetPassword = edit('user', newPassword, agent, ['lena', 'lena', 'lena']);
const profileDetail: Edit = (s, u, o) => {
  const [first, last] = String(u.fullName).split(' ');
  const field = s.random.pick(['nickname', 'mobileNumber', 'pictureUrl', 'description'] as const);
  if (field === 'description') return describe(s, u, o);
  u[field] = {
    nickname: `${first} ${last?.[0]}.`,
    mobileNumber: `+49 15${s.random.int(1, 9)} ${s.random.int(1000000, 9999999)}`,
    pictureUrl: `https://cdn.acme-cc.example/agents/${asciiLogin(String(u.fullName))}-${s.date().slice(0, 10)}.png`,
  }[field];
};
/** An agent of more than a month becomes a team lead: manager profile, manages the team, fewer chats. */
const promote: Edit = (s, u, o) => {
  o.lead = true;
  Object.assign(u, { profileIds: [...numbers(u.profileIds), ...s.ids('profile', ['manager'])], maxChats: 2 });
  u.managerOf = [...(u.managerOf as unknown[]), teamGroup(s, o.team!)];
};
const canLead = (o: Obj, s: Story) => agent(o) && s.daysSince(o.addedAt) > 30 && s.all('user', (u) => !!u.lead).length < 12;
const leave: Edit = (s, u, o) => {
  Object.assign(o, { disabledAt: s.clock, leaving: s.random.chance(0.6) });
  Object.assign(u, { isEnabled: false, disabledManually: true });
};
const deleteLeaver: Operation = (s) => {
  const o = s.pick('user', (o) => away(true, 14)(o, s));
  return !!o && s.remove(o, ['lena']);
};
/** The identity provider reports what changed as elements (it has no full snapshot). */
const identitySync: Operation = (s) => {
  const o = s.pick('user', agent);
  if (!o) return false;
  const [element, key, newValue] = s.random.weighted<[string, string, string | boolean]>([
    [['Employee ID', 'employeeId', `E${s.random.int(100000, 999999)}`], 3],
    [['Enabled', 'isEnabled', false], 2],
    [['Email', 'email', `${asciiLogin(String(o.snap.fullName))}@acme-energy.example`], 1],
  ]);
  if (key === 'isEnabled') Object.assign(o, { disabledAt: s.clock, leaving: true });
  return s.editElements(o, ['sync'], [{ element, oldValue: o.snap[key] as string | boolean, newValue }], (u) => (u[key] = newValue));
};
/** A special occasion: closed, or open shorter, on one day. */
const specialOccasion: Edit = (s, d) => {
  const [day, summary, closed] = [s.date(s.at + s.random.int(7, 40) * DAY).slice(0, 10), s.random.pick(CLOSURES), s.random.chance(0.7)];
  const [start, end] = closed ? [{ date: day }, { date: day }] : [{ dateTime: `${day}T10:00:00` }, { dateTime: `${day}T14:00:00` }];
  d.events = [...(d.events as Snapshot[]), { summary, start, end, ...(closed && { closed }) }];
};
const tidyOccasions: Edit = (_, d) =>
  (d.events = (d.events as Snapshot[]).filter((e, i, all) => !e.summary || all.findIndex((x) => x.summary) !== i));
const weekdayClosing: Edit = (s, d) => {
  const [weekdays, ...rest] = d.events as Snapshot[];
  d.events = [{ ...weekdays, end: { dateTime: `2024-01-01T${other(s, ['18', '19', '20', '21'], '')}:00:00` } }, ...rest];
};
const campaignEnd: Edit = (s, d) => {
  const [first, ...rest] = d.events as Snapshot[];
  d.events = [{ ...first, endTime: other(s, ['17:00', '18:00', '20:00'], first?.endTime) }, ...rest];
};
/** A closing sentence comes and goes, the kind of wording change knowledge managers make. */
const rewordContent: Edit = (s, d) => {
  const text = s.random.pick(d.data as Snapshot[]);
  const closing = text.lang === 'de-DE' ? ' Vielen Dank für Ihre Geduld.' : ' Thanks for your patience.';
  const msg = String(text.msg);
  text.msg = msg.endsWith(closing) ? msg.slice(0, -closing.length) : msg + closing;
};
const renameHotkey: Edit = (_, d) => {
  const { suffix } = d.hotkey as { suffix: string };
  d.hotkey = { prefix: '#', suffix: suffix.endsWith('2') ? suffix.slice(0, -1) : `${suffix}2` };
};
const renameCategory: Edit = (_, d) => (d.name = String(d.name).replace(/ & | and /, (and) => (and === ' & ' ? ' and ' : ' & ')));

/** What happens on a working day, and how often. */
const DAY_TO_DAY: [Operation, number][] = [
  // Agents: skills, teams, passwords and chat limits most of all; hires and leavers.
  [edit('user', swapSkill, agent, ['jonas']), 15],
  [edit('user', toggleRef('skillIds', 'skill', 1), agent, ['jonas']), 11],
  [edit('user', moveTeam, agent, ['sabine']), 8],
  [resetPassword, 9],
  [edit('user', set('maxChats', [2, 3, 4, 5, 6]), agent, ['jonas', 'jonas']), 7],
  [edit('user', set('maxAsyncChats', [4, 6, 8, 10, 12]), agent, ['jonas']), 1.5],
  [edit('user', profileDetail, agent, ['lena']), 2.5],
  [edit('user', toggleRef('lobIds', 'lob', 1), agent, ['sabine']), 0.8],
  [
    edit('user', (s, u) => (u.permissionGroups = toggle(u.permissionGroups as string[], s.random.pick(['coaching', 'quality']))), agent),
    0.6,
  ],
  [edit('user', promote, canLead, ['sabine']), 0.4],
  [edit('user', leave, agent, ['sabine']), 2.5],
  [
    edit('user', (s, u) => Object.assign(u, { isEnabled: true, disabledManually: false, passwordSh: s.random.hex(64) }), away(false, 5)),
    1.5,
  ],
  [deleteLeaver, 1.5],
  [(s) => !!addUser(s, s.random.pick(Object.keys(TEAMS) as Team[]), false, 'newJoiners'), 3],
  [identitySync, 5],
  // Everything else, now and then.
  [edit('skill', set('maxWaitTime', [30, 60, 90, 120, 180, 300, 600])), 1],
  [edit('skill', set('slaDefaultResponseTime', [1800, 3600, 7200, 14400])), 0.5],
  [edit('skill', set('wrapUpTime', [30, 45, 60, 90, 120])), 0.5],
  [edit('skill', set('autoCloseInSeconds', [1800, 3600, 7200])), 0.5],
  [edit('skill', describe), 0.5],
  [edit('skill', toggleRef('skillTransferList', 'skill')), 0.6],
  [edit('skill', point('workingHoursId', 'workingHours')), 0.5],
  [edit('skill', point('fallbackSkill', 'skill')), 0.5],
  [edit('skill', toggleRef('lobIds', 'lob', 1)), 0.4],
  [edit('skill', point('agentSurveyForMsgId', 'agentSurvey')), 0.5],
  [edit('skill', point('defaultPostChatSurveyId', 'postConversationSurvey', true)), 0.5],
  [edit('agentGroup', describe), 1.2],
  [edit('profile', (s, d) => (d.permissions = toggle(numbers(d.permissions), s.random.pick([7, 9, 14, 19, 27, 33, 36, 47])))), 1],
  [edit('profile', describe), 0.5],
  [edit('lob', describe), 0.4],
  [edit('postConversationSurvey', toggleRef('skillIds', 'skill', 1)), 0.5],
  [edit('postConversationSurvey', set('timeoutInMinutes', [15, 30, 60, 120, 1440])), 0.5],
  [edit('postConversationSurvey', addQuestion), 0.5],
  [edit('postConversationSurvey', flip('enabled')), 0.5],
  [edit('agentSurvey', toggleRef('skillIds', 'skill', 1)), 0.5],
  [edit('agentSurvey', flip('isMandatory')), 0.4],
  [edit('agentSurvey', addQuestion), 0.4],
  [edit('campaignSchedule', campaignEnd), 1],
  [edit('campaignSchedule', describe), 0.5],
  [edit('workingHours', specialOccasion), 0.8],
  [edit('workingHours', tidyOccasions), 0.6],
  [edit('workingHours', weekdayClosing), 0.6],
  [edit('predefinedContent', rewordContent), 1],
  [edit('predefinedContent', flip('enabled')), 1],
  [edit('predefinedContent', renameHotkey), 1],
  [edit('predefinedContent', toggleRef('skillIds', 'skill')), 1],
  [edit('predefinedContent', toggleRef('categoriesIds', 'contentCategory', 1)), 1],
  [edit('contentCategory', renameCategory), 0.5],
  [retire, 2],
];
/** Always possible while any agent exists: the fallback when drawn operations do not apply. */
const FALLBACK = [resetPassword, edit('skill', describe)];

/**
 * Retiring takes several saves, as it does in the console: every object that still points at
 * it (per the catalog's references) lets go first, then it is deleted.
 */
function retire(s: Story): boolean {
  const due = [...new Set(LATER.map(([type]) => type))].flatMap((type) =>
    s.all(type, (o) => !!o.retiring || (o.until ?? Infinity) < s.clock),
  );
  const o = due.find((o) => o.retiring) ?? (due.length ? s.random.pick(due) : undefined);
  if (!o) return false;
  o.retiring = true;
  const holder = s.holdersOf(o)[0];
  if (!holder) return s.remove(o, OWNERS[o.type]);
  return s.edit(holder, holder.type === 'user' ? ['jonas'] : OWNERS[holder.type], (draft) => s.dropReferences(draft, holder.type, o));
}

/** One change of the day: drawn by weight until one applies, else one that always does. */
export function nextOperation(s: Story): void {
  for (let draw = 0; draw < 40; draw++) if (s.random.weighted(DAY_TO_DAY)(s)) return;
  if (!FALLBACK.some((operation) => operation(s))) throw new Error('demo story: no operation applies');
}
