// Keyset-paged answers: `{<items>, nextCursor}` plus a `Link: <…>; rel="next"` header, the
// same for every listing, and the id-keyset walk shared by the access log and token events.
import { decodeIdCursor, encodeIdCursor, queryScope } from '../domain/cursor';

/** The OpenAPI description of the Link header every paged answer carries. */
export const nextLinkHeader = { Link: { description: 'Link to the next page: <...>; rel="next"', schema: { type: 'string' as const } } };

/** A page as JSON, with a Link header to the next one when there is one; `extra` joins the
 *  answer's fields (a listing's `total`). */
export function pageResponse(
  requestUrl: string,
  items: Record<string, unknown[]>,
  nextCursor: string | null,
  extra: Record<string, unknown> = {},
): Response {
  const headers = new Headers();
  if (nextCursor) {
    const url = new URL(requestUrl);
    url.searchParams.set('cursor', nextCursor);
    headers.set('Link', `<${url.pathname}${url.search}>; rel="next"`);
  }
  return Response.json({ ...items, nextCursor, ...extra }, { headers });
}

/** One page of a listing walked newest first by row id. The cursor is bound to the listing's
 *  name and filters, so a cursor of another listing (or of other filters) is never valid. */
export async function idKeysetPage<Filters extends Record<string, unknown>, Row>(
  env: Env,
  listing: string,
  accountId: string,
  query: Filters & { limit: number; cursor?: string | undefined },
  read: (
    filters: Filters & { accountId: string },
    beforeId: number | undefined,
    limit: number,
  ) => Promise<{ rows: Row[]; next: number | undefined }>,
): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const { limit, cursor, ...filters } = query;
  const scope = queryScope(accountId, { listing, ...filters });
  const before = cursor === undefined ? undefined : await decodeIdCursor(env.CURSOR_SECRET, scope, cursor);
  const { rows, next } = await read({ ...(filters as unknown as Filters), accountId }, before, limit);
  return { rows, nextCursor: next === undefined ? null : await encodeIdCursor(env.CURSOR_SECRET, scope, next) };
}
