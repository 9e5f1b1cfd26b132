// Who works at Acme Contact Center (a telco and energy retailer with sites in Berlin and
// Leipzig and a partner in Lisbon) and what its account is configured with. Keys tie the
// pieces together; numeric ids are given out when the story adds an object.
import type { Originator } from './types';

/** The account `npm start` creates: a platform-style number, as the Agent Workspace URL carries it. */
export const DEMO_ACCOUNT = {
  id: '70071528',
  name: 'Acme Contact Center',
  timezone: 'Europe/Berlin',
  /** Auditing was switched on this long before the account is created, and the seeded
   *  history covers about `historyDays` before then. */
  auditEnabledDaysAgo: 182,
  historyDays: 152,
} as const;

export const ADMINS = {
  /** Head of the contact center: teams, promotions, hires. */
  sabine: { id: '3791204410', name: 'Sabine Krüger' },
  /** Workforce management: skills, hours, schedules, chat limits. */
  jonas: { id: '3791204422', name: 'Jonas Weber' },
  /** Team lead Billing, Tech and Service. */
  priya: { id: '3791204437', name: 'Priya Natarajan' },
  /** Team lead Sales, Retention and Business. */
  mehmet: { id: '3791204451', name: 'Mehmet Yılmaz' },
  /** Knowledge manager: predefined content and its categories. */
  claire: { id: '3791204468', name: 'Claire Dubois' },
  /** Quality and CX: surveys. */
  tomasz: { id: '3791204479', name: 'Tomasz Nowak' },
  /** LivePerson administrator in IT: accounts, passwords, profiles. */
  lena: { id: '3791204486', name: 'Lena Hoffmann' },
  /** The identity provider's user sync; it reports element changes, not snapshots. */
  sync: { id: 'okta-scim-sync', name: 'Okta user sync (API)' },
} as const satisfies Record<string, Originator>;
export type AdminKey = keyof typeof ADMINS;

export const FIRST_NAMES =
  'Anna Ben Clara David Elif Felix Greta Hannah Ivan Julia Kai Laura Malte Nina Oskar Paula Rosa Simon Tanja Umut Vera Wiebke Yusuf Zoe Aylin Bastian Chiara Dominik Emma Finn Gülsen Henrik Ines Jan Katarzyna Leon Marta Niklas Olga Pedro Rania Stefan Tobias Valentina Wojciech Xenia Yara Zeynep Amir Beatriz Carlos Daria Erik Fatima Gabriel Helena Igor Johanna Lukas Mia Noah'.split(
    ' ',
  );
export const LAST_NAMES =
  "Müller Schmidt Schneider Fischer Meyer Wagner Becker Schulz Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Hofmann Hartmann Lange Werner Krause Lehmann Köhler Demir Kaya Şahin Kowalski Wiśniewski Silva Santos Ferreira Costa Rossi Bianchi Novak Horvat Petrov Okafor Mensah Haddad Nguyen Tran Jensen Larsen Andersson O'Brien García Martínez Popescu Yıldız Öztürk Brandt Vogel".split(
    ' ',
  );

/** A team of agents; its lead is the admin who looks after its people. */
export type Team = 'billing' | 'sales' | 'tech' | 'retention' | 'service' | 'business';
export const TEAMS: Record<Team, { size: number; group: string; lead: AdminKey }> = {
  billing: { size: 16, group: 'billingTeam', lead: 'priya' },
  sales: { size: 17, group: 'salesTeam', lead: 'mehmet' },
  tech: { size: 24, group: 'tier1', lead: 'priya' },
  retention: { size: 10, group: 'retentionTeam', lead: 'mehmet' },
  service: { size: 18, group: 'serviceSocial', lead: 'priya' },
  business: { size: 7, group: 'businessDesk', lead: 'mehmet' },
};

export const LOBS = [
  { key: 'mobile', name: 'Mobile', description: 'Mobile contracts and prepaid' },
  { key: 'broadband', name: 'Broadband & TV', description: 'DSL, fibre, cable and TV packages' },
  { key: 'energy', name: 'Energy', description: 'Electricity and gas supply' },
  { key: 'business', name: 'Business Customers', description: 'SME and corporate accounts' },
];

/** Weekly opening hours: RRULE days, from, to. */
export type Hours = readonly (readonly [days: string, start: string, end: string])[];
export const WORKING_HOURS: { key: string; name: string; description: string; hours: Hours }[] = [
  {
    key: 'service',
    name: 'Service hours',
    description: 'Mon–Fri 08:00–20:00, Sat 09:00–16:00',
    hours: [
      ['MO,TU,WE,TH,FR', '08:00', '20:00'],
      ['SA', '09:00', '16:00'],
    ],
  },
  { key: 'sales', name: 'Sales hours', description: 'Mon–Sat 09:00–21:00', hours: [['MO,TU,WE,TH,FR,SA', '09:00', '21:00']] },
  { key: 'business', name: 'Business hotline', description: 'Mon–Fri 08:00–18:00', hours: [['MO,TU,WE,TH,FR', '08:00', '18:00']] },
];

export interface SkillDefinition {
  key: string;
  name: string;
  description: string;
  team: Team;
  lob: string;
  hours: string;
  later?: boolean;
}
const skill = (
  key: string,
  name: string,
  description: string,
  team: Team,
  lob: string,
  hours = 'service',
  later = false,
): SkillDefinition => ({ key, name, description, team, lob, hours, later });
export const SKILLS: SkillDefinition[] = [
  skill('billingDe', 'Billing DE', 'Invoices, payments and direct debit (German)', 'billing', 'mobile'),
  skill('billingEn', 'Billing EN', 'Invoices, payments and direct debit (English)', 'billing', 'mobile'),
  skill('salesDe', 'Sales DE', 'New contracts and upgrades (German)', 'sales', 'broadband', 'sales'),
  skill('salesEn', 'Sales EN', 'New contracts and upgrades (English)', 'sales', 'broadband', 'sales'),
  skill('techDe', 'Tech Support DE', 'Router, line and device issues (German)', 'tech', 'broadband'),
  skill('techEn', 'Tech Support EN', 'Router, line and device issues (English)', 'tech', 'broadband'),
  skill('retentionDe', 'Retention DE', 'Cancellations and save offers', 'retention', 'mobile'),
  skill('contractChanges', 'Contract Changes', 'Tariff changes and contract extensions', 'retention', 'mobile'),
  skill('energyDe', 'Energy Service DE', 'Meter readings, instalments, supplier switch', 'service', 'energy'),
  skill('complaints', 'Complaints', 'Formal complaints, handled within 48 h', 'service', 'mobile'),
  skill('social', 'Social Media', 'Conversations from Facebook, Instagram and X', 'service', 'mobile'),
  skill('businessSupport', 'Business Support', 'Dedicated line for business customers', 'business', 'business', 'business'),
  skill('fibreCampaign', 'Fibre Upgrade Campaign', 'Outbound fibre upgrade offers', 'sales', 'broadband', 'sales', true),
  skill('outage', 'Outage Hotline', 'Major incident updates', 'tech', 'broadband', 'service', true),
  skill('smartMeter', 'Smart Meter Rollout', 'Appointments for smart meter installation', 'service', 'energy', 'service', true),
];

/** The platform's root group: it exists before auditing starts. */
export const MAIN_GROUP_ID = '-1';
export const AGENT_GROUPS: { key: string; name: string; description: string; parent?: string; later?: boolean }[] = [
  { key: 'berlin', name: 'Berlin Site', description: 'In-house agents, Berlin' },
  { key: 'leipzig', name: 'Leipzig Site', description: 'In-house agents, Leipzig' },
  { key: 'lisbon', name: 'Lisbon Partner', description: 'Outsourcing partner, Lisbon' },
  { key: 'billingTeam', name: 'Billing Team', description: 'Billing and payments', parent: 'berlin' },
  { key: 'salesTeam', name: 'Sales Team', description: 'Inbound sales', parent: 'berlin' },
  { key: 'retentionTeam', name: 'Retention Team', description: 'Cancellations and contract changes', parent: 'berlin' },
  { key: 'businessDesk', name: 'Business Desk', description: 'Business customers', parent: 'berlin' },
  { key: 'tier1', name: 'Tech Support Tier 1', description: 'First-line technical support', parent: 'leipzig' },
  { key: 'serviceSocial', name: 'Service & Social', description: 'General service, energy and social media', parent: 'lisbon' },
  { key: 'nightShift', name: 'Night Shift', description: 'Late and weekend coverage', parent: 'leipzig', later: true },
  { key: 'newJoiners', name: 'New Joiners', description: 'Agents in their first four weeks', parent: 'berlin', later: true },
];

export const PROFILES = [
  { key: 'agent', name: 'Agent', description: 'Handles conversations', roleTypeId: 1, permissions: [1, 2, 5, 12, 17, 23, 31] },
  {
    key: 'partner',
    name: 'Agent (Partner)',
    description: 'Agent without access to customer payment data',
    roleTypeId: 1,
    permissions: [1, 2, 5, 17],
  },
  {
    key: 'manager',
    name: 'Agent Manager',
    description: 'Team leads: monitoring and coaching',
    roleTypeId: 2,
    permissions: [1, 2, 5, 12, 17, 23, 31, 40, 41, 44],
  },
  {
    key: 'admin',
    name: 'Administrator',
    description: 'Full account configuration',
    roleTypeId: 4,
    permissions: [80, 81, 82, 83, 84, 85, 86, 90],
  },
];

export const CATEGORIES = [
  { key: 'greetings', name: 'Greetings & Closings' },
  { key: 'billing', name: 'Billing' },
  { key: 'technical', name: 'Technical' },
  { key: 'offers', name: 'Sales Offers' },
  { key: 'legal', name: 'Legal & Privacy' },
  { key: 'seasonal', name: 'Seasonal', later: true },
];

export const CONTENT: { title: string; de: string; en: string; category: string; hotkey: string; skills?: string[]; later?: boolean }[] = [
  {
    title: 'Greeting',
    de: 'Hallo, hier ist {agentName} von Acme. Wie kann ich helfen?',
    en: 'Hi, this is {agentName} from Acme. How can I help?',
    category: 'greetings',
    hotkey: 'hi',
  },
  {
    title: 'Closing',
    de: 'Danke für Ihre Nachricht. Einen schönen Tag noch!',
    en: 'Thanks for reaching out. Have a great day!',
    category: 'greetings',
    hotkey: 'bye',
  },
  {
    title: 'Identity check',
    de: 'Bitte nennen Sie mir Ihre Kundennummer und Ihr Geburtsdatum.',
    en: 'Please share your customer number and date of birth.',
    category: 'legal',
    hotkey: 'id',
  },
  {
    title: 'Invoice explained',
    de: 'Ihre Rechnung setzt sich aus Grundgebühr, Verbindungen und Drittanbietern zusammen.',
    en: 'Your invoice consists of the base fee, usage and third-party services.',
    category: 'billing',
    hotkey: 'inv',
    skills: ['billingDe', 'billingEn'],
  },
  {
    title: 'Router restart',
    de: 'Bitte trennen Sie den Router für 30 Sekunden vom Strom.',
    en: 'Please unplug the router for 30 seconds.',
    category: 'technical',
    hotkey: 'rr',
    skills: ['techDe', 'techEn'],
  },
  {
    title: 'Fibre upgrade offer',
    de: 'Mit Glasfaser surfen Sie mit bis zu 1 Gbit/s.',
    en: 'Fibre gives you up to 1 Gbit/s.',
    category: 'offers',
    hotkey: 'fib',
    skills: ['salesDe', 'salesEn'],
  },
  {
    title: 'Contract extension',
    de: 'Bei Verlängerung erhalten Sie 10 GB extra pro Monat.',
    en: 'Extend now and get 10 GB extra every month.',
    category: 'offers',
    hotkey: 'ext',
    skills: ['retentionDe'],
  },
  {
    title: 'Outage update',
    de: 'Die Störung ist behoben. Bitte starten Sie Ihren Router neu.',
    en: 'The outage is fixed. Please restart your router.',
    category: 'technical',
    hotkey: 'fixed',
    later: true,
  },
  {
    title: 'Black Week deal',
    de: 'Nur diese Woche: 50 % auf die ersten drei Monate.',
    en: 'This week only: 50% off the first three months.',
    category: 'offers',
    hotkey: 'bw',
    later: true,
  },
  {
    title: 'Callback offer',
    de: 'Gern rufen wir Sie zurück. Wann passt es Ihnen?',
    en: 'We are happy to call you back. When suits you?',
    category: 'greetings',
    hotkey: 'cb',
    later: true,
  },
];

export const QUESTIONS = {
  csat: { id: 'q-csat', type: 'csat', text: 'How satisfied are you with this conversation?', scale: 5 },
  nps: { id: 'q-nps', type: 'nps', text: 'How likely are you to recommend Acme to a friend?', scale: 10 },
  resolved: { id: 'q-resolved', type: 'yesNo', text: 'Was your issue resolved today?' },
  reason: { id: 'q-reason', type: 'multipleChoice', text: 'Contact reason', options: ['Invoice', 'Technical', 'Contract', 'Other'] },
  offer: { id: 'q-offer', type: 'multipleChoice', text: 'Offer outcome', options: ['Accepted', 'Declined', 'No offer made'] },
};
export const SURVEYS = [
  {
    type: 'postConversationSurvey',
    key: 'csat',
    name: 'CSAT after conversation',
    description: 'One question, 5-point scale',
    skills: ['billingDe', 'billingEn', 'techDe', 'techEn'],
    questions: [QUESTIONS.csat],
  },
  {
    type: 'postConversationSurvey',
    key: 'nps',
    name: 'NPS Messaging',
    description: 'Net promoter score for messaging',
    skills: ['salesDe', 'salesEn', 'retentionDe'],
    questions: [QUESTIONS.nps],
  },
  {
    type: 'agentSurvey',
    key: 'outcome',
    name: 'Conversation outcome',
    description: 'Contact reason and resolution',
    skills: ['billingDe', 'techDe', 'techEn'],
    questions: [QUESTIONS.reason],
  },
  {
    type: 'agentSurvey',
    key: 'salesDisposition',
    name: 'Sales disposition',
    description: 'Offer made, accepted or declined',
    skills: ['salesDe', 'retentionDe'],
    questions: [QUESTIONS.offer],
  },
] as const;

export const CAMPAIGN_SCHEDULES: { key: string; name: string; description: string; hours: Hours; days?: number; later?: boolean }[] = [
  {
    key: 'alwaysOn',
    name: 'Always on',
    description: 'Engagements without time limits',
    hours: [['MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59']],
  },
  {
    key: 'weekdayDaytime',
    name: 'Weekday daytime',
    description: 'Proactive chat while the service team is staffed',
    hours: [['MO,TU,WE,TH,FR', '09:00', '18:00']],
  },
  {
    key: 'fibreLaunch',
    name: 'Fibre launch',
    description: 'Fibre upgrade campaign',
    hours: [['MO,TU,WE,TH,FR,SA', '10:00', '20:00']],
    days: 45,
    later: true,
  },
  {
    key: 'blackWeek',
    name: 'Black Week offers',
    description: 'Discount week',
    hours: [['MO,TU,WE,TH,FR,SA,SU', '08:00', '22:00']],
    days: 10,
    later: true,
  },
];

/** What an admin writes into a description, a note, a nickname. */
export const NOTES = [
  'reviewed by WFM',
  'priority queue',
  'includes chat and messaging',
  'peak season staffing',
  'pilot for messaging',
  'owner: Sabine Krüger',
  'Part-time (30 h)',
  'Bilingual DE/EN',
];
export const CLOSURES = ['Team event', 'Public holiday', 'System maintenance', 'Reduced staffing'];
