// The JSON side of the Audit Trail API: `POST …/configuration/metadata/audit` with
// `{"query":"{auditData(fromDate: \"…\", toDate: \"…\", first: 100, offset: 0) { objectType … }}"}`.
// A small subset of the GraphQL syntax: one field `auditData`, scalar/list arguments, a flat
// selection. Records carry the originator's user id and, as documented, no object id.
import type { StoredRecord } from './records';
import { BadParameter } from './time';

export const QUERY_FIELDS = [
  'objectType',
  'objectName',
  'actionType',
  'element',
  'oldValue',
  'newValue',
  'dateTime',
  'originator',
  'originatorId',
  'originatorEmployeeId',
  'originatorProfiles',
] as const;
export type QueryField = (typeof QUERY_FIELDS)[number];

export type ArgValue = string | number | boolean | ArgValue[];

export interface AuditQuery {
  args: Record<string, ArgValue>;
  fields: QueryField[];
}

type Token = { kind: 'punct' | 'name' | 'string' | 'number'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|#[^\n]*|([{}():,[\]])|([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\\n]|\\.)*")|(-?\d+(?:\.\d+)?)/gy;
  let match: RegExpExecArray | null;
  let last = 0;
  while (last < source.length && (match = pattern.exec(source))) {
    last = pattern.lastIndex;
    if (match[1]) tokens.push({ kind: 'punct', value: match[1] });
    else if (match[2]) tokens.push({ kind: 'name', value: match[2] });
    else if (match[3]) tokens.push({ kind: 'string', value: JSON.parse(match[3]) as string });
    else if (match[4]) tokens.push({ kind: 'number', value: match[4] });
  }
  if (last < source.length) throw new BadParameter('query', `Syntax Error: unexpected character at ${last}`);
  return tokens;
}

/** Parses `[query [Name]] { auditData(args) { fields } }`. */
export function parseAuditQuery(source: unknown): AuditQuery {
  if (typeof source !== 'string') throw new BadParameter('query', 'body must be {"query": "<GraphQL query>"}');
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const expect = (value: string) => {
    const token = tokens[i++];
    if (token?.value !== value || (token.kind !== 'punct' && token.kind !== 'name'))
      throw new BadParameter('query', `Syntax Error: expected "${value}", found ${token ? `"${token.value}"` : 'end of query'}`);
  };
  const value = (): ArgValue => {
    const token = tokens[i++];
    if (!token) throw new BadParameter('query', 'Syntax Error: unexpected end of query');
    if (token.kind === 'string') return token.value;
    if (token.kind === 'number') return Number(token.value);
    if (token.kind === 'name' && (token.value === 'true' || token.value === 'false')) return token.value === 'true';
    if (token.kind === 'punct' && token.value === '[') {
      const list: ArgValue[] = [];
      while (peek()?.value !== ']') {
        list.push(value());
        if (peek()?.value === ',') i++;
      }
      i++;
      return list;
    }
    throw new BadParameter('query', `Syntax Error: unexpected "${token.value}"`);
  };

  if (peek()?.kind === 'name' && peek()?.value === 'query') {
    i++;
    if (peek()?.kind === 'name') i++;
  }
  expect('{');
  const root = tokens[i++];
  if (root?.kind !== 'name' || root.value !== 'auditData')
    throw new BadParameter('query', `Cannot query field "${root?.value ?? ''}" on type "Query"; the field is auditData`);
  const args: Record<string, ArgValue> = {};
  if (peek()?.value === '(') {
    i++;
    while (peek()?.value !== ')') {
      const name = tokens[i++];
      if (name?.kind !== 'name') throw new BadParameter('query', 'Syntax Error: expected an argument name');
      expect(':');
      args[name.value] = value();
      if (peek()?.value === ',') i++;
    }
    i++;
  }
  expect('{');
  const fields: QueryField[] = [];
  while (peek() && peek()!.value !== '}') {
    const field = tokens[i++]!;
    if (field.kind !== 'name' || !(QUERY_FIELDS as readonly string[]).includes(field.value)) {
      throw new BadParameter('query', `Cannot query field "${field.value}" on type "AuditRecord"`);
    }
    fields.push(field.value as QueryField);
    if (peek()?.value === ',') i++;
  }
  expect('}');
  expect('}');
  if (i !== tokens.length) throw new BadParameter('query', 'Syntax Error: unexpected text after the query');
  if (fields.length === 0) throw new BadParameter('query', 'auditData needs a selection of fields');
  return { args, fields };
}

export function selectFields(
  record: StoredRecord,
  fields: readonly QueryField[],
  wallTime: (epochMs: number) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) out[field] = field === 'dateTime' ? wallTime(record.at) : record[field];
  return out;
}
