// The demo account's history, as a pure function of its window and seed (same changes, ids,
// order and bodies every time, so a re-run is an idempotent replay). What happens: the
// rollout sets up the configuration, then the agents who reference all of it; after that,
// day to day, mostly agents' skills, teams, passwords and chat limits, now and then every
// other setting, hires and leavers; and through the year what LATER brings arrives, and what
// was temporary is retired again. Also: the configuration it leaves behind, for the demo
// Agent Workspace to list.
import { ADMINS, CLOSURES, LATER, MAIN_GROUP_ID, NOTES, OWNERS, QUESTIONS, SKILLS, TEAMS, type AdminKey, type Team } from './account';
import * as A from './account';
import { ADD, addUser, asciiLogin, weeklyEvents } from './objects';
import { Random } from './random';
import { DAY, Story, type DemoChange, type DemoObjectType, type Obj, type Snapshot } from './story';
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

// ---- the rollout: one change per step ----

function rollout(s: Story): (() => unknown)[] {
  const later = new Set(LATER.map(([type, key]) => `${type}:${key}`));
  const now = (type: keyof typeof ADD, keys: string[]) =>
    keys.filter((key) => !later.has(`${type}:${key}`)).map((key) => () => ADD[type](s, key));
  const agents = Object.entries(TEAMS).flatMap(([team, { size }]) => Array.from({ length: size }, (_, i) => ({ team: team as Team, i })));
  return [
    // The root group predates auditing; its first edit makes its name known to the trail.
    () => {
      const root = s.put('agentGroup', MAIN_GROUP_ID, { id: -1, deleted: false, name: 'Main Group', parentGroupId: null, isEnabled: true });
      s.edit(root, ['lena'], (group) => (group.description = `All agents of ${A.DEMO_ACCOUNT.name}`));
    },
    ...now(
      'lob',
      A.LOBS.map((d) => d.key),
    ),
    ...now(
      'workingHours',
      A.WORKING_HOURS.map((d) => d.key),
    ),
    ...now(
      'agentGroup',
      A.AGENT_GROUPS.map((d) => d.key),
    ),
    ...now(
      'skill',
      SKILLS.map((d) => d.key),
    ),
    ...now(
      'profile',
      A.PROFILES.map((d) => d[0]),
    ),
    ...now(
      'contentCategory',
      A.CATEGORIES.map((d) => d.key),
    ),
    ...now(
      'predefinedContent',
      A.CONTENT.map((d) => d[0]),
    ),
    ...now(
      'postConversationSurvey',
      A.POST_CONVERSATION_SURVEYS.map((d) => d[0]),
    ),
    ...now(
      'agentSurvey',
      A.AGENT_SURVEYS.map((d) => d[0]),
    ),
    ...now(
      'campaignSchedule',
      A.CAMPAIGN_SCHEDULES.map((d) => d.key),
    ),
    // Team leads first, then everyone else in a mixed order.
    ...[
      ...agents.filter((a) => a.i === 0),
      ...s.random.sample(
        agents.filter((a) => a.i > 0),
        agents.length,
      ),
    ].map(
      ({ team, i }) =>
        () =>
          addUser(s, team, i === 0),
    ),
  ];
}

// ---- day to day: each operation records one change, or nothing (false) when it does not apply now ----

type Operation = (s: Story) => boolean;
const numbers = (value: unknown) => (Array.isArray(value) ? (value as number[]) : []);
/** `list` with `item` taken out if it is there (keeping at least `min` items), else added. */
const toggle = <T>(list: T[], item: T, min = 0): T[] =>
  list.includes(item) ? (list.length > min ? list.filter((x) => x !== item) : list) : [...list, item];
/** Another of `items` than `current` (the same when there is no other: then nothing changes). */
const other = <T>(s: Story, items: T[], current: unknown): T => s.random.pick(items.filter((item) => item !== current).concat(items).slice(0, Math.max(1, items.length - 1))); // prettier-ignore
const note = (s: Story, text: unknown) => `${String(text ?? '').replace(/ \(.*\)$/, '')} (${s.random.pick(NOTES)})`.trim();
/** Skills that take new assignments: not one being retired. */
const liveSkills = (s: Story) => s.all('skill', (o) => !o.retiring).map((o) => Number(o.id));
const someId = (s: Story, type: DemoObjectType) => Number(s.pick(type, (o) => !o.retiring)!.id);

/** An edit of an enabled agent, by their team lead or one of `others`. */
const editAgent =
  (others: AdminKey[], mutate: (s: Story, user: Snapshot, o: Obj) => void, keep: (o: Obj) => boolean = () => true): Operation =>
  (s) => {
    const o = s.pick('user', (u) => u.snap.isEnabled === true && !u.lead && keep(u));
    return !!o && s.edit(o, [TEAMS[o.team!].lead, ...others], (user) => mutate(s, user, o));
  };
const teamGroup = (s: Story, team: Team) => String(s.ids('agentGroup', [TEAMS[team].group])[0]);

const AGENT_OPERATIONS: [Operation, number][] = [
  [
    editAgent(['jonas'], (s, u) => {
      const fresh = liveSkills(s).filter((id) => !numbers(u.skillIds).includes(id));
      if (fresh.length) u.skillIds = [...numbers(u.skillIds).slice(0, -1), s.random.pick(fresh)];
    }),
    15,
  ],
  [editAgent(['jonas'], (s, u) => (u.skillIds = toggle(numbers(u.skillIds), s.random.pick(liveSkills(s)), 1))), 11],
  // A move to another team, often with its main skill in the same save.
  [
    editAgent(['sabine'], (s, u, o) => {
      o.team = other(s, Object.keys(TEAMS) as Team[], o.team);
      u.memberOf = { agentGroupId: teamGroup(s, o.team), assignmentDate: s.date() };
      if (s.random.chance(0.6)) u.skillIds = s.ids('skill', [SKILLS.find((skill) => skill.team === o.team)!.key]);
    }),
    8,
  ],
  [editAgent(['lena', 'lena', 'lena'], (s, u) => Object.assign(u, { passwordSh: s.random.hex(64), changePwdNextLogin: true })), 9],
  [editAgent(['jonas', 'jonas'], (s, u) => (u.maxChats = other(s, [2, 3, 4, 5, 6], u.maxChats))), 7],
  [editAgent(['jonas'], (s, u) => (u.maxAsyncChats = other(s, [4, 6, 8, 10, 12], u.maxAsyncChats))), 1.5],
  [
    editAgent(['lena'], (s, u) => {
      const [first, last] = String(u.fullName).split(' ');
      const details = {
        nickname: `${first} ${last?.[0]}.`,
        mobileNumber: `+49 15${s.random.int(1, 9)} ${s.random.int(1000000, 9999999)}`,
        description: note(s, u.description),
        pictureUrl: `https://cdn.acme-cc.example/agents/${asciiLogin(String(u.fullName))}-${s.date().slice(0, 10)}.png`,
        backgndImgUri: `https://cdn.acme-cc.example/backgrounds/${s.random.pick(['berlin', 'leipzig', 'lisbon'])}.jpg`,
        pnCertName: `acme-agent-app-${s.random.int(2, 4)}`,
      };
      const field = s.random.pick(Object.keys(details) as (keyof typeof details)[]);
      u[field] = details[field];
    }),
    2.5,
  ],
  [editAgent(['sabine'], (s, u) => (u.lobIds = toggle(numbers(u.lobIds), someId(s, 'lob'), 1))), 0.8],
  [editAgent(['lena'], (s, u) => (u.permissionGroups = toggle(u.permissionGroups as string[], s.random.pick(['coaching', 'quality'])))), 0.6], // prettier-ignore
  // An agent of more than a month becomes a team lead: manager profile, manages the team, fewer chats.
  [
    (s) =>
      s.all('user', (o) => !!o.lead).length < 12 &&
      editAgent(
        ['sabine'],
        (s, u, o) => {
          o.lead = true;
          u.profileIds = toggle(numbers(u.profileIds), s.ids('profile', ['manager'])[0]!);
          u.managerOf = [...(u.managerOf as unknown[]), { agentGroupId: teamGroup(s, o.team!), assignmentDate: s.date() }];
          u.maxChats = 2;
        },
        (o) => s.daysSince(o.addedAt) > 30,
      )(s),
    0.4,
  ],
  // Leaving (for good, or on leave), back from leave, and deleted two weeks after leaving.
  [editAgent(['sabine'], (s, u, o) => (Object.assign(o, { disabledAt: s.clock, leaving: s.random.chance(0.6) }), Object.assign(u, { isEnabled: false, disabledManually: true }))), 2.5], // prettier-ignore
  [
    (s) => {
      const o = s.pick('user', (u) => u.snap.isEnabled === false && u.leaving === false && s.daysSince(u.disabledAt) > 5);
      return !!o && s.edit(o, ['lena', 'sabine'], (u) => Object.assign(u, { isEnabled: true, disabledManually: false, passwordSh: s.random.hex(64) })); // prettier-ignore
    },
    1.5,
  ],
  [
    (s) => {
      const o = s.pick('user', (u) => u.snap.isEnabled === false && u.leaving === true && s.daysSince(u.disabledAt) > 14);
      return !!o && s.remove(o, ['lena']);
    },
    1.5,
  ],
  [(s) => !!addUser(s, s.random.pick(Object.keys(TEAMS) as Team[]), false, 'newJoiners'), 3],
  // The identity provider reports what changed as elements (it has no full snapshot).
  [
    (s) => {
      const o = s.pick('user', (u) => u.snap.isEnabled === true && !u.lead);
      if (!o) return false;
      const [element, key, value] = s.random.weighted<[string, string, string | boolean]>([
        [['Employee ID', 'employeeId', `E${s.random.int(100000, 999999)}`], 3],
        [['Enabled', 'isEnabled', false], 2],
        [['Email', 'email', `${asciiLogin(String(o.snap.fullName))}@acme-energy.example`], 1],
      ]);
      if (key === 'isEnabled') Object.assign(o, { disabledAt: s.clock, leaving: true });
      const oldValue = o.snap[key] as string | boolean;
      return s.editElements(o, ['sync'], [{ element, oldValue, newValue: value }], (u) => (u[key] = value));
    },
    5,
  ],
];

// Everything else: each type's edits, and how often (per type).
type Edit = (s: Story, d: Snapshot) => unknown;
const set =
  (field: string, values: unknown[]): Edit =>
  (s, d) =>
    (d[field] = other(s, values, d[field]));
const flip =
  (field: string): Edit =>
  (_, d) =>
    (d[field] = !d[field]);
const describe: Edit = (s, d) => (d.description = note(s, d.description));
const toggleSkill: Edit = (s, d) => (d.skillIds = toggle(numbers(d.skillIds), s.random.pick(liveSkills(s)), 1));
const toggleQuestion: Edit = (_, d) => (d.questions = toggle(d.questions as unknown[], QUESTIONS.resolved, 1));
const firstEvent = (d: Snapshot, change: (event: Snapshot) => Snapshot) => (d.events = (d.events as Snapshot[]).map((e, i) => (i ? e : change(e)))); // prettier-ignore

const CONFIG_EDITS: [DemoObjectType, number, Edit[]][] = [
  [
    'skill',
    6,
    [
      set('maxWaitTime', [30, 60, 90, 120, 180, 300, 600]),
      set('slaDefaultResponseTime', [1800, 3600, 7200, 14400]),
      set('wrapUpTime', [30, 45, 60, 90, 120]),
      set('autoCloseInSeconds', [1800, 3600, 7200]),
      describe,
      (s, d) => (d.skillTransferList = toggle(numbers(d.skillTransferList), other(s, liveSkills(s), d.id))),
      (s, d) =>
        (d.workingHoursId = other(
          s,
          s.all('workingHours').map((o) => Number(o.id)),
          d.workingHoursId,
        )),
      (s, d) => (d.fallbackSkill = other(s, liveSkills(s), d.id)),
      (s, d) => (d.lobIds = toggle(numbers(d.lobIds), someId(s, 'lob'), 1)),
      (s, d) =>
        (d.agentSurveyForMsgId = other(
          s,
          s.all('agentSurvey').map((o) => Number(o.id)),
          d.agentSurveyForMsgId,
        )),
      (s, d) =>
        (d.defaultPostChatSurveyId = other(
          s,
          s.all('postConversationSurvey').map((o) => o.id),
          d.defaultPostChatSurveyId,
        )),
    ],
  ],
  ['agentGroup', 1.2, [describe]],
  ['profile', 1.5, [(s, d) => (d.permissions = toggle(numbers(d.permissions), s.random.pick([7, 9, 14, 19, 27, 33, 36, 47]))), describe]],
  ['lob', 0.4, [describe]],
  ['postConversationSurvey', 2, [toggleSkill, set('timeoutInMinutes', [15, 30, 60, 120, 1440]), toggleQuestion, flip('enabled')]],
  ['agentSurvey', 1.3, [toggleSkill, flip('isMandatory'), toggleQuestion]],
  [
    'campaignSchedule',
    1.5,
    [(s, d) => firstEvent(d, (e) => ({ ...e, endTime: other(s, ['17:00', '18:00', '20:00'], e.endTime) })), describe],
  ],
  [
    'workingHours',
    2,
    [
      // A special occasion: closed, or open shorter, on one day; past ones are tidied away.
      (s, d) => {
        const [day, summary] = [s.date(s.at + s.random.int(7, 40) * DAY).slice(0, 10), s.random.pick(CLOSURES)];
        const short = { summary, start: { dateTime: `${day}T10:00:00` }, end: { dateTime: `${day}T14:00:00` } };
        d.events = [...(d.events as Snapshot[]), s.random.chance(0.7) ? { summary, start: { date: day }, end: { date: day }, closed: true } : short]; // prettier-ignore
      },
      (_, d) => (d.events = (d.events as Snapshot[]).filter((e, i, all) => !('summary' in e) || all.findIndex((x) => 'summary' in x) !== i)), // prettier-ignore
      (s, d) => firstEvent(d, (e) => weeklyEvents(`${String((e.recurrence as string[])[0]).split('=').at(-1)} 08:00-${other(s, ['18:00', '19:00', '20:00', '21:00'], '')}`)[0]!), // prettier-ignore
    ],
  ],
  [
    'predefinedContent',
    5,
    [
      // A closing sentence comes and goes, the kind of wording change knowledge managers make.
      (s, d) => {
        const text = s.random.pick(d.data as Snapshot[]);
        const closing = text.lang === 'de-DE' ? ' Vielen Dank für Ihre Geduld.' : ' Thanks for your patience.';
        const msg = String(text.msg);
        text.msg = msg.endsWith(closing) ? msg.slice(0, -closing.length) : msg + closing;
      },
      flip('enabled'),
      (_, d) => (d.hotkey = { prefix: '#', suffix: String((d.hotkey as Snapshot).suffix).replace(/2$|$/, (end) => (end ? '' : '2')) }),
      (s, d) => (d.skillIds = toggle(numbers(d.skillIds), s.random.pick(liveSkills(s)))),
      (s, d) => (d.categoriesIds = toggle(numbers(d.categoriesIds), someId(s, 'contentCategory'), 1)),
    ],
  ],
  ['contentCategory', 0.5, [(_, d) => (d.name = String(d.name).replace(/ & | and /, (sep) => (sep === ' & ' ? ' and ' : ' & ')))]],
];

const editConfig: Operation = (s) => {
  const [type, edits] = s.random.weighted(CONFIG_EDITS.map(([type, weight, edits]) => [[type, edits] as const, weight]));
  const o = s.pick(type, (o) => !o.retiring);
  const edit = s.random.pick(edits);
  return !!o && s.edit(o, OWNERS[type], (draft) => edit(s, draft));
};

/**
 * Retiring takes several saves, as it does in the console: every object that still points at
 * it (per the catalog's references) lets go first, then it is deleted.
 */
const retire: Operation = (s) => {
  const due = [...new Set(LATER.map(([type]) => type))].flatMap((type) =>
    s.all(type, (o) => o.retiring === true || (o.until !== undefined && o.until < s.clock)),
  );
  const o = due.find((o) => o.retiring) ?? (due.length ? s.random.pick(due) : undefined);
  if (!o) return false;
  o.retiring = true;
  const holder = s.holdersOf(o)[0];
  if (!holder) return s.remove(o, OWNERS[o.type]);
  return s.edit(holder, holder.type === 'user' ? ['jonas'] : OWNERS[holder.type], (draft) => s.dropReferences(draft, holder.type, o));
};

const OPERATIONS: [Operation, number][] = [...AGENT_OPERATIONS, [editConfig, 30], [retire, 2]];
/** Always possible while any agent exists: the fallback when drawn operations do not apply. */
const FALLBACK: Operation[] = [AGENT_OPERATIONS[3]![0], editConfig];

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
  const { from, to, timeZone = A.DEMO_ACCOUNT.timezone } = options;
  const instants = workingHourInstants(new Random(seed ^ TIMELINE_SEED_SALT), { from, to, count, timeZone, rolloutWorkdays: 6 });
  // What LATER brings arrives evenly between a tenth and nine tenths of the story.
  const arrivals = LATER.map((later, k) => ({ later, at: Math.round(count * (0.1 + (0.8 * k) / LATER.length)) }));

  for (const [i, instant] of instants.entries()) {
    [s.at, s.clock] = [instant, (i * (to - from)) / count];
    const before = s.changes.length;
    if (steps[i]) steps[i]();
    else if (arrivals[0] && arrivals[0].at <= i) {
      const [type, key, lasts] = arrivals.shift()!.later;
      const o = ADD[type](s, key);
      if (lasts) o.until = s.clock + lasts * DAY;
    } else nextOperation(s);
    if (s.changes.length !== before + 1) throw new Error(`demo story: step ${i} recorded ${s.changes.length - before} changes`);
  }
  const changes = s.changes.map((change, i) => ({ changeId: `${DEMO_CHANGE_ID_PREFIX}${String(i + 1).padStart(5, '0')}`, ...change }));
  return { changes, story: s };
}

function nextOperation(s: Story): void {
  for (let draw = 0; draw < 40; draw++) if (s.random.weighted(OPERATIONS)(s)) return;
  if (!FALLBACK.some((operation) => operation(s))) throw new Error('demo story: no operation applies');
}

// ---- what the story leaves behind, for the demo Agent Workspace: then an edited user, skill
// or group already has months of history in the panel.

/** Who saves in the demo workspace: one of the story's admins, so the trail reads as one account. */
export const DEMO_WORKSPACE_ORIGINATOR = ADMINS.sabine;

/** Pass the same options the history was seeded with (send-seed.ts demoStoryOptions). */
export function demoWorkspaceData(options: DemoHistoryOptions) {
  const { story } = runDemoStory(options);
  const all = (type: DemoObjectType) => story.all(type).map((o) => structuredClone(o.snap));
  // The workspace compares group ids as numbers; the platform sends them as text inside
  // memberOf/managerOf (the Worker compares ids as text, so both agree).
  const numeric = (ref: unknown) => ({ ...(ref as Snapshot), agentGroupId: Number((ref as Snapshot).agentGroupId) });
  const users = all('user').map((u) => ({ ...u, memberOf: numeric(u.memberOf), managerOf: (u.managerOf as unknown[]).map(numeric) }));
  return { users, skills: all('skill'), agentGroups: all('agentGroup'), profiles: all('profile') };
}
