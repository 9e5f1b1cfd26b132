// Deterministic, realistic audit records: a few admins editing users, skills, groups, profiles
// and more; an edit of several elements shares its instant and originator; an add lists each
// element it set; some rows repeat identically on one day (LivePerson has no record id); values
// with commas, quotes and line breaks; and, when asked, rows of types an importer will not know.
import { UNKNOWN_OBJECT_TYPES, type ActionType, type ObjectTypeName, type SimRecord } from './contract';

export interface GenerateOptions {
  from: string;
  days: number;
  rowsPerDay: number;
  seed: number;
  /** Total rows of an unknown object type, spread over the days. */
  unknownTypes?: number;
}

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADMINS = [
  { originator: 'dana.levi@example.com', originatorId: '3452120510', originatorEmployeeId: 'E1042', originatorProfiles: 'Administrator' },
  {
    originator: 'marc.olsen@example.com',
    originatorId: '3452120611',
    originatorEmployeeId: 'E1077',
    originatorProfiles: 'Administrator, Campaign Manager',
  },
  { originator: 'priya.nair@example.com', originatorId: '3452120712', originatorEmployeeId: '', originatorProfiles: 'Agent Manager' },
  { originator: 'Automatic Process', originatorId: '0', originatorEmployeeId: '', originatorProfiles: '' },
] as const;

type Values = (n: number, pick: <T>(list: readonly T[]) => T) => string;

const ELEMENTS: Record<ObjectTypeName, { names: readonly string[]; elements: Record<string, Values> }> = {
  Users: {
    names: ['Ana Souza', 'Ben Carter', 'Chen Wei', 'Dalia Haddad', "Liam O'Brien", 'Sofia Rossi'],
    elements: {
      Nickname: (n, pick) => `${pick(['Ana', 'Ben', 'Chen', 'Dali', 'Liam', 'Sofi'])}${n % 7}`,
      Email: (n) => `agent${n % 97}@example.com`,
      'Max no. of live chats': (n) => String(1 + (n % 6)),
      'Assigned skills': (_n, pick) => pick(['Billing', 'Billing, Sales', 'Sales, "VIP" Support', 'Tech Support']),
      Enabled: (n) => (n % 2 ? 'true' : 'false'),
      'Agent group': (_n, pick) => pick(['Main Group', 'Night shift', 'Tier 2']),
    },
  },
  Skills: {
    names: ['Billing', 'Sales', 'Tech Support', 'VIP', 'Returns, Refunds'],
    elements: {
      Name: (_n, pick) => pick(['Billing', 'Sales', 'Tech Support', 'VIP']),
      Description: (_n, pick) => pick(['Handles invoices, refunds and "urgent" cases', 'Pre-sales questions\nand upgrades', 'Escalations']),
      'Max wait time': (n) => String(30 + (n % 10) * 30),
      'Transfer to skill': (_n, pick) => pick(['Tech Support', 'Billing', '']),
    },
  },
  'Agent Groups': {
    names: ['Main Group', 'Night shift', 'Tier 2', 'EMEA'],
    elements: {
      Name: (_n, pick) => pick(['Main Group', 'Night shift', 'Tier 2']),
      'Parent group': (_n, pick) => pick(['Main Group', 'EMEA']),
      Enabled: (n) => (n % 2 ? 'true' : 'false'),
    },
  },
  Profiles: {
    names: ['Agent', 'Agent Manager', 'Administrator', 'Campaign Manager'],
    elements: {
      Permissions: (_n, pick) => pick(['View reports', 'Edit skills, users', 'Transfer to agent']),
      Description: (n) => `Profile revision ${n % 13}`,
    },
  },
  LOBs: {
    names: ['Retail', 'Insurance', 'Telecom'],
    elements: { Name: (_n, pick) => pick(['Retail', 'Insurance', 'Telecom']), Description: (n) => `Line of business ${n % 5}` },
  },
  'Automatic Messages': {
    names: ['Welcome', 'Agent away', 'Queue position'],
    elements: {
      Text: (_n, pick) => pick(['Hi! How can I help?', 'Please hold, "an agent" is coming', 'You are number {position} in line']),
      Enabled: (n) => (n % 2 ? 'true' : 'false'),
    },
  },
  'Predefined Content': {
    names: ['Greeting', 'Closing', 'Refund policy'],
    elements: {
      Text: (_n, pick) =>
        pick(['Hello, my name is {agentName}.', 'Thanks for contacting us!', 'Refunds take 5-7 days,\nexcluding weekends.']),
      Categories: (_n, pick) => pick(['General', 'Billing']),
    },
  },
  'Working Hours': {
    names: ['Default schedule', 'Holiday schedule'],
    elements: {
      Monday: (n) => `0${8 + (n % 2)}:00-17:00`,
      Friday: (n) => `0${8 + (n % 2)}:00-15:00`,
      'Time zone': (_n, pick) => pick(['America/New_York', 'Europe/Berlin']),
    },
  },
  'Special Occasions': {
    names: ['Christmas', 'New Year'],
    elements: { Date: (n) => `2026-12-${24 + (n % 3)}`, 'Open hours': () => 'Closed' },
  },
  Surveys: {
    names: ['Post-chat CSAT', 'Pre-chat'],
    elements: {
      Question: (_n, pick) => pick(['How satisfied were you?', 'What is your order number?']),
      Mandatory: (n) => (n % 2 ? 'true' : 'false'),
    },
  },
  'Account Settings': {
    names: ['Account settings'],
    elements: { 'Session timeout': (n) => String(15 + (n % 4) * 15), 'Masking rules': () => 'Credit cards, SSN' },
  },
};

const TYPES = Object.keys(ELEMENTS) as ObjectTypeName[];
// Users and skills change most, as in a real contact center.
const TYPE_WEIGHTS: readonly ObjectTypeName[] = [...TYPES, 'Users', 'Users', 'Users', 'Skills', 'Skills', 'Agent Groups', 'Profiles'];

const DAY = 86_400_000;

export function generateRecords(options: GenerateOptions): SimRecord[] {
  const next = random(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const start = Date.parse(`${options.from}T00:00:00Z`);
  const out: SimRecord[] = [];
  const unknownTotal = options.unknownTypes ?? 0;
  let unknownLeft = unknownTotal;
  let n = 0;
  for (let day = 0; day < options.days; day++) {
    const dayStart = start + day * DAY;
    const dayRows: SimRecord[] = [];
    // Unknown-type rows spread evenly over the days, counted within the day's rows.
    const unknownToday = Math.min(unknownLeft, Math.ceil(unknownLeft / (options.days - day)), options.rowsPerDay);
    unknownLeft -= unknownToday;
    while (dayRows.length < options.rowsPerDay - unknownToday) {
      const admin = pick(ADMINS);
      const type = pick(TYPE_WEIGHTS);
      const spec = ELEMENTS[type];
      const objectIndex = Math.floor(next() * 40);
      const objectId = String(2_000_000_000 + TYPES.indexOf(type) * 1_000_000 + objectIndex);
      const objectName = `${pick(spec.names)}${objectIndex > 5 ? ` ${objectIndex}` : ''}`;
      const roll = next();
      const actionType: ActionType = roll < 0.15 ? 'Add new' : roll < 0.22 ? 'Delete' : 'Edit';
      const names = Object.keys(spec.elements);
      const count =
        actionType === 'Delete' ? 1 : actionType === 'Add new' ? names.length : 1 + Math.floor(next() * Math.min(3, names.length));
      // Office hours, US East: 13:00–23:00 UTC; whole seconds, as the export shows them.
      const at = dayStart + 13 * 3_600_000 + Math.floor(next() * 10 * 3_600) * 1000;
      const occurredAt = new Date(at).toISOString();
      const offset = Math.floor(next() * names.length);
      for (let k = 0; k < count && dayRows.length < options.rowsPerDay - unknownToday; k++) {
        const element = names[(offset + k) % names.length]!;
        const valueOf = spec.elements[element]!;
        n++;
        const row: SimRecord = {
          objectType: type,
          objectId,
          objectName,
          actionType,
          element,
          oldValue: actionType === 'Add new' ? '' : valueOf(n, pick),
          newValue: actionType === 'Delete' ? '' : valueOf(n + 1, pick),
          occurredAt,
          ...admin,
        };
        dayRows.push(row);
        // About one row in 200 is logged twice, identically (same instant, same everything).
        if (next() < 0.005 && dayRows.length < options.rowsPerDay - unknownToday) dayRows.push({ ...row });
      }
    }
    for (let u = 0; u < unknownToday; u++) {
      const at = dayStart + 14 * 3_600_000 + Math.floor(next() * 8 * 3_600) * 1000;
      dayRows.push({
        objectType: UNKNOWN_OBJECT_TYPES[u % UNKNOWN_OBJECT_TYPES.length]!,
        objectId: String(9_000_000_000 + day * 100 + u),
        objectName: `Form ${u + 1}`,
        actionType: 'Edit',
        element: 'Fields',
        oldValue: 'name',
        newValue: 'name, email',
        occurredAt: new Date(at).toISOString(),
        ...ADMINS[0],
      });
    }
    // ISO instants of one format sort as strings; sort is stable, so identical rows stay adjacent.
    dayRows.sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
    for (const row of dayRows) out.push(row);
  }
  return out;
}
