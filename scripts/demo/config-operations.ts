// Day-to-day changes to the rest of the configuration: skills (and retiring one), groups,
// profiles, LoBs, surveys, campaign schedules, working hours and predefined content.
import { EXTRA_PERMISSIONS, LATER_CAMPAIGN_SCHEDULES, LATER_GROUPS, LATER_SKILLS, SKILLS } from './account-config';
import {
  addAgentGroup,
  addCampaignSchedule,
  addCategory,
  addPredefinedContent,
  addSkill,
  SURVEY_QUESTIONS,
} from './objects';
import { specialOccasion, weeklyEvent, withItem, withoutItem } from './snapshots';
import type { Operation, Story } from './story';
import type { DemoObjectType, Snapshot } from './types';

function pickLive(story: Story, type: DemoObjectType, keep: (object: Snapshot, id: string) => boolean = () => true): string | undefined {
  const ids = story.world.ids(type).filter((id) => keep(story.world.get(type, id)!, id));
  return ids.length ? story.random.pick(ids) : undefined;
}

const numbers = (value: unknown) => (Array.isArray(value) ? (value as number[]) : []);

// ---- skills ----

export const editSkill: Operation = (story) => {
  const { world, random } = story;
  const skillId = pickLive(story, 'skill', (_, id) => id !== world.retiringSkill);
  if (!skillId) return false;
  const others = world.ids('skill').filter((id) => id !== skillId && id !== world.retiringSkill).map(Number);
  const kind = random.weighted([
    ['maxWaitTime', 4],
    ['transfer', 4],
    ['sla', 2],
    ['wrapUp', 2],
    ['description', 1],
    ['workingHours', 1],
    ['fallback', 1],
    ['lobs', 1],
  ] as const);
  return story.edit('skill', skillId, story.by('jonas', 'jonas', 'sabine'), (skill) => {
    switch (kind) {
      case 'maxWaitTime':
        skill.maxWaitTime = random.pick([30, 60, 90, 120, 180, 240, 300, 600].filter((n) => n !== skill.maxWaitTime));
        break;
      case 'transfer': {
        const list = numbers(skill.skillTransferList);
        const candidate = random.pick(others);
        skill.skillTransferList = list.includes(candidate) || list.length >= 4 ? withoutItem(list, random.pick(list)) : withItem(list, candidate);
        break;
      }
      case 'sla':
        skill.slaDefaultResponseTime = random.pick([1800, 3600, 7200, 14400].filter((n) => n !== skill.slaDefaultResponseTime));
        break;
      case 'wrapUp':
        skill.wrapUpTime = random.pick([30, 45, 60, 90, 120].filter((n) => n !== skill.wrapUpTime));
        break;
      case 'description':
        skill.description = `${String(skill.description).replace(/ – .*$/, '')} – ${random.pick(['reviewed by WFM', 'priority queue', 'includes chat and messaging', 'peak season staffing'])}`;
        break;
      case 'workingHours': {
        const hours = world.ids('workingHours').map(Number).filter((id) => id !== skill.workingHoursId);
        if (hours.length) skill.workingHoursId = random.pick(hours);
        break;
      }
      case 'fallback':
        skill.fallbackSkill = skill.fallbackSkill === undefined ? random.pick(others) : undefined;
        if (skill.fallbackSkill === undefined) delete skill.fallbackSkill;
        break;
      case 'lobs': {
        const lobs = world.ids('lob').map(Number);
        const list = numbers(skill.lobIds);
        const lob = random.pick(lobs);
        skill.lobIds = list.includes(lob) ? (list.length > 1 ? withoutItem(list, lob) : list) : withItem(list, lob);
        break;
      }
    }
  });
};

export const addLaterSkill: Operation = (story) => {
  const next = LATER_SKILLS.find((skill) => !story.world.hasBeenAdded('skill', skill.key));
  if (!next) return false;
  return addSkill(story, next, SKILLS.length + LATER_SKILLS.indexOf(next) + 1, story.by('jonas', 'sabine'));
};

/**
 * Retiring a campaign skill takes several saves, as it does in the real console: agents are
 * moved off it, it is taken out of transfer lists, content and surveys, and then deleted.
 */
export const retireSkill: Operation = (story) => {
  const { world } = story;
  if (world.retiringSkill === undefined || !world.get('skill', world.retiringSkill)) {
    const candidate = world
      .ids('skill')
      .find((id) => LATER_SKILLS.some((skill) => skill.key === world.infoOf('skill', id)?.key) && story.daysSince(world.infoOf('skill', id)!.addedAt) > 35);
    if (!candidate) return false;
    world.retiringSkill = candidate;
  }
  const skillId = world.retiringSkill;
  const skill = Number(skillId);
  const holders: [DemoObjectType, string][] = [];
  for (const type of ['user', 'skill', 'predefinedContent', 'postConversationSurvey', 'agentSurvey'] as const) {
    for (const id of world.ids(type)) {
      const object = world.get(type, id)!;
      if (numbers(object.skillIds).includes(skill) || numbers(object.skillTransferList).includes(skill) || object.fallbackSkill === skill)
        holders.push([type, id]);
    }
  }
  const holder = holders[0];
  if (!holder) {
    world.retiringSkill = undefined;
    return story.remove('skill', skillId, story.by('jonas', 'sabine'));
  }
  const [type, id] = holder;
  return story.edit(type, id, story.by(type === 'user' ? 'jonas' : type === 'predefinedContent' ? 'claire' : type === 'skill' ? 'jonas' : 'tomasz'), (draft) => {
    if (Array.isArray(draft.skillIds)) draft.skillIds = withoutItem(numbers(draft.skillIds), skill);
    if (Array.isArray(draft.skillTransferList)) draft.skillTransferList = withoutItem(numbers(draft.skillTransferList), skill);
    if (draft.fallbackSkill === skill) delete draft.fallbackSkill;
  });
};

// ---- agent groups, profiles, LoBs ----

/** Names teams get when they are reorganised (and back). */
const GROUP_RENAMES: Record<string, string> = {
  'Tech Support Tier 1': 'Tech Support 1st Level',
  'Service & Social': 'Service & Social Media',
  'Business Desk': 'SME Desk',
  'Retention Team': 'Customer Loyalty',
  'Night Shift': 'Late Shift',
};

export const editAgentGroup: Operation = (story) => {
  const { random } = story;
  const groupId = pickLive(story, 'agentGroup', (group) => group.parentGroupId !== null);
  if (!groupId) return false;
  return story.edit('agentGroup', groupId, story.by('sabine', 'lena'), (group) => {
    const name = String(group.name);
    const renamed = GROUP_RENAMES[name] ?? Object.entries(GROUP_RENAMES).find(([, to]) => to === name)?.[0];
    if (renamed && random.chance(0.3)) group.name = renamed;
    else {
      const note = random.pick(['team lead changed', 'merged shifts', 'new floor', 'pilot for messaging', 'includes trainees']);
      group.description = `${String(group.description ?? '').replace(/ \(.*\)$/, '')} (${note})`;
    }
  });
};

export const addLaterGroup: Operation = (story) => {
  const next = LATER_GROUPS.find((group) => !story.world.hasBeenAdded('agentGroup', group.key));
  if (!next) return false;
  return addAgentGroup(story, next, story.by('sabine'));
};

/** Groups added later are removed again once nobody is in them. */
export const deleteEmptyGroup: Operation = (story) => {
  const { world } = story;
  const inUse = new Set<string>();
  for (const id of world.ids('user')) {
    const user = world.get('user', id)!;
    inUse.add((user.memberOf as { agentGroupId: string }).agentGroupId);
    for (const managed of user.managerOf as { agentGroupId: string }[]) inUse.add(managed.agentGroupId);
  }
  for (const id of world.ids('agentGroup')) inUse.add(String(world.get('agentGroup', id)!.parentGroupId));
  const groupId = pickLive(
    story,
    'agentGroup',
    (_, id) => !inUse.has(id) && LATER_GROUPS.some((group) => group.key === world.infoOf('agentGroup', id)?.key) && story.daysSince(world.infoOf('agentGroup', id)!.addedAt) > 21,
  );
  return groupId ? story.remove('agentGroup', groupId, story.by('sabine', 'lena')) : false;
};

export const editProfile: Operation = (story) => {
  const { random } = story;
  const profileId = pickLive(story, 'profile');
  if (!profileId) return false;
  const permission = random.pick(EXTRA_PERMISSIONS);
  return story.edit('profile', profileId, story.by('lena'), (profile) => {
    const list = numbers(profile.permissions);
    profile.permissions = list.includes(permission) ? withoutItem(list, permission) : withItem(list, permission);
    if (random.chance(0.15)) profile.description = `${String(profile.description).replace(/ \(.*\)$/, '')} (reviewed ${story.date().slice(0, 7)})`;
  });
};

export const editLob: Operation = (story) => {
  const lobId = pickLive(story, 'lob');
  if (!lobId) return false;
  return story.edit('lob', lobId, story.by('sabine'), (lob) => {
    lob.description = `${String(lob.description).replace(/; .*$/, '')}; ${story.random.pick(['incl. prepaid', 'owner: Sabine Krüger', 'reporting code ' + story.random.int(100, 999)])}`;
  });
};

export const addSmartHomeLob: Operation = (story) => {
  if (story.world.hasBeenAdded('lob', 'smartHome')) return false;
  const id = story.world.newId('lob');
  return story.add('lob', id, { id: Number(id), deleted: false, name: 'Smart Home', description: 'Alarm systems and smart devices' }, story.by('sabine'), { key: 'smartHome' });
};

// ---- surveys ----

function editSurvey(story: Story, type: 'postConversationSurvey' | 'agentSurvey'): boolean {
  const { world, random } = story;
  const surveyId = pickLive(story, type);
  if (!surveyId) return false;
  const liveSkills = world.ids('skill').filter((id) => id !== world.retiringSkill).map(Number);
  const kind = random.weighted([
    ['skills', 3],
    ['enabled', 1],
    ['questions', 2],
    ['timeout', type === 'postConversationSurvey' ? 2 : 0],
    ['mandatory', type === 'agentSurvey' ? 1 : 0],
  ] as const);
  return story.edit(type, surveyId, story.by('tomasz', 'tomasz', 'sabine'), (survey) => {
    const skills = numbers(survey.skillIds);
    const questions = (survey.questions as Snapshot[]) ?? [];
    switch (kind) {
      case 'skills': {
        const skill = random.pick(liveSkills);
        survey.skillIds = skills.includes(skill) ? (skills.length > 1 ? withoutItem(skills, skill) : skills) : withItem(skills, skill);
        break;
      }
      case 'enabled':
        survey.enabled = !survey.enabled;
        break;
      case 'questions': {
        // An optional follow-up question comes and goes; a lone question gets reworded.
        const extra = type === 'postConversationSurvey' ? SURVEY_QUESTIONS.resolved : SURVEY_QUESTIONS.resolution;
        const others = questions.filter((q) => q.id !== extra.id);
        if (others.length === 0) {
          const text = String(questions[0]?.text ?? '');
          survey.questions = questions.map((q) => ({ ...q, text: text.endsWith(' (optional)') ? text.slice(0, -11) : `${text} (optional)` }));
        } else survey.questions = others.length < questions.length ? others : [...questions, extra];
        break;
      }
      case 'timeout':
        survey.timeoutInMinutes = random.pick([15, 30, 60, 120, 1440].filter((n) => n !== survey.timeoutInMinutes));
        break;
      case 'mandatory':
        survey.isMandatory = !survey.isMandatory;
        break;
    }
  });
}

export const editPostConversationSurvey: Operation = (story) => editSurvey(story, 'postConversationSurvey');
export const editAgentSurvey: Operation = (story) => editSurvey(story, 'agentSurvey');

// ---- campaign schedules and working hours ----

export const editCampaignSchedule: Operation = (story) => {
  const { random } = story;
  const scheduleId = pickLive(story, 'campaignSchedule');
  if (!scheduleId) return false;
  return story.edit('campaignSchedule', scheduleId, story.by('jonas', 'mehmet'), (schedule) => {
    const events = (schedule.events as Snapshot[]) ?? [];
    if (random.chance(0.6) && events.length) {
      const [first, ...rest] = events;
      const end = random.pick(['17:00', '18:00', '19:00', '20:00', '21:00'].filter((t) => t !== first!.endTime));
      schedule.events = [{ ...first, endTime: end }, ...rest];
    } else if (schedule.expirationDate !== undefined) {
      // Ended early.
      schedule.expirationDate = story.date().slice(0, 10) + ' 23:59:59';
      story.world.setExpiry('campaignSchedule', scheduleId, story.clock);
    } else {
      schedule.description = `${String(schedule.description).replace(/ – .*$/, '')} – ${random.pick(['paused during outage', 'extended', 'aligned with sales hours'])}`;
    }
  });
};

export const addLaterCampaignSchedule: Operation = (story) => {
  const next = LATER_CAMPAIGN_SCHEDULES.find((schedule) => !story.world.hasBeenAdded('campaignSchedule', schedule.key));
  if (!next) return false;
  return addCampaignSchedule(story, next, story.by('mehmet', 'jonas'), next.key === 'blackWeek' ? 10 : 45);
};

/** Campaign schedules are cleaned up a while after they expired. */
export const deleteExpiredCampaignSchedule: Operation = (story) => {
  const scheduleId = pickLive(
    story,
    'campaignSchedule',
    (_, id) => story.daysSince(story.world.infoOf('campaignSchedule', id)?.expiresAt ?? Infinity) > 7,
  );
  return scheduleId ? story.remove('campaignSchedule', scheduleId, story.by('jonas', 'mehmet')) : false;
};

export const editWorkingHours: Operation = (story) => {
  const { random } = story;
  const hoursId = pickLive(story, 'workingHours');
  if (!hoursId) return false;
  return story.edit('workingHours', hoursId, story.by('jonas'), (hours) => {
    const events = (hours.events as Snapshot[]) ?? [];
    const occasions = events.filter((event) => 'summary' in event);
    const weekly = events.filter((event) => !('summary' in event));
    if (occasions.length > 0 && random.chance(0.35)) {
      // Past closures are tidied away.
      hours.events = [...weekly, ...occasions.slice(1)];
    } else if (random.chance(0.5)) {
      const day = new Date(story.at + random.int(7, 40) * 86_400_000).toISOString().slice(0, 10);
      const summary = random.pick(['Team event', 'Public holiday', 'System maintenance', 'Reduced staffing', 'Site closed']);
      hours.events = [...events, specialOccasion(summary, day, random.chance(0.3) ? { start: '10:00', end: '14:00' } : undefined)];
    } else {
      const [first, ...rest] = weekly;
      if (!first) return;
      const end = random.pick(['17:00', '18:00', '19:00', '20:00', '21:00']);
      const days = String((first.recurrence as string[])[0]).replace(/^.*BYDAY=/, '');
      hours.events = [weeklyEvent({ days, start: String((first.start as { dateTime: string }).dateTime).slice(11, 16), end }), ...rest, ...occasions];
    }
  });
};

// ---- predefined content and categories ----

const EXTRA_CONTENT = [
  { title: 'Outage update', de: 'Die Störung ist behoben. Bitte starten Sie Ihren Router neu.', en: 'The outage is fixed. Please restart your router.', category: 'technical', hotkey: 'fixed' },
  { title: 'Smart meter appointment', de: 'Für den Einbau Ihres Smart Meters schlagen wir folgende Termine vor:', en: 'We can offer these dates for your smart meter installation:', category: 'technical', hotkey: 'sm' },
  { title: 'Roaming info', de: 'In der EU surfen Sie ohne Zusatzkosten.', en: 'Roaming in the EU is included at no extra cost.', category: 'offers', hotkey: 'roam' },
  { title: 'Black Week deal', de: 'Nur diese Woche: 50 % auf die ersten drei Monate.', en: 'This week only: 50% off the first three months.', category: 'offers', hotkey: 'bw' },
  { title: 'Complaint received', de: 'Wir haben Ihre Beschwerde erhalten und melden uns innerhalb von 48 Stunden.', en: 'We received your complaint and will get back to you within 48 hours.', category: 'greetings', hotkey: 'cmp' },
  { title: 'Callback offer', de: 'Gern rufen wir Sie zurück. Wann passt es Ihnen?', en: 'We are happy to call you back. When suits you?', category: 'greetings', hotkey: 'cb' },
  { title: 'Data export', de: 'Ihre Datenauskunft senden wir innerhalb von 30 Tagen per Post.', en: 'We will send your data report by post within 30 days.', category: 'legal', hotkey: 'dsar' },
  { title: 'Instalment plan', de: 'Wir können den Betrag in drei Raten aufteilen.', en: 'We can split the amount into three instalments.', category: 'billing', hotkey: 'rate' },
] as const;

/** German greetings that are swapped for each other (nothing else in the texts contains them). */
const GREETINGS = ['Hallo', 'Guten Tag'] as const;

export const editPredefinedContent: Operation = (story) => {
  const { world, random } = story;
  const contentId = pickLive(story, 'predefinedContent');
  if (!contentId) return false;
  const kind = random.weighted([
    ['text', 5],
    ['enabled', 1],
    ['hotkey', 1],
    ['skills', 2],
    ['category', 1],
  ] as const);
  return story.edit('predefinedContent', contentId, story.by('claire', 'claire', 'claire', 'priya'), (content) => {
    switch (kind) {
      case 'text': {
        const data = content.data as Snapshot[];
        const index = random.int(0, data.length - 1);
        data[index] = { ...data[index], msg: reword(story, String(data[index]!.msg), data[index]!.lang === 'de-DE') };
        break;
      }
      case 'enabled':
        content.enabled = !content.enabled;
        break;
      case 'hotkey': {
        const hotkey = content.hotkey as { prefix: string; suffix: string };
        content.hotkey = { ...hotkey, suffix: hotkey.suffix.endsWith('2') ? hotkey.suffix.slice(0, -1) : `${hotkey.suffix}2` };
        break;
      }
      case 'skills': {
        const skills = numbers(content.skillIds);
        const skill = Number(random.pick(world.ids('skill').filter((id) => id !== world.retiringSkill)));
        content.skillIds = skills.includes(skill) ? withoutItem(skills, skill) : withItem(skills, skill);
        break;
      }
      case 'category': {
        const categories = world.ids('contentCategory').map(Number);
        const list = numbers(content.categoriesIds);
        const category = random.pick(categories);
        content.categoriesIds = list.includes(category) ? (list.length > 1 ? withoutItem(list, category) : list) : withItem(list, category);
        break;
      }
    }
  });
};

/** A small wording change, the kind knowledge managers make all the time. */
function reword(story: Story, text: string, german: boolean): string {
  const { random } = story;
  const [hello, goodDay] = GREETINGS;
  if (german && random.chance(0.3)) {
    if (text.startsWith(hello)) return goodDay + text.slice(hello.length);
    if (text.startsWith(goodDay)) return hello + text.slice(goodDay.length);
  }
  // A closing sentence comes and goes.
  const closings = german ? [' Vielen Dank für Ihre Geduld.', ' Bei Fragen bin ich gern für Sie da.'] : [' Thanks for your patience.', ' Let me know if anything else comes up.'];
  const closing = closings.find((c) => text.endsWith(c));
  return closing ? text.slice(0, -closing.length) : text + random.pick(closings);
}

export const addLaterPredefinedContent: Operation = (story) => {
  const { world } = story;
  const next = EXTRA_CONTENT.find((content) => !world.hasBeenAdded('predefinedContent', content.title));
  if (!next) return false;
  if (!world.idOfKey('contentCategory', next.category)) return false;
  return addPredefinedContent(story, next, story.by('claire'));
};

/** Content that was switched off, or seasonal content, is deleted after a while. */
export const deletePredefinedContent: Operation = (story) => {
  const contentId = pickLive(
    story,
    'predefinedContent',
    (content, id) => (content.enabled === false || EXTRA_CONTENT.some((c) => c.title === story.world.infoOf('predefinedContent', id)?.key)) && story.daysSince(story.world.infoOf('predefinedContent', id)?.addedAt ?? story.clock) > 20,
  );
  return contentId ? story.remove('predefinedContent', contentId, story.by('claire')) : false;
};

const LATER_CATEGORIES = [
  { key: 'energy', name: 'Energy' },
  { key: 'seasonal', name: 'Seasonal' },
  { key: 'outages', name: 'Outages' },
];

export const addLaterCategory: Operation = (story) => {
  const next = LATER_CATEGORIES.find((category) => !story.world.hasBeenAdded('contentCategory', category.key));
  return next ? addCategory(story, next, story.by('claire')) : false;
};

export const renameCategory: Operation = (story) => {
  const categoryId = pickLive(story, 'contentCategory');
  if (!categoryId) return false;
  return story.edit('contentCategory', categoryId, story.by('claire'), (category) => {
    const name = String(category.name);
    category.name = name.includes(' & ') ? name.replace(' & ', ' and ') : name.includes(' and ') ? name.replace(' and ', ' & ') : `${name} (DE/EN)`.replace(' (DE/EN) (DE/EN)', '');
  });
};

/** An unused category is removed. */
export const deleteUnusedCategory: Operation = (story) => {
  const { world } = story;
  const used = new Set(world.ids('predefinedContent').flatMap((id) => numbers(world.get('predefinedContent', id)!.categoriesIds).map(String)));
  const categoryId = pickLive(story, 'contentCategory', (_, id) => !used.has(id) && story.daysSince(world.infoOf('contentCategory', id)?.addedAt ?? story.clock) > 14);
  return categoryId ? story.remove('contentCategory', categoryId, story.by('claire')) : false;
};
