// A route is declared once: its OpenAPI operation (built from the same zod schemas that
// validate its input) and its handler. The router and the OpenAPI document both read
// the same list, so the document cannot drift from what the Worker does.
import type { IRequest } from 'itty-router';
import type { ZodOpenApiOperationObject } from 'zod-openapi';
import { z } from 'zod';
import { Problem as ProblemSchema } from '../schemas/common';

export type Method = 'get' | 'put' | 'post' | 'delete';
export type Handler = (request: IRequest, env: Env, ctx: ExecutionContext) => Promise<unknown> | unknown;

export interface Route {
  method: Method;
  /** OpenAPI style: /v1/accounts/{accountId} */
  path: string;
  operation: ZodOpenApiOperationObject;
  handler: Handler;
}

export const route = (method: Method, path: string, operation: ZodOpenApiOperationObject, handler: Handler): Route => ({
  method,
  path,
  operation,
  handler,
});

/** itty-router's pattern for an OpenAPI path. */
export const routerPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' as const, minimum: 1 } },
};

/** Problem responses by status, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  const descriptions: Record<number, string> = {
    400: 'Malformed JSON, bad query or path parameters (including a malformed percent-escape), or a forged cursor.',
    401: 'No token, or a token that is unknown, revoked or expired.',
    403: 'The token lacks the scope this needs, or (creating a token) asks for scopes it lacks, events:write, or a later expiry than its own; errors name /scopes/{i} or /expiresAt.',
    404: 'No such account for this token (or no such resource).',
    409: 'The changeId (or id) was already used for something else.',
    410: 'The link has been used or has expired.',
    413: 'The body is larger than the limit.',
    415: 'The body is not JSON.',
    422: 'The body is well-formed JSON but does not validate; errors name every bad path.',
    429: "Over this token's rate limit (see the operation's description); retry after the Retry-After seconds.",
    503:
      'Type …/problems/unavailable: the database is briefly unavailable (D1 restarting, or the network to it lost), nothing stored; retry after the Retry-After seconds. ' +
      'Or too many concurrent writes (…/problems/busy, retry after the Retry-After seconds), or the deployment is misconfigured: type …/problems/misconfigured, ' +
      'whose detail and errors (env.<SETTING>) name the missing or malformed setting (see GET /readyz).',
  };
  return Object.fromEntries(
    statuses.map((s) => [
      String(s),
      { description: descriptions[s] ?? 'Error.', ...(s === 429 || s === 503 ? { headers: retryAfter } : {}), content: problemContent },
    ]),
  );
}

export const jsonContent = (schema: z.ZodType) => ({ 'application/json': { schema } });

export const AccountPath = z.object({
  // Not the creation alphabet (AccountId): ids made before it existed stay reachable.
  accountId: z.string().min(1).max(200).meta({ description: 'The account id, percent-encoded once (encodeURIComponent).' }),
});
