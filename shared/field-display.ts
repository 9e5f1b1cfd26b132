// How the values of known fields read: the unit of a number, the labels of an enum's codes,
// and which fields hold references (stored "Name (id)", the id kept one click away).
// Keyed by object type and element label (the name the audit rows carry). One module, no
// imports but the vocabulary: the Worker's object catalog attaches these facts to its fields
// (so they are stated once), the extension formats values with them.
import type { ObjectType } from './vocabulary';

/** A number's unit: seconds and minutes are read as durations ("1 h 30 min"). */
export type DurationUnit = 'seconds' | 'minutes';

export type FieldDisplay =
  | { kind: 'duration'; unit: DurationUnit }
  /** Codes (as stored: "1") to labels. */
  | { kind: 'enum'; labels: Readonly<Record<string, string>> }
  /** The id of another object, stored as "Name (id)" when its name was known. */
  | { kind: 'ref' };

const seconds: FieldDisplay = { kind: 'duration', unit: 'seconds' };
const minutes: FieldDisplay = { kind: 'duration', unit: 'minutes' };
const ref: FieldDisplay = { kind: 'ref' };

// LivePerson's Users API: userTypeId 1 is a person, 2 a bot (scripts/liveperson-sim makes both).
const USER_TYPES = { '1': 'Human', '2': 'Bot' } as const;
// LivePerson's Profiles API: the role a profile grants.
const ROLE_TYPES = { '1': 'Agent', '2': 'Agent Manager', '3': 'Campaign Manager', '4': 'Admin' } as const;

const SKILLS = { Skills: ref };
const LOBS = { LoBs: ref };

export const FIELD_DISPLAY: Readonly<Partial<Record<ObjectType, Readonly<Record<string, FieldDisplay>>>>> = {
  user: {
    'User type': { kind: 'enum', labels: USER_TYPES },
    ...SKILLS,
    Profiles: ref,
    ...LOBS,
    'Member of': ref,
    'Manager of': ref,
  },
  skill: {
    'Max wait time': seconds,
    'Wrap-up time': seconds,
    'SLA default response time': seconds,
    'SLA urgent response time': seconds,
    'SLA first-time response time': seconds,
    'Transfer to agent max wait (seconds)': seconds,
    'Auto close (seconds)': seconds,
    'Agent survey timeout (minutes)': minutes,
    'Transfer to skills': ref,
    ...LOBS,
    'Working hours': ref,
    'Fallback skill': ref,
    'Agent survey': ref,
  },
  agentGroup: { 'Parent group': ref },
  profile: { Role: { kind: 'enum', labels: ROLE_TYPES } },
  postConversationSurvey: { ...SKILLS, 'Survey timeout (minutes)': minutes },
  predefinedContent: { Categories: ref, ...SKILLS, ...LOBS },
  agentSurvey: { ...SKILLS },
  automaticMessage: { ...SKILLS },
};

/** The display facts of one element of an object type, if any are known (labels compare case-insensitively). */
export function fieldDisplay(objectType: ObjectType, element: string): FieldDisplay | undefined {
  const fields = FIELD_DISPLAY[objectType];
  if (!fields) return undefined;
  if (Object.hasOwn(fields, element)) return fields[element];
  const name = element.trim().toLowerCase();
  const key = Object.keys(fields).find((label) => label.toLowerCase() === name);
  return key === undefined ? undefined : fields[key];
}

const DURATION_PARTS = [
  ['h', 3600],
  ['min', 60],
  ['s', 1],
] as const;

/** 3600 → "1 h", 1800 → "30 min", 5400 → "1 h 30 min", 45 → "45 s", 0 → "0 s"; fractions of a second are kept ("1.5 s"). */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds)) return String(totalSeconds);
  const sign = totalSeconds < 0 ? '−' : '';
  let rest = Math.abs(totalSeconds);
  const parts: string[] = [];
  for (const [unit, size] of DURATION_PARTS) {
    const whole = unit === 's' ? Math.round(rest * 1000) / 1000 : Math.floor(rest / size);
    if (whole > 0) parts.push(`${whole} ${unit}`);
    rest -= unit === 's' ? rest : whole * size;
  }
  return sign + (parts.join(' ') || '0 s');
}

/** "Name (1234567890)" → name and id; anything else is a bare id (no name was known when it was recorded). */
export function splitReference(text: string): { name: string | null; id: string } {
  const match = /^(.*\S) \(([^()\s]+)\)$/s.exec(text);
  return match ? { name: match[1]!, id: match[2]! } : { name: null, id: text };
}

/** Booleans as the admin reads them. */
export const BOOLEAN_LABELS: Readonly<Record<string, string>> = { true: 'Yes', false: 'No' };

/**
 * One stored scalar as people read it: yes/no, a duration with its unit, an enum's label, a
 * reference's name without its id. The stored text when nothing is known about it (or the
 * value is not what the field should hold): never a guess.
 */
export function readableValue(objectType: ObjectType, element: string, valueType: string, value: string): string {
  if (valueType === 'boolean' && Object.hasOwn(BOOLEAN_LABELS, value)) return BOOLEAN_LABELS[value]!;
  const display = fieldDisplay(objectType, element);
  if (!display) return value;
  switch (display.kind) {
    case 'duration': {
      const amount = value.trim() === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(amount)) return value;
      return formatDuration(display.unit === 'minutes' ? amount * 60 : amount);
    }
    case 'enum':
      return Object.hasOwn(display.labels, value) ? display.labels[value]! : value;
    case 'ref':
      return splitReference(value).name ?? value;
  }
}
