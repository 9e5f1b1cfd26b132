// Who works at Acme Contact Center (a telco and energy retailer with sites in Berlin and
// Leipzig and a partner in Lisbon) and what its account is configured with: first what the
// rollout sets up, then what comes later in the year. Keys tie the pieces together; numeric
// ids are given out when the story adds an object.
import type { ObjectType } from '../../shared/vocabulary';

/** The account `npm start` creates: a platform-style number, as the Agent Workspace URL carries it. */
export const DEMO_ACCOUNT = {
  id: '70071528',
  name: 'Acme Contact Center',
  timezone: 'Europe/Berlin',
  /** Auditing was switched on this long before the account is created; the history covers the last `historyDays`. */
  auditEnabledDaysAgo: 182,
  historyDays: 152,
} as const;

export const ADMINS = {
  sabine: { id: '3791204410', name: 'Sabine Krüger' }, // head of the contact center: teams, promotions, hires
  jonas: { id: '3791204422', name: 'Jonas Weber' }, // workforce management: skills, hours, schedules, chat limits
  priya: { id: '3791204437', name: 'Priya Natarajan' }, // team lead Billing, Tech and Service
  mehmet: { id: '3791204451', name: 'Mehmet Yılmaz' }, // team lead Sales, Retention and Business
  claire: { id: '3791204468', name: 'Claire Dubois' }, // knowledge manager: predefined content and categories
  tomasz: { id: '3791204479', name: 'Tomasz Nowak' }, // quality and CX: surveys
  lena: { id: '3791204486', name: 'Lena Hoffmann' }, // LivePerson administrator in IT: accounts, passwords, profiles
  sync: { id: 'okta-scim-sync', name: 'Okta user sync (API)' }, // the identity provider: reports element changes, not snapshots
} as const;
export type AdminKey = keyof typeof ADMINS;
/** Who looks after each kind of object (a name twice: does it more often). */
export const OWNERS: Record<ObjectType, AdminKey[]> = {
  user: ['lena', 'lena', 'sabine'],
  skill: ['jonas', 'jonas', 'sabine'],
  agentGroup: ['sabine', 'lena'],
  profile: ['lena'],
  lob: ['lena', 'sabine'],
  postConversationSurvey: ['tomasz', 'tomasz', 'sabine'],
  agentSurvey: ['tomasz'],
  campaignSchedule: ['jonas', 'mehmet'],
  workingHours: ['jonas'],
  predefinedContent: ['claire', 'claire', 'claire', 'priya'],
  contentCategory: ['claire'],
  automaticMessage: ['claire'],
  specialOccasion: ['jonas'],
};

const words = (text: string) => text.trim().split(/\s+/);
export const FIRST_NAMES = words(`
  Anna Ben Clara David Elif Felix Greta Hannah Ivan Julia Kai Laura Malte Nina Oskar Paula Rosa Simon Tanja Umut Vera Wiebke Yusuf
  Zoe Aylin Bastian Chiara Dominik Emma Finn Gülsen Henrik Ines Jan Katarzyna Leon Marta Niklas Olga Pedro Rania Stefan Tobias
  Valentina Wojciech Xenia Yara Zeynep Amir Beatriz Carlos Daria Erik Fatima Gabriel Helena Igor Johanna Lukas Mia Noah`);
export const LAST_NAMES = words(`
  Müller Schmidt Schneider Fischer Meyer Wagner Becker Schulz Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun
  Hofmann Hartmann Lange Werner Krause Lehmann Köhler Demir Kaya Şahin Kowalski Wiśniewski Silva Santos Ferreira Costa Rossi
  Bianchi Novak Horvat Petrov Okafor Mensah Haddad Nguyen Tran Jensen Larsen Andersson O'Brien García Martínez Popescu Yıldız
  Öztürk Brandt Vogel`);

/** The teams of agents: how many at the rollout, their agent group, and the admin who leads them. */
export const TEAMS = {
  billing: { size: 16, group: 'billingTeam', lead: 'priya' },
  sales: { size: 17, group: 'salesTeam', lead: 'mehmet' },
  tech: { size: 24, group: 'tier1', lead: 'priya' },
  retention: { size: 10, group: 'retentionTeam', lead: 'mehmet' },
  service: { size: 18, group: 'serviceSocial', lead: 'priya' },
  business: { size: 7, group: 'businessDesk', lead: 'mehmet' },
} as const satisfies Record<string, { size: number; group: string; lead: AdminKey }>;
export type Team = keyof typeof TEAMS;

// Every definition is keyed: the key ties it to the others (and to LATER below).
export const LOBS = {
  mobile: { name: 'Mobile', description: 'Mobile contracts and prepaid' },
  broadband: { name: 'Broadband & TV', description: 'DSL, fibre, cable and TV packages' },
  energy: { name: 'Energy', description: 'Electricity and gas supply' },
  business: { name: 'Business Customers', description: 'SME and corporate accounts' },
};

/** Weekly hours: "RRULE days from-to", separated by "; ". */
export const WORKING_HOURS = {
  service: { name: 'Service hours', description: 'Mon–Fri 08–20, Sat 09–16', hours: 'MO,TU,WE,TH,FR 08:00-20:00; SA 09:00-16:00' },
  sales: { name: 'Sales hours', description: 'Mon–Sat 09:00–21:00', hours: 'MO,TU,WE,TH,FR,SA 09:00-21:00' },
  business: { name: 'Business hotline', description: 'Mon–Fri 08:00–18:00', hours: 'MO,TU,WE,TH,FR 08:00-18:00' },
};

/** A skill: the team that takes it, its LoB and its working hours. */
function skill(name: string, description: string, team: Team, lob: keyof typeof LOBS, hours: keyof typeof WORKING_HOURS = 'service') {
  return { name, description, team, lob, hours };
}
export const SKILLS = {
  billingDe: skill('Billing DE', 'Invoices, payments and direct debit (German)', 'billing', 'mobile'),
  billingEn: skill('Billing EN', 'Invoices, payments and direct debit (English)', 'billing', 'mobile'),
  salesDe: skill('Sales DE', 'New contracts and upgrades (German)', 'sales', 'broadband', 'sales'),
  salesEn: skill('Sales EN', 'New contracts and upgrades (English)', 'sales', 'broadband', 'sales'),
  techDe: skill('Tech Support DE', 'Router, line and device issues (German)', 'tech', 'broadband'),
  techEn: skill('Tech Support EN', 'Router, line and device issues (English)', 'tech', 'broadband'),
  retentionDe: skill('Retention DE', 'Cancellations and save offers', 'retention', 'mobile'),
  contractChanges: skill('Contract Changes', 'Tariff changes and contract extensions', 'retention', 'mobile'),
  energyDe: skill('Energy Service DE', 'Meter readings, instalments, supplier switch', 'service', 'energy'),
  complaints: skill('Complaints', 'Formal complaints, handled within 48 h', 'service', 'mobile'),
  social: skill('Social Media', 'Conversations from Facebook, Instagram and X', 'service', 'mobile'),
  businessSupport: skill('Business Support', 'Dedicated line for business customers', 'business', 'business', 'business'),
  fibreCampaign: skill('Fibre Upgrade Campaign', 'Outbound fibre upgrade offers', 'sales', 'broadband', 'sales'),
  outage: skill('Outage Hotline', 'Major incident updates', 'tech', 'broadband'),
  smartMeter: skill('Smart Meter Rollout', 'Appointments for smart meter installation', 'service', 'energy'),
};
/** A team's skills, its main one first. */
export const skillsOf = (team: Team) => (Object.keys(SKILLS) as (keyof typeof SKILLS)[]).filter((key) => SKILLS[key].team === team);

/** The platform's root group: it exists before auditing starts. */
export const MAIN_GROUP_ID = '-1';
export const AGENT_GROUPS: Record<string, { name: string; description: string; parent?: string }> = {
  berlin: { name: 'Berlin Site', description: 'In-house agents, Berlin' },
  leipzig: { name: 'Leipzig Site', description: 'In-house agents, Leipzig' },
  lisbon: { name: 'Lisbon Partner', description: 'Outsourcing partner, Lisbon' },
  billingTeam: { name: 'Billing Team', description: 'Billing and payments', parent: 'berlin' },
  salesTeam: { name: 'Sales Team', description: 'Inbound sales', parent: 'berlin' },
  retentionTeam: { name: 'Retention Team', description: 'Cancellations and contract changes', parent: 'berlin' },
  businessDesk: { name: 'Business Desk', description: 'Business customers', parent: 'berlin' },
  tier1: { name: 'Tech Support Tier 1', description: 'First-line technical support', parent: 'leipzig' },
  serviceSocial: { name: 'Service & Social', description: 'General service, energy and social media', parent: 'lisbon' },
  nightShift: { name: 'Night Shift', description: 'Late and weekend coverage', parent: 'leipzig' },
  newJoiners: { name: 'New Joiners', description: 'Agents in their first four weeks', parent: 'berlin' },
};

// name, description, role type, permissions
export const PROFILES: Record<string, [string, string, number, number[]]> = {
  agent: ['Agent', 'Handles conversations', 1, [1, 2, 5, 12, 17, 23, 31]],
  partner: ['Agent (Partner)', 'Agent without access to customer payment data', 1, [1, 2, 5, 17]],
  manager: ['Agent Manager', 'Team leads: monitoring and coaching', 2, [1, 2, 5, 12, 17, 23, 31, 40, 41, 44]],
  admin: ['Administrator', 'Full account configuration', 4, [80, 81, 82, 83, 84, 85, 86, 90]],
};

/** Content categories, each with the teams on whose skills its texts are offered. */
export const CATEGORIES: Record<string, { name: string; teams: Team[] }> = {
  greetings: { name: 'Greetings & Closings', teams: [] },
  billing: { name: 'Billing', teams: ['billing'] },
  technical: { name: 'Technical', teams: ['tech'] },
  offers: { name: 'Sales Offers', teams: ['sales', 'retention'] },
  legal: { name: 'Legal & Privacy', teams: [] },
  seasonal: { name: 'Seasonal', teams: ['sales'] },
};

// By hot key (#hi): category, title, German text, English text.
export const CONTENT: Record<string, [category: string, title: string, de: string, en: string]> = {
  hi: ['greetings', 'Greeting', 'Hallo, hier ist {agentName} von Acme. Wie kann ich helfen?', 'Hi, this is {agentName}. How can I help?'],
  bye: ['greetings', 'Closing', 'Danke für Ihre Nachricht. Einen schönen Tag noch!', 'Thanks for reaching out. Have a great day!'],
  id: ['legal', 'Identity check', 'Bitte nennen Sie Kundennummer und Geburtsdatum.', 'Your customer number and birth date, please.'],
  inv: ['billing', 'Invoice explained', 'Grundgebühr, Verbindungen, Drittanbieter: Ihre Rechnung.', 'Your invoice: fee, usage, extras.'],
  rr: ['technical', 'Router restart', 'Bitte trennen Sie den Router 30 Sekunden vom Strom.', 'Please unplug the router for 30 seconds.'],
  fib: ['offers', 'Fibre upgrade offer', 'Mit Glasfaser surfen Sie mit bis zu 1 Gbit/s.', 'Fibre gives you up to 1 Gbit/s.'],
  ext: ['offers', 'Contract extension', 'Bei Verlängerung gibt es 10 GB extra im Monat.', 'Extend now for 10 GB extra every month.'],
  cb: ['greetings', 'Callback offer', 'Gern rufen wir Sie zurück. Wann passt es Ihnen?', 'Happy to call you back. When suits you?'],
  fixed: ['technical', 'Outage update', 'Die Störung ist behoben. Bitte Router neu starten.', 'The outage is fixed. Restart your router.'],
  bw: ['seasonal', 'Black Week deal', 'Nur diese Woche: 50 % auf die ersten drei Monate.', 'This week only: 50% off for three months.'],
};

export const QUESTIONS = {
  csat: { id: 'q-csat', type: 'csat', text: 'How satisfied are you with this conversation?', scale: 5 },
  nps: { id: 'q-nps', type: 'nps', text: 'How likely are you to recommend Acme to a friend?', scale: 10 },
  resolved: { id: 'q-resolved', type: 'yesNo', text: 'Was your issue resolved today?' },
  reason: { id: 'q-reason', type: 'multipleChoice', text: 'Contact reason', options: ['Invoice', 'Technical', 'Contract', 'Other'] },
  offer: { id: 'q-offer', type: 'multipleChoice', text: 'Offer outcome', options: ['Accepted', 'Declined', 'No offer made'] },
};
// name, description, question, skills
type SurveyDef = [name: string, description: string, question: object, skills: (keyof typeof SKILLS)[]];
export const POST_CONVERSATION_SURVEYS: Record<string, SurveyDef> = {
  csat: ['CSAT after conversation', 'One question, 5-point scale', QUESTIONS.csat, ['billingDe', 'billingEn', 'techDe', 'techEn']],
  nps: ['NPS Messaging', 'Net promoter score for messaging', QUESTIONS.nps, ['salesDe', 'salesEn', 'retentionDe']],
};
export const AGENT_SURVEYS: Record<string, SurveyDef> = {
  outcome: ['Conversation outcome', 'Contact reason and resolution (mandatory)', QUESTIONS.reason, ['billingDe', 'techDe', 'techEn']],
  salesDisposition: ['Sales disposition', 'Offer made, accepted or declined', QUESTIONS.offer, ['salesDe', 'retentionDe']],
};

/** `days`: how long a campaign runs. */
export const CAMPAIGN_SCHEDULES: Record<string, { name: string; description: string; hours: string; days?: number }> = {
  alwaysOn: { name: 'Always on', description: 'Engagements without time limits', hours: 'MO,TU,WE,TH,FR,SA,SU 00:00-23:59' },
  weekdayDaytime: { name: 'Weekday daytime', description: 'Proactive chat while staffed', hours: 'MO,TU,WE,TH,FR 09:00-18:00' },
  fibreLaunch: { name: 'Fibre launch', description: 'Fibre upgrades', hours: 'MO,TU,WE,TH,FR,SA 10:00-20:00', days: 45 },
  blackWeek: { name: 'Black Week offers', description: 'Discount week', hours: 'MO,TU,WE,TH,FR,SA,SU 08:00-22:00', days: 10 },
};

export const AUTOMATIC_MESSAGES: Record<
  string,
  { name: string; description: string; event: string; text: string; skills: (keyof typeof SKILLS)[] }
> = {
  welcome: {
    name: 'Welcome',
    description: 'Greets every new conversation',
    event: 'GREETING',
    text: 'Hallo! Wie können wir helfen?',
    skills: ['billingDe', 'techDe'],
  },
};
/** Days that override the working hours. */
export const SPECIAL_OCCASIONS: Record<string, { name: string; description: string; days: string[] }> = {
  holidays: { name: 'Public holidays', description: 'Closed on public holidays', days: ['2026-12-24', '2026-12-25', '2026-12-26'] },
};

/**
 * What the year brings, in this order, spread over the story (the rollout sets up the rest):
 * type, key, and for what is temporary the days until it is retired again.
 */
export type LaterType = 'skill' | 'agentGroup' | 'contentCategory' | 'predefinedContent' | 'campaignSchedule';
export const LATER: [type: LaterType, key: string, lasts?: number][] = [
  ['agentGroup', 'nightShift'],
  ['skill', 'fibreCampaign', 45],
  ['campaignSchedule', 'fibreLaunch', 52],
  ['predefinedContent', 'cb'],
  ['agentGroup', 'newJoiners'],
  ['skill', 'outage', 12],
  ['predefinedContent', 'fixed', 12],
  ['skill', 'smartMeter'],
  ['contentCategory', 'seasonal', 30],
  ['campaignSchedule', 'blackWeek', 17],
  ['predefinedContent', 'bw', 14],
];

/** What an admin writes into a description, and why a day is closed. */
export const NOTES = ['reviewed by WFM', 'priority queue', 'includes chat and messaging', 'peak season staffing', 'Bilingual DE/EN'];
export const CLOSURES = ['Team event', 'Public holiday', 'System maintenance', 'Reduced staffing'];
