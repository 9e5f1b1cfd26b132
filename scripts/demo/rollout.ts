// The first weeks after auditing is switched on: the admins build the account's
// configuration (LoBs, hours, skills, groups, profiles, content, surveys) and then onboard
// the agents, who reference all of it by id.
import {
  AGENT_GROUPS,
  AGENT_SURVEYS,
  CAMPAIGN_SCHEDULES,
  CONTENT_CATEGORIES,
  LOBS,
  MAIN_GROUP,
  POST_CONVERSATION_SURVEYS,
  PREDEFINED_CONTENT,
  PROFILES,
  SKILLS,
  TEAM_SIZES,
  WORKING_HOURS,
  type Domain,
} from './account-config';
import { FIRST_NAMES, LAST_NAMES } from './cast';
import {
  addAgentGroup,
  addAgentSurvey,
  addCampaignSchedule,
  addCategory,
  addLob,
  addPostConversationSurvey,
  addPredefinedContent,
  addProfile,
  addSkill,
  addUser,
  addWorkingHours,
  mainGroupSnapshot,
} from './objects';
import type { Story } from './story';

/** One step records exactly one change. */
export type Step = (story: Story) => void;

export function rolloutSteps(story: Story): Step[] {
  const steps: Step[] = [
    // The root group predates auditing; its first edit makes its name known to the trail.
    (s) => {
      s.world.put('agentGroup', String(MAIN_GROUP.id), mainGroupSnapshot());
      s.edit('agentGroup', String(MAIN_GROUP.id), s.by('lena'), (group) => {
        group.description = 'All agents of Acme Contact Center';
      });
    },
    ...LOBS.map((lob): Step => (s) => addLob(s, lob, s.by('lena', 'sabine'))),
    ...WORKING_HOURS.map((hours): Step => (s) => addWorkingHours(s, hours, s.by('jonas'))),
    ...SKILLS.map((skill, i): Step => (s) => addSkill(s, skill, i + 1, s.by('jonas', 'jonas', 'sabine'))),
    ...AGENT_GROUPS.map((group): Step => (s) => addAgentGroup(s, group, s.by('sabine', 'lena'))),
    ...PROFILES.map((profile): Step => (s) => addProfile(s, profile, s.by('lena'))),
    ...CONTENT_CATEGORIES.map((category): Step => (s) => addCategory(s, category, s.by('claire'))),
    ...PREDEFINED_CONTENT.map((content): Step => (s) => addPredefinedContent(s, content, s.by('claire'))),
    ...POST_CONVERSATION_SURVEYS.map((survey): Step => (s) => addPostConversationSurvey(s, survey, s.by('tomasz'))),
    ...AGENT_SURVEYS.map((survey): Step => (s) => addAgentSurvey(s, survey, s.by('tomasz'))),
    ...CAMPAIGN_SCHEDULES.map((schedule): Step => (s) => addCampaignSchedule(s, schedule, s.by('jonas', 'mehmet'))),
  ];
  for (const user of rolloutAgents(story)) steps.push((s) => addUser(s, user, s.by('lena', 'lena', 'sabine')));
  return steps;
}

/** The agents of every team, team leads first, in a mixed onboarding order. */
function rolloutAgents(story: Story) {
  const leads: { fullName: string; domain: Domain; isLead: boolean }[] = [];
  const agents: typeof leads = [];
  for (const [domain, size] of Object.entries(TEAM_SIZES) as [Domain, number][]) {
    for (let i = 0; i < size; i++) (i === 0 ? leads : agents).push({ fullName: newAgentName(story), domain, isLead: i === 0 });
  }
  return [...leads, ...story.random.sample(agents, agents.length)];
}

/** A full name no agent of the story has had yet. */
export function newAgentName(story: Story): string {
  for (;;) {
    const name = `${story.random.pick(FIRST_NAMES)} ${story.random.pick(LAST_NAMES)}`;
    if (story.world.usedNames.has(name)) continue;
    story.world.usedNames.add(name);
    return name;
  }
}
