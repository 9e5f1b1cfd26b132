// Realistic audit data for the benchmarks: a contact-center account with ~20k objects over
// the 11 object types, element names as the Worker's object catalog labels them, many
// originators (a few very active admins, a long tail), changes of 1–6 elements.
import type { ObjectType } from '../../../shared/vocabulary';
import { rng, zipfCdf } from './stats';

type Kind = 'text' | 'number' | 'boolean' | 'list' | 'secret';
interface ElementSpec {
  name: string;
  kind: Kind;
  /** Relative frequency among the type's edits. */
  weight: number;
}
interface TypeSpec {
  type: ObjectType;
  /** How many objects of this type the account has. */
  objects: number;
  /** Share of all events. */
  share: number;
  elements: ElementSpec[];
}

const e = (name: string, kind: Kind, weight = 1): ElementSpec => ({ name, kind, weight });

export const TYPES: TypeSpec[] = [
  {
    type: 'user',
    objects: 6000,
    share: 0.3,
    elements: [
      e('Skills', 'list', 6),
      e('Member of', 'text', 4),
      e('Profiles', 'list', 2),
      e('Max chats', 'number', 3),
      e('Enabled', 'boolean', 2),
      e('Password', 'secret', 2),
      e('Email', 'text', 1),
      e('Nickname', 'text', 1),
      e('Name', 'text', 1),
      e('Login name', 'text', 0.5),
      e('Manager of', 'list', 1),
      e('LoBs', 'list', 1),
      e('Max async chats', 'number', 1),
      e('Permission groups', 'list', 0.5),
    ],
  },
  {
    type: 'skill',
    objects: 1200,
    share: 0.14,
    elements: [
      e('Name', 'text', 1),
      e('Description', 'text', 1),
      e('Max wait time', 'number', 2),
      e('Transfer to skills', 'list', 2),
      e('Working hours', 'text', 1),
      e('Fallback skill', 'text', 1),
      e('Wrap-up time', 'number', 1),
      e('LoBs', 'list', 1),
      e('SLA default response time', 'number', 1),
      e('Can transfer', 'boolean', 1),
    ],
  },
  {
    type: 'agentGroup',
    objects: 300,
    share: 0.06,
    elements: [e('Name', 'text', 2), e('Description', 'text', 1), e('Parent group', 'text', 2), e('Enabled', 'boolean', 1)],
  },
  {
    type: 'profile',
    objects: 120,
    share: 0.04,
    elements: [e('Name', 'text'), e('Permissions', 'list', 4), e('Permission packages', 'list', 1), e('Role', 'number', 0.5)],
  },
  { type: 'lob', objects: 80, share: 0.03, elements: [e('Name', 'text', 2), e('Description', 'text', 1)] },
  {
    type: 'postConversationSurvey',
    objects: 250,
    share: 0.05,
    elements: [
      e('Name', 'text'),
      e('Enabled', 'boolean', 2),
      e('Skills', 'list', 2),
      e('Questions', 'list', 2),
      e('Survey timeout (minutes)', 'number'),
    ],
  },
  {
    type: 'campaignSchedule',
    objects: 400,
    share: 0.06,
    elements: [
      e('Name', 'text'),
      e('Time frames', 'list', 3),
      e('Start date', 'text', 1),
      e('End date', 'text', 1),
      e('Time zone', 'text', 0.5),
    ],
  },
  { type: 'workingHours', objects: 150, share: 0.04, elements: [e('Name', 'text'), e('Hours', 'list', 4), e('Default', 'boolean', 0.5)] },
  {
    type: 'predefinedContent',
    objects: 9000,
    share: 0.18,
    elements: [
      e('Text', 'list', 5),
      e('Enabled', 'boolean', 1),
      e('Categories', 'list', 2),
      e('Skills', 'list', 1),
      e('Hot key', 'text', 0.5),
    ],
  },
  { type: 'contentCategory', objects: 1500, share: 0.05, elements: [e('Name', 'text', 3), e('Type', 'text', 1)] },
  {
    type: 'agentSurvey',
    objects: 1000,
    share: 0.05,
    elements: [
      e('Name', 'text'),
      e('Enabled', 'boolean', 2),
      e('Mandatory', 'boolean', 1),
      e('Skills', 'list', 2),
      e('Questions', 'list', 2),
    ],
  },
];

const FIRST = [
  'Amy',
  'Ben',
  'Chloé',
  'Dmitri',
  'Eva',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Marta',
  'Noah',
  'Olga',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zoe',
];
const LAST = [
  'Adler',
  'Brooks',
  'Castillo',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hoffmann',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Urban',
  'Vargas',
  'Weber',
  'Young',
  'Zimmer',
];
const TOPICS = [
  'Sales',
  'Billing',
  'Support',
  'Retention',
  'Onboarding',
  'Claims',
  'Roaming',
  'Upgrades',
  'Refunds',
  'VIP',
  'Fraud',
  'Shipping',
  'Returns',
  'Loyalty',
  'Tech',
  'Mortgages',
];
const LANGS = ['EN', 'DE', 'FR', 'ES', 'IT', 'NL', 'PT', 'JA'];
const TIERS = ['Tier 1', 'Tier 2', 'Tier 3', 'Night shift', 'Weekend', 'Escalations', 'Team Lead', 'Trainees'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface Originator {
  id: string;
  name: string;
}

export interface DataModel {
  originators: Originator[];
  originatorCdf: Float64Array;
  typeCdf: Float64Array;
  /** Per type: cumulative element weights, and a Zipf over its objects (some objects change a lot). */
  elementCdf: Float64Array[];
  objectCdf: Float64Array[];
  objectName(type: number, index: number): string;
  objectId(type: number, index: number): string;
}

export function dataModel(originatorCount = 400): DataModel {
  const originators = Array.from({ length: originatorCount }, (_, i) => ({
    id: String(1000 + i),
    name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= FIRST.length * LAST.length ? ' ' + i : ''}`,
  }));
  let total = 0;
  const typeCdf = Float64Array.from(TYPES.map((t) => (total += t.share)));
  const elementCdf = TYPES.map((t) => {
    let sum = 0;
    return Float64Array.from(t.elements.map((el) => (sum += el.weight)));
  });
  const objectCdf = TYPES.map((t) => zipfCdf(t.objects, 0.8));
  const objectName = (type: number, i: number): string => {
    const t = TYPES[type]!.type;
    switch (t) {
      case 'user':
        return `${FIRST[i % 25]} ${LAST[Math.floor(i / 25) % 25]} ${Math.floor(i / 625) || ''}`.trim();
      case 'skill':
        return `${TOPICS[i % 16]} ${LANGS[Math.floor(i / 16) % 8]} ${Math.floor(i / 128) + 1}`;
      case 'agentGroup':
        return `${TOPICS[i % 16]} ${TIERS[Math.floor(i / 16) % 8]} ${Math.floor(i / 128) + 1}`;
      case 'profile':
        return `${['Agent', 'Agent Manager', 'Campaign Manager', 'Admin'][i % 4]} ${TOPICS[Math.floor(i / 4) % 16]} ${Math.floor(i / 64) + 1}`;
      case 'lob':
        return `${TOPICS[i % 16]} ${LANGS[Math.floor(i / 16) % 8]}`;
      case 'postConversationSurvey':
        return `CSAT ${TOPICS[i % 16]} ${LANGS[Math.floor(i / 16) % 8]} v${Math.floor(i / 128) + 1}`;
      case 'campaignSchedule':
        return `${TOPICS[i % 16]} campaign ${2025 + (i % 2)}-${String((i % 12) + 1).padStart(2, '0')} #${i}`;
      case 'workingHours':
        return `${TOPICS[i % 16]} hours ${LANGS[Math.floor(i / 16) % 8]} ${Math.floor(i / 128) + 1}`;
      case 'predefinedContent':
        return `${['Greeting', 'Closing', 'Hold', 'Transfer', 'Apology', 'Follow-up'][i % 6]}: ${TOPICS[Math.floor(i / 6) % 16]} #${i}`;
      case 'contentCategory':
        return `${TOPICS[i % 16]} / ${['Greetings', 'Closings', 'Policies', 'FAQ'][Math.floor(i / 16) % 4]} ${Math.floor(i / 64) + 1}`;
      case 'agentSurvey':
        return `Wrap-up ${TOPICS[i % 16]} ${Math.floor(i / 16) + 1}`;
      case 'automaticMessage':
        return `${['Greeting', 'Away', 'Transfer', 'Queue'][i % 4]} ${TOPICS[Math.floor(i / 4) % 16]} #${i}`;
      case 'specialOccasion':
        return `${['Holidays', 'Closure', 'Inventory'][i % 3]} ${2025 + (i % 2)} #${i}`;
    }
  };
  const objectId = (type: number, i: number) => String((type + 1) * 1_000_000 + i * 7 + 11);
  return { originators, originatorCdf: zipfCdf(originatorCount, 1.1), typeCdf, elementCdf, objectCdf, objectName, objectId };
}

export interface GeneratedElement {
  element: string;
  kind: Kind;
  /** As the client sends them (lists are full lists; secrets are plain strings). */
  oldValue: unknown;
  newValue: unknown;
}

export interface GeneratedChange {
  objectType: ObjectType;
  typeIndex: number;
  objectId: string;
  objectName: string;
  action: 'add' | 'edit' | 'delete';
  originator: Originator;
  elements: GeneratedElement[];
}

/** Generates changes; each has 1–6 elements (mean ≈ 1.8), edits mostly. */
export function changeGenerator(model: DataModel, seed: number) {
  const r = rng(seed);
  const listPool = (name: string): string[] => {
    if (name === 'Skills' || name === 'Transfer to skills') return TOPICS.flatMap((t) => LANGS.slice(0, 3).map((l) => `${t} ${l}`));
    if (name === 'LoBs') return TOPICS;
    if (name === 'Text')
      return [
        'Hello, how can I help?',
        'Thanks for waiting.',
        'Is there anything else?',
        'Have a great day!',
        'Let me check that for you.',
        'I am transferring you now.',
      ];
    if (name === 'Hours' || name === 'Time frames')
      return DAYS.flatMap((d) => ['08:00-16:00', '09:00-17:00', '10:00-18:00'].map((h) => `${d} ${h}`));
    if (name === 'Questions')
      return ['How satisfied were you?', 'Was your issue resolved?', 'Would you recommend us?', 'Any comments?', 'Rate the agent'];
    return [...TIERS, ...TOPICS.map((t) => `${t} access`)];
  };
  const someOf = (pool: string[], n: number) => {
    const out = new Set<string>();
    while (out.size < n) out.add(r.pick(pool));
    return [...out];
  };
  const value = (el: ElementSpec): [unknown, unknown] => {
    switch (el.kind) {
      case 'number': {
        const a = 1 + r.int(20);
        return [a, a + 1 + r.int(5)];
      }
      case 'boolean': {
        const a = r.next() < 0.5;
        return [a, !a];
      }
      case 'secret':
        return ['*old-secret*', '*new-secret*'];
      case 'list': {
        const pool = listPool(el.name);
        const before = someOf(pool, 1 + r.int(4));
        const after = [...before.slice(r.int(2)), ...someOf(pool, 1)];
        return [before, [...new Set(after)]];
      }
      case 'text': {
        if (el.name === 'Member of' || el.name === 'Parent group') {
          const a = model.objectName(2, r.int(300));
          return [a, model.objectName(2, r.int(300))];
        }
        if (el.name === 'Email') return [`agent${r.int(9000)}@example.com`, `agent${r.int(9000)}@example.com`];
        if (el.name === 'Working hours') return [model.objectName(7, r.int(150)), model.objectName(7, r.int(150))];
        if (el.name === 'Fallback skill') return [model.objectName(1, r.int(1200)), model.objectName(1, r.int(1200))];
        if (el.name.endsWith('date')) return [`2026-0${1 + r.int(9)}-1${r.int(10)}`, `2026-1${r.int(3)}-0${1 + r.int(9)}`];
        const topic = r.pick(TOPICS);
        return [`${topic} ${r.pick(TIERS)}`, `${topic} ${r.pick(TIERS)} (updated)`];
      }
    }
  };
  const elementCount = () => {
    const u = r.next();
    return u < 0.6 ? 1 : u < 0.8 ? 2 : u < 0.9 ? 3 : 4 + r.int(3);
  };
  return (): GeneratedChange => {
    const typeIndex = r.zipf(model.typeCdf);
    const spec = TYPES[typeIndex]!;
    const objectIndex = r.zipf(model.objectCdf[typeIndex]!);
    const u = r.next();
    const action = u < 0.87 ? 'edit' : u < 0.95 ? 'add' : 'delete';
    const elements: GeneratedElement[] = [];
    if (action === 'delete') {
      elements.push({ element: 'Object', kind: 'text', oldValue: model.objectName(typeIndex, objectIndex), newValue: null });
    } else {
      const want = Math.min(elementCount(), spec.elements.length);
      const seen = new Set<number>();
      while (seen.size < want) seen.add(r.zipf(model.elementCdf[typeIndex]!));
      for (const i of seen) {
        const el = spec.elements[i]!;
        const [oldValue, newValue] = value(el);
        elements.push({ element: el.name, kind: el.kind, oldValue: action === 'add' ? null : oldValue, newValue });
      }
    }
    return {
      objectType: spec.type,
      typeIndex,
      objectId: model.objectId(typeIndex, objectIndex),
      objectName: model.objectName(typeIndex, objectIndex),
      action,
      originator: model.originators[r.zipf(model.originatorCdf)]!,
      elements,
    };
  };
}

/** A single change as an emitter sends it (the writes and harness benchmarks): explicit
 *  elements, no occurredAt (commit time), as JSON. */
export const emitterChange = (changeId: string, i: number) =>
  JSON.stringify({
    changeId,
    objectType: 'user',
    objectId: String(1000 + (i % 500)),
    objectName: `User ${1000 + (i % 500)}`,
    action: 'edit',
    originator: { id: '17', name: 'Provisioning script' },
    elements: [
      { element: 'Member of', oldValue: 'Tier 1', newValue: 'Tier 2' },
      { element: 'Max chats', oldValue: 3, newValue: 4 },
    ],
  });
