// Turns a change into audit rows: from two snapshots of an object (one row per changed
// element, named and shown as the object catalog says), or from the elements a client listed
// itself. Pure functions: no I/O, so names of referenced objects come in through `nameOf`.
// Each takes the object's spec from the catalog (`objectSpec`, resolved once per change by
// the caller), so every field fact comes from that one place.
//
// Snapshots are client JSON. They are only ever read through Object.entries / own-property
// checks and never copied onto plain objects, so keys like "__proto__" stay plain data.
import type { Action, ObjectType, ValueType } from '../../shared/vocabulary';
import { fieldFor, inferKind, isSecretElement, type FieldSpec, type ObjectSpec } from './object-catalog';
import { LIMITS } from './limits';
import { isSecretName, isSecretPair, PAIR_VALUE_KEYS } from './secret-fields';
import { truncate } from './truncate';

export type Snapshot = Record<string, unknown>; // a JSON object as parsed by JSON.parse
export interface DerivedElement {
  element: string;
  valueType: ValueType;
  oldValue: string | null;
  newValue: string | null;
  redacted: boolean;
}
export interface ObjectRef {
  objectType: ObjectType;
  objectId: string;
}
export type NameOf = (ref: ObjectRef) => string | undefined;
export interface ElementInput {
  element: string;
  oldValue?: unknown;
  newValue?: unknown;
  redacted?: boolean;
}

// Snapshot keys, names and values are not checked like client-given elements are: derived
// ones are cut to the same limits. Deeper nesting than LIMITS.jsonDepth is not audit data;
// stopping there keeps a hostile body from overflowing the stack.

/** Every other object that the snapshots reference by id (so the caller can look names up). */
export function referencedObjects(spec: ObjectSpec, before?: Snapshot, after?: Snapshot): ObjectRef[] {
  const seen = new Set<string>();
  const refs: ObjectRef[] = [];
  const snapshots = [fieldsOf(before), fieldsOf(after)];
  for (const field of spec.fields) {
    if (!field.refType || (field.kind !== 'ref' && field.kind !== 'refList')) continue;
    for (const snapshot of snapshots) {
      const value = snapshot.get(field.key);
      const ids = field.kind === 'ref' ? [refId(value, field.idKey)] : refIds(value, field.idKey);
      for (const id of ids) {
        if (id === null || seen.has(`${field.refType}\u0000${id}`)) continue;
        seen.add(`${field.refType}\u0000${id}`);
        refs.push({ objectType: field.refType, objectId: id });
      }
    }
  }
  return refs;
}

/** One row per changed element, in catalog order (unknown fields after, in key order). */
export function diffSnapshots(
  spec: ObjectSpec,
  action: Action,
  before: Snapshot | undefined,
  after: Snapshot | undefined,
  nameOf: NameOf,
): DerivedElement[] {
  // An add has nothing before it and a delete nothing after, whatever the client sent: then
  // "changed" means "set", with the same rules as an edit.
  const old = action === 'add' ? new Map<string, unknown>() : fieldsOf(before);
  const current = action === 'delete' ? new Map<string, unknown>() : fieldsOf(after);

  const catalogKeys = spec.fields.map((field) => field.key);
  const known = new Set(catalogKeys);
  // Sorted rather than in arrival order, so the same change always yields the same rows.
  const unknownKeys = [...new Set([...old.keys(), ...current.keys()])].filter((key) => !known.has(key)).sort(byCodeUnits);

  const rows: DerivedElement[] = [];
  for (const key of [...catalogKeys, ...unknownKeys]) {
    const oldValue = old.get(key);
    const newValue = current.get(key);
    const field = fieldFor(spec, key, [oldValue, newValue]);
    const row = diffField({ ...field, label: truncate(field.label, LIMITS.elementNameChars, '…') }, oldValue, newValue, nameOf);
    if (row) rows.push(row);
  }
  return rows;
}

/** The object's display name from a snapshot (after preferred, then before), if it has one. */
export function snapshotName(spec: ObjectSpec, before?: Snapshot, after?: Snapshot): string | undefined {
  for (const snapshot of [after, before]) {
    for (const path of spec.nameFields) {
      const value = valueAtPath(snapshot, path);
      const name = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
      if (name) return truncate(name, LIMITS.objectNameChars, '…');
    }
  }
  return undefined;
}

/** Normalizes client-given explicit elements into stored rows with the same rules. */
export function normalizeElements(spec: ObjectSpec, elements: ElementInput[]): DerivedElement[] {
  return elements.map(({ element: rawName, oldValue, newValue, redacted }) => {
    const element = rawName.trim();
    if (redacted === true || isSecretElement(spec, element)) return redactedRow(element);
    // The client said this element changed, so equal values still make a row.
    if (Array.isArray(oldValue) || Array.isArray(newValue)) {
      const { removed, added } = multisetDiff(asList(oldValue), asList(newValue), itemKey);
      return listRow(element, removed.map(itemDisplay), added.map(itemDisplay));
    }
    if (isObject(oldValue) || isObject(newValue)) return jsonRow(element, oldValue, newValue);
    return scalarRow(element, oldValue, newValue);
  });
}

// ---- one field ----

function diffField(field: FieldSpec, oldValue: unknown, newValue: unknown, nameOf: NameOf): DerivedElement | undefined {
  const { label } = field;
  switch (field.kind) {
    case 'ignore':
      return undefined;
    case 'secret':
      return rawKey(oldValue) === rawKey(newValue) ? undefined : redactedRow(label);
    case 'ref': {
      const oldId = refId(oldValue, field.idKey);
      const newId = refId(newValue, field.idKey);
      if (oldId === newId) return undefined;
      const show = (id: string | null) => (id === null ? null : refDisplay(field, id, nameOf));
      return row(label, 'text', show(oldId), show(newId));
    }
    case 'refList': {
      const { removed, added } = multisetDiff(refIds(oldValue, field.idKey), refIds(newValue, field.idKey), String);
      if (removed.length === 0 && added.length === 0) return undefined;
      const show = (id: string) => refDisplay(field, id, nameOf);
      return listRow(label, removed.map(show), added.map(show));
    }
    case 'list': {
      const { removed, added } = multisetDiff(asList(oldValue), asList(newValue), itemKey);
      if (removed.length > 0 || added.length > 0) return listRow(label, removed.map(itemDisplay), added.map(itemDisplay));
      // Only a secret nested in some item changed: say so without showing it.
      return rawKey(asList(oldValue)) === rawKey(asList(newValue)) ? undefined : redactedRow(label);
    }
    case 'json':
      if (shownKey(oldValue) !== shownKey(newValue)) return jsonRow(label, oldValue, newValue);
      return rawKey(oldValue) === rawKey(newValue) ? undefined : redactedRow(label);
    default: {
      // A scalar field that holds a structure after all is compared as one.
      const structured = Array.isArray(oldValue) || Array.isArray(newValue) || isObject(oldValue) || isObject(newValue);
      if (structured) return diffField({ ...field, kind: inferKind([oldValue, newValue]) }, oldValue, newValue, nameOf);
      return sameScalar(oldValue, newValue) ? undefined : scalarRow(label, oldValue, newValue);
    }
  }
}

function refDisplay(field: FieldSpec, id: string, nameOf: NameOf): string {
  const name = field.refType ? nameOf({ objectType: field.refType, objectId: id }) : undefined;
  return name ? `${name} (${id})` : id;
}

// ---- rows ----

function row(element: string, valueType: ValueType, oldValue: string | null, newValue: string | null): DerivedElement {
  return { element, valueType, oldValue: bounded(oldValue), newValue: bounded(newValue), redacted: false };
}

function redactedRow(element: string): DerivedElement {
  return { element, valueType: 'text', oldValue: null, newValue: null, redacted: true };
}

function listRow(element: string, removed: string[], added: string[]): DerivedElement {
  return row(element, 'list', JSON.stringify(removed), JSON.stringify(added));
}

function jsonRow(element: string, oldValue: unknown, newValue: unknown): DerivedElement {
  const show = (value: unknown) => (isUnset(value) ? null : comparableJson(value, { stripSecrets: true, sortArrays: false }));
  return row(element, 'json', show(oldValue), show(newValue));
}

function scalarRow(element: string, oldValue: unknown, newValue: unknown): DerivedElement {
  // When the sides disagree on type, the new value's type wins; a missing side borrows the other's.
  const valueType = scalarType(isUnset(newValue) ? oldValue : newValue);
  return row(element, valueType, scalarText(oldValue), scalarText(newValue));
}

function scalarType(value: unknown): ValueType {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'text';
}

function scalarText(value: unknown): string | null {
  if (isUnset(value)) return null;
  return typeof value === 'string' ? value : String(value);
}

function sameScalar(a: unknown, b: unknown): boolean {
  // 5 and "5" differ: the type of a value is part of it.
  return isUnset(a) ? isUnset(b) : a === b;
}

/** Cuts a stored value to LIMITS.valueChars, saying so at its end. */
function bounded(value: string | null): string | null {
  return value === null ? null : truncate(value, LIMITS.valueChars);
}

// ---- values ----

function fieldsOf(snapshot: Snapshot | undefined): Map<string, unknown> {
  return isObject(snapshot) ? new Map(Object.entries(snapshot)) : new Map();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUnset(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function valueAtPath(snapshot: unknown, path: string): unknown {
  let value = snapshot;
  for (const step of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(step)) value = value[Number(step)];
    else if (isObject(value)) value = ownValue(value, step);
    else return undefined;
  }
  return value;
}

/** A missing value or null is an empty list; a lone value is a list of one. */
function asList(value: unknown): unknown[] {
  if (isUnset(value)) return [];
  return Array.isArray(value) ? value : [value];
}

/** The id a reference holds: the value itself, or the id inside an object ({agentGroupId: 12}). */
function refId(value: unknown, idKey = 'id'): string | null {
  const id = isObject(value) ? ownValue(value, idKey) : value;
  if (isUnset(id) || typeof id === 'object') return null;
  return String(id);
}

function refIds(value: unknown, idKey?: string): string[] {
  return asList(value)
    .map((item) => refId(item, idKey))
    .filter((id): id is string => id !== null);
}

/** Removed: items of `before` that `after` lacks; added: the reverse. Duplicates count. */
function multisetDiff<T>(before: T[], after: T[], keyOf: (item: T) => string): { removed: T[]; added: T[] } {
  const missingFrom = (items: T[], others: T[]) => {
    const available = new Map<string, number>();
    for (const other of others) available.set(keyOf(other), (available.get(keyOf(other)) ?? 0) + 1);
    return items.filter((item) => {
      const left = available.get(keyOf(item)) ?? 0;
      if (left > 0) available.set(keyOf(item), left - 1);
      return left === 0;
    });
  };
  return { removed: missingFrom(before, after), added: missingFrom(after, before) };
}

/** Identity of a list item as the reader sees it: order inside it does not matter, secrets are not there. */
function itemKey(item: unknown): string {
  return comparableJson(item, { stripSecrets: true, sortArrays: true });
}

function itemDisplay(item: unknown): string {
  if (typeof item === 'object' && item !== null) return comparableJson(item, { stripSecrets: true, sortArrays: false });
  return isUnset(item) ? 'null' : String(item);
}

/** Compares what would be shown. */
function shownKey(value: unknown): string {
  return isUnset(value) ? 'null' : comparableJson(value, { stripSecrets: true, sortArrays: true });
}

/** Compares everything, secrets included; never stored or shown. */
function rawKey(value: unknown): string {
  return isUnset(value) ? 'null' : comparableJson(value, { stripSecrets: false, sortArrays: true });
}

interface CanonicalOptions {
  stripSecrets: boolean;
  sortArrays: boolean;
}

/** JSON text with sorted keys, so equal values always read the same: the comparison key of
 *  values and list items (and, with arrays unsorted, how a JSON value is shown). Not RFC 8785,
 *  which is what hashes use (`canonicalJson` in crypto.ts). */
function comparableJson(value: unknown, options: CanonicalOptions, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return JSON.stringify(String(value));
  if (depth >= LIMITS.jsonDepth) return JSON.stringify('[nested too deep]');

  if (Array.isArray(value)) {
    const items = value.map((item) => comparableJson(item, options, depth + 1));
    if (options.sortArrays) items.sort(byCodeUnits);
    return `[${items.join(',')}]`;
  }
  // A name/value pair naming a secret ({name: "password", value: "…"}) keeps its name only.
  const secretPair = options.stripSecrets && isSecretPair(value as Record<string, unknown>);
  const members = Object.entries(value)
    .filter(
      ([key, member]) => member !== undefined && !(options.stripSecrets && (isSecretName(key) || (secretPair && PAIR_VALUE_KEYS.has(key)))),
    )
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([key, member]) => `${JSON.stringify(key)}:${comparableJson(member, options, depth + 1)}`);
  return `{${members.join(',')}}`;
}

// Locale-independent, so every runtime sorts the same way.
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
