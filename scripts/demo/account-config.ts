// What Acme Contact Center is configured with: a telco and energy retailer with sites in
// Berlin and Leipzig and an outsourcing partner in Lisbon, serving customers in German and
// English. Keys tie the pieces together; numeric ids are given out when objects are added.

/** A team of agents: where they sit, what they handle, which language. */
export type Domain = 'billing' | 'sales' | 'tech' | 'techTier2' | 'retention' | 'service' | 'business';

export const LOBS = [
  { key: 'mobile', name: 'Mobile', description: 'Mobile contracts and prepaid' },
  { key: 'broadband', name: 'Broadband & TV', description: 'DSL, fibre, cable and TV packages' },
  { key: 'energy', name: 'Energy', description: 'Electricity and gas supply' },
  { key: 'business', name: 'Business Customers', description: 'SME and corporate accounts' },
] as const;
export type LobKey = (typeof LOBS)[number]['key'];

export interface WeeklyHours {
  days: string; // RRULE BYDAY
  start: string; // HH:MM
  end: string;
}

export const WORKING_HOURS = [
  {
    key: 'service',
    name: 'Service hours',
    description: 'Mon–Fri 08:00–20:00, Sat 09:00–16:00',
    isDefault: true,
    hours: [
      { days: 'MO,TU,WE,TH,FR', start: '08:00', end: '20:00' },
      { days: 'SA', start: '09:00', end: '16:00' },
    ],
  },
  {
    key: 'sales',
    name: 'Sales hours',
    description: 'Mon–Sat 09:00–21:00',
    isDefault: false,
    hours: [{ days: 'MO,TU,WE,TH,FR,SA', start: '09:00', end: '21:00' }],
  },
  {
    key: 'business',
    name: 'Business hotline',
    description: 'Mon–Fri 08:00–18:00',
    isDefault: false,
    hours: [{ days: 'MO,TU,WE,TH,FR', start: '08:00', end: '18:00' }],
  },
] as const satisfies readonly { key: string; name: string; description: string; isDefault: boolean; hours: readonly WeeklyHours[] }[];
export type WorkingHoursKey = (typeof WORKING_HOURS)[number]['key'];

export interface SkillDefinition {
  key: string;
  name: string;
  description: string;
  domain: Domain;
  lob: LobKey;
  workingHours: WorkingHoursKey;
  maxWaitTime: number;
}

export const SKILLS: readonly SkillDefinition[] = [
  { key: 'billingDe', name: 'Billing DE', description: 'Invoices, payments and direct debit (German)', domain: 'billing', lob: 'mobile', workingHours: 'service', maxWaitTime: 120 },
  { key: 'billingEn', name: 'Billing EN', description: 'Invoices, payments and direct debit (English)', domain: 'billing', lob: 'mobile', workingHours: 'service', maxWaitTime: 180 },
  { key: 'salesDe', name: 'Sales DE', description: 'New contracts and upgrades (German)', domain: 'sales', lob: 'broadband', workingHours: 'sales', maxWaitTime: 60 },
  { key: 'salesEn', name: 'Sales EN', description: 'New contracts and upgrades (English)', domain: 'sales', lob: 'broadband', workingHours: 'sales', maxWaitTime: 90 },
  { key: 'techDe', name: 'Tech Support DE', description: 'Router, line and device issues (German)', domain: 'tech', lob: 'broadband', workingHours: 'service', maxWaitTime: 240 },
  { key: 'techEn', name: 'Tech Support EN', description: 'Router, line and device issues (English)', domain: 'tech', lob: 'broadband', workingHours: 'service', maxWaitTime: 300 },
  { key: 'techTier2', name: 'Tech Support Tier 2', description: 'Escalated technical cases', domain: 'techTier2', lob: 'broadband', workingHours: 'service', maxWaitTime: 600 },
  { key: 'retentionDe', name: 'Retention DE', description: 'Cancellations and save offers', domain: 'retention', lob: 'mobile', workingHours: 'service', maxWaitTime: 90 },
  { key: 'contractChanges', name: 'Contract Changes', description: 'Tariff changes and contract extensions', domain: 'retention', lob: 'mobile', workingHours: 'service', maxWaitTime: 180 },
  { key: 'movingService', name: 'Moving Service', description: 'Moving house with broadband or energy', domain: 'service', lob: 'energy', workingHours: 'service', maxWaitTime: 240 },
  { key: 'energyDe', name: 'Energy Service DE', description: 'Meter readings, instalments, supplier switch', domain: 'service', lob: 'energy', workingHours: 'service', maxWaitTime: 300 },
  { key: 'complaints', name: 'Complaints', description: 'Formal complaints, handled within 48 h', domain: 'service', lob: 'mobile', workingHours: 'service', maxWaitTime: 600 },
  { key: 'social', name: 'Social Media', description: 'Conversations from Facebook, Instagram and X', domain: 'service', lob: 'mobile', workingHours: 'service', maxWaitTime: 900 },
  { key: 'botEscalation', name: 'Bot Escalation', description: 'Hand-offs from the virtual assistant', domain: 'service', lob: 'broadband', workingHours: 'service', maxWaitTime: 120 },
  { key: 'businessSupport', name: 'Business Support', description: 'Dedicated line for business customers', domain: 'business', lob: 'business', workingHours: 'business', maxWaitTime: 60 },
];

/** Skills added later in the story; some are retired again. */
export const LATER_SKILLS: readonly SkillDefinition[] = [
  { key: 'fibreCampaign', name: 'Fibre Upgrade Campaign', description: 'Outbound fibre upgrade offers', domain: 'sales', lob: 'broadband', workingHours: 'sales', maxWaitTime: 60 },
  { key: 'outage', name: 'Outage Hotline', description: 'Major incident updates', domain: 'tech', lob: 'broadband', workingHours: 'service', maxWaitTime: 120 },
  { key: 'smartMeter', name: 'Smart Meter Rollout', description: 'Appointments for smart meter installation', domain: 'service', lob: 'energy', workingHours: 'service', maxWaitTime: 300 },
  { key: 'roaming', name: 'Roaming Support', description: 'Travel and roaming questions (English)', domain: 'tech', lob: 'mobile', workingHours: 'service', maxWaitTime: 240 },
  { key: 'winBack', name: 'Win-back', description: 'Former customers returning', domain: 'retention', lob: 'mobile', workingHours: 'sales', maxWaitTime: 120 },
];

/** The platform's root agent group; it exists before auditing starts. */
export const MAIN_GROUP = { id: -1, name: 'Main Group' } as const;

export interface GroupDefinition {
  key: string;
  name: string;
  description: string;
  parent: string | null; // key of the parent; null: the main group
  domain?: Domain;
}

export const AGENT_GROUPS: readonly GroupDefinition[] = [
  { key: 'berlin', name: 'Berlin Site', description: 'In-house agents, Berlin', parent: null },
  { key: 'leipzig', name: 'Leipzig Site', description: 'In-house agents, Leipzig', parent: null },
  { key: 'lisbon', name: 'Lisbon Partner', description: 'Outsourcing partner, Lisbon', parent: null },
  { key: 'billingTeam', name: 'Billing Team', description: 'Billing and payments', parent: 'berlin', domain: 'billing' },
  { key: 'salesTeam', name: 'Sales Team', description: 'Inbound sales', parent: 'berlin', domain: 'sales' },
  { key: 'retentionTeam', name: 'Retention Team', description: 'Cancellations and contract changes', parent: 'berlin', domain: 'retention' },
  { key: 'businessDesk', name: 'Business Desk', description: 'Business customers', parent: 'berlin', domain: 'business' },
  { key: 'tier1', name: 'Tech Support Tier 1', description: 'First-line technical support', parent: 'leipzig', domain: 'tech' },
  { key: 'tier2', name: 'Tech Support Tier 2', description: 'Escalations and field service coordination', parent: 'leipzig', domain: 'techTier2' },
  { key: 'serviceSocial', name: 'Service & Social', description: 'General service, energy and social media', parent: 'lisbon', domain: 'service' },
];

export const LATER_GROUPS: readonly GroupDefinition[] = [
  { key: 'nightShift', name: 'Night Shift', description: 'Late and weekend coverage', parent: 'leipzig' },
  { key: 'newJoiners', name: 'New Joiners', description: 'Agents in their first four weeks', parent: 'berlin' },
  { key: 'energyTeam', name: 'Energy Team', description: 'Energy customers, split from Service & Social', parent: 'lisbon', domain: 'service' },
];

export const PROFILES = [
  { key: 'agent', name: 'Agent', description: 'Handles conversations', roleTypeId: 1, permissions: [1, 2, 5, 12, 17, 23, 31] },
  { key: 'agentRestricted', name: 'Agent (Partner)', description: 'Agent without access to customer payment data', roleTypeId: 1, permissions: [1, 2, 5, 17] },
  { key: 'manager', name: 'Agent Manager', description: 'Team leads: monitoring and coaching', roleTypeId: 2, permissions: [1, 2, 5, 12, 17, 23, 31, 40, 41, 44, 52] },
  { key: 'campaign', name: 'Campaign Manager', description: 'Campaigns, engagements and schedules', roleTypeId: 3, permissions: [60, 61, 62, 65, 70] },
  { key: 'admin', name: 'Administrator', description: 'Full account configuration', roleTypeId: 4, permissions: [80, 81, 82, 83, 84, 85, 86, 90] },
] as const;
export type ProfileKey = (typeof PROFILES)[number]['key'];
/** Permission ids admins add to or take from profiles during the story. */
export const EXTRA_PERMISSIONS = [7, 9, 14, 19, 27, 33, 36, 47, 55, 58];

/** Agents per team at the rollout; the first of each team becomes its team lead. */
export const TEAM_SIZES: Record<Exclude<Domain, never>, number> = {
  billing: 16,
  sales: 17,
  tech: 19,
  techTier2: 8,
  retention: 10,
  service: 18,
  business: 7,
};

export const TEAM_GROUP: Record<Domain, string> = {
  billing: 'billingTeam',
  sales: 'salesTeam',
  tech: 'tier1',
  techTier2: 'tier2',
  retention: 'retentionTeam',
  service: 'serviceSocial',
  business: 'businessDesk',
};

export const CONTENT_CATEGORIES = [
  { key: 'greetings', name: 'Greetings & Closings' },
  { key: 'billing', name: 'Billing' },
  { key: 'technical', name: 'Technical' },
  { key: 'offers', name: 'Sales Offers' },
  { key: 'legal', name: 'Legal & Privacy' },
] as const;
export type CategoryKey = (typeof CONTENT_CATEGORIES)[number]['key'];

export interface ContentDefinition {
  title: string;
  de: string;
  en: string;
  category: CategoryKey;
  hotkey: string;
  skills?: readonly string[];
}

export const PREDEFINED_CONTENT: readonly ContentDefinition[] = [
  { title: 'Greeting', de: 'Hallo, hier ist {agentName} von Acme. Wie kann ich helfen?', en: 'Hi, this is {agentName} from Acme. How can I help?', category: 'greetings', hotkey: 'hi' },
  { title: 'Closing', de: 'Danke für Ihre Nachricht. Einen schönen Tag noch!', en: 'Thanks for reaching out. Have a great day!', category: 'greetings', hotkey: 'bye' },
  { title: 'Please hold', de: 'Einen Moment bitte, ich sehe mir das gleich an.', en: 'One moment please, I am looking into this.', category: 'greetings', hotkey: 'hold' },
  { title: 'Identity check', de: 'Bitte nennen Sie mir Ihre Kundennummer und Ihr Geburtsdatum.', en: 'Please share your customer number and date of birth.', category: 'legal', hotkey: 'id' },
  { title: 'Privacy notice', de: 'Ihre Daten verarbeiten wir gemäß unserer Datenschutzerklärung: acme.example/datenschutz', en: 'We process your data as described at acme.example/privacy', category: 'legal', hotkey: 'gdpr' },
  { title: 'Invoice explained', de: 'Ihre Rechnung setzt sich aus Grundgebühr, Verbindungen und Drittanbietern zusammen.', en: 'Your invoice consists of the base fee, usage and third-party services.', category: 'billing', hotkey: 'inv', skills: ['billingDe', 'billingEn'] },
  { title: 'Direct debit change', de: 'Die neue Bankverbindung gilt ab der nächsten Rechnung.', en: 'Your new bank details apply from the next invoice.', category: 'billing', hotkey: 'sepa', skills: ['billingDe', 'billingEn'] },
  { title: 'Payment reminder', de: 'Wir haben noch keinen Zahlungseingang. Möchten Sie eine Ratenzahlung vereinbaren?', en: 'We have not received your payment yet. Would you like a payment plan?', category: 'billing', hotkey: 'rem', skills: ['billingDe'] },
  { title: 'Router restart', de: 'Bitte trennen Sie den Router für 30 Sekunden vom Strom und starten ihn neu.', en: 'Please unplug the router for 30 seconds and restart it.', category: 'technical', hotkey: 'rr', skills: ['techDe', 'techEn'] },
  { title: 'Line check', de: 'Ich starte jetzt eine Leitungsprüfung, das dauert etwa zwei Minuten.', en: 'I am starting a line check now; it takes about two minutes.', category: 'technical', hotkey: 'lc', skills: ['techDe', 'techEn', 'techTier2'] },
  { title: 'Outage notice', de: 'In Ihrer Region gibt es aktuell eine Störung. Unsere Techniker arbeiten daran.', en: 'There is an outage in your area. Our engineers are working on it.', category: 'technical', hotkey: 'out' },
  { title: 'Fibre upgrade offer', de: 'Mit Glasfaser surfen Sie mit bis zu 1 Gbit/s – die ersten 6 Monate zum halben Preis.', en: 'Fibre gives you up to 1 Gbit/s, half price for the first 6 months.', category: 'offers', hotkey: 'fib', skills: ['salesDe', 'salesEn'] },
  { title: 'Contract extension', de: 'Bei Verlängerung erhalten Sie 10 GB extra Datenvolumen pro Monat.', en: 'Extend now and get 10 GB extra data every month.', category: 'offers', hotkey: 'ext', skills: ['retentionDe', 'contractChanges'] },
  { title: 'Moving checklist', de: 'Bitte teilen Sie uns Umzugsdatum, neue Adresse und Zählerstand mit.', en: 'Please share your moving date, new address and meter reading.', category: 'technical', hotkey: 'mv', skills: ['movingService'] },
];

export const POST_CONVERSATION_SURVEYS = [
  { key: 'csat', name: 'CSAT after conversation', description: 'One question, 5-point scale', skills: ['billingDe', 'billingEn', 'techDe', 'techEn'], timeoutInMinutes: 30 },
  { key: 'nps', name: 'NPS Messaging', description: 'Net promoter score for messaging', skills: ['salesDe', 'salesEn', 'retentionDe'], timeoutInMinutes: 60 },
  { key: 'complaintFollowUp', name: 'Complaint follow-up', description: 'Was the complaint resolved?', skills: ['complaints'], timeoutInMinutes: 120 },
] as const;

export const AGENT_SURVEYS = [
  { key: 'outcome', name: 'Conversation outcome', description: 'Contact reason and resolution', skills: ['billingDe', 'billingEn', 'techDe', 'techEn', 'techTier2'], isMandatory: true },
  { key: 'salesDisposition', name: 'Sales disposition', description: 'Offer made, accepted or declined', skills: ['salesDe', 'salesEn', 'retentionDe'], isMandatory: false },
] as const;

export const CAMPAIGN_SCHEDULES = [
  { key: 'alwaysOn', name: 'Always on', description: 'Engagements without time limits', isDefault: true, hours: [{ days: 'MO,TU,WE,TH,FR,SA,SU', start: '00:00', end: '23:59' }] },
  { key: 'weekdayDaytime', name: 'Weekday daytime', description: 'Proactive chat while the service team is staffed', isDefault: false, hours: [{ days: 'MO,TU,WE,TH,FR', start: '09:00', end: '18:00' }] },
  { key: 'eveningRetention', name: 'Evening retention push', description: 'Save offers on cancellation pages', isDefault: false, hours: [{ days: 'MO,TU,WE,TH', start: '17:00', end: '21:00' }] },
] as const;

export const LATER_CAMPAIGN_SCHEDULES = [
  { key: 'fibreLaunch', name: 'Fibre launch', description: 'Fibre upgrade campaign', isDefault: false, hours: [{ days: 'MO,TU,WE,TH,FR,SA', start: '10:00', end: '20:00' }] },
  { key: 'blackWeek', name: 'Black Week offers', description: 'Discount week', isDefault: false, hours: [{ days: 'MO,TU,WE,TH,FR,SA,SU', start: '08:00', end: '22:00' }] },
] as const;
