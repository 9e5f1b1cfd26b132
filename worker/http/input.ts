// Reading what a client sent: JSON bodies within a byte limit, query strings and path
// parameters, each checked against its zod schema. Every failure is a Problem that says
// what was wrong and where.
import type { z } from 'zod';
import { LIMITS } from '../domain/limits';
import { badRequest, issuesToErrors, Problem, tooLarge, unprocessable, type ProblemFieldError } from './problem';

/** Reads a JSON body of at most `maxBytes`, counting bytes as they arrive, so a huge or
 *  lying Content-Length never gets buffered whole. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new Problem(415, 'unsupported-media-type', 'Send the body as JSON with "Content-Type: application/json".', [
      { path: 'header.content-type', message: type ? `"${type}" is not JSON` : 'missing' },
    ]);
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw bodyTooLarge(maxBytes);
  if (!request.body) throw badRequest('The request has no body; send a JSON object.', [{ path: '/', message: 'empty body' }]);

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badRequest('The body is not valid UTF-8.', [{ path: '/', message: 'invalid UTF-8 byte sequence' }]);
  }
  if (text.trim() === '') throw badRequest('The request has no body; send a JSON object.', [{ path: '/', message: 'empty body' }]);
  if (nestingDepth(text) > MAX_DEPTH)
    throw badRequest(`The body nests objects and arrays deeper than ${MAX_DEPTH} levels.`, [
      { path: '/', message: `deeper than ${MAX_DEPTH} levels` },
    ]);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest('The body is not valid JSON.', [{ path: '/', message: (error as Error).message }]);
  }
  const errors = unstorableValues(value);
  if (errors.length)
    throw unprocessable('The body holds values that cannot be stored as they were sent; nothing was stored. See errors.', errors);
  return value;
}

/** Nesting beyond this is refused before parsing (LIMITS.jsonDepth; named here for the
 *  routes that describe it). */
export const MAX_DEPTH = LIMITS.jsonDepth;

/** The deepest nesting of objects and arrays in JSON text, found in one pass. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

export const NUMBER_TOO_LARGE = 'is a number beyond what can be stored (an IEEE 754 double, at most about ±1.8e308); send it as a string';

/** Values that could not be stored and read back as sent: lone UTF-16 surrogates (stored
 *  as replacement characters, so the event's hash would no longer match), "__proto__" keys
 *  (which no parsed object can carry) and numbers beyond double range (JSON.parse makes
 *  them ±Infinity, which has no JSON form to hash or store). */
function unstorableValues(value: unknown, path = '', found: ProblemFieldError[] = []): ProblemFieldError[] {
  if (found.length >= 20) return found;
  if (typeof value === 'string') {
    if (!value.isWellFormed()) found.push({ path: path || '/', message: 'contains a lone UTF-16 surrogate (not valid Unicode text)' });
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) found.push({ path: path || '/', message: NUMBER_TOO_LARGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => unstorableValues(item, `${path}/${i}`, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!key.isWellFormed())
        found.push({ path: path || '/', message: 'has a key with a lone UTF-16 surrogate (not valid Unicode text)' });
      else if (key === '__proto__') found.push({ path: at, message: 'is not an allowed field name' });
      unstorableValues(item, at, found);
    }
  }
  return found;
}

function bodyTooLarge(maxBytes: number) {
  return tooLarge(`The body is larger than the limit of ${maxBytes} bytes; split it into smaller requests.`, [
    { path: '/', message: `more than ${maxBytes} bytes` },
  ]);
}

/** A JSON body that parsed but does not match its schema is 422, naming every bad path. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw unprocessable('The body does not match the schema; see errors.', issuesToErrors(result.error.issues));
  return result.data;
}

/** Query strings are parsed from their single values; repeated keys are an error. A Map,
 *  so that "constructor" or "toString" never meet Object.prototype's members. */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): z.output<S> {
  const query = new Map<string, string>();
  const errors = [];
  for (const [key, value] of url.searchParams) {
    if (query.has(key)) errors.push({ path: `query.${key}`, message: 'given more than once; use a comma-separated list' });
    query.set(key, value);
  }
  if (errors.length) throw badRequest('The query string is invalid; see errors.', errors);
  // Object.fromEntries defines own properties, so even "__proto__" arrives as a plain (unknown) key.
  const result = schema.safeParse(Object.fromEntries(query));
  if (!result.success) throw badRequest('The query string is invalid; see errors.', issuesToErrors(result.error.issues, 'query'));
  return result.data;
}

/** Path parameters arrive from the router still percent-encoded: each is decoded exactly
 *  once here (so `%2F` is a "/" inside an id, never a separator, and `%252F` stays "%2F"),
 *  then checked against the schema. A malformed escape is the client's mistake, not a 500. */
export function parsePath<S extends z.ZodType>(schema: S, params: Record<string, string>): z.output<S> {
  const decoded: Record<string, string> = {};
  const errors: ProblemFieldError[] = [];
  for (const [name, raw] of Object.entries(params)) {
    try {
      decoded[name] = decodeURIComponent(raw);
    } catch {
      errors.push({ path: `path.${name}`, message: 'is not validly percent-encoded (encode it with encodeURIComponent)' });
    }
  }
  if (errors.length) throw badRequest('The path is invalid; see errors.', errors);
  const result = schema.safeParse(decoded);
  if (!result.success) throw badRequest('The path is invalid; see errors.', issuesToErrors(result.error.issues, 'path'));
  return result.data;
}
