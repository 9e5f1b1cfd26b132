// Single-use export links, for clients that cannot send an Authorization header with a
// download (a browser's downloads API): a token with audit:export asks for a link with the
// export's parameters, and one GET of it within a minute streams the file to disk, logged
// under that token. The link is a bearer credential: only its SHA-256 is stored.
import { requireToken, type TokenCaller } from '../auth/authenticate';
import { eventFilter } from '../domain/event-filter';
import { COUNT_CEILING, XLSX_MAX_ROWS, xlsxTooLarge } from '../export/cap';
import { randomBase64Url, sha256Hex } from '../domain/crypto';
import { parsePath, parseQuery } from '../http/input';
import { Problem, badRequest, notFound } from '../http/problem';
import { enforceRateLimit, rateLimitText } from '../http/rate-limit';
import { AccountPath, jsonContent, problems, route } from '../http/route';
import { ExportFileName, ExportLink, ExportLinkPath } from '../schemas/export-links';
import { countEvents } from '../store/event-reader';
import { claimExportLink, insertExportLink } from '../store/export-links';
import { iso } from '../store/db';
import { ExportQuery, exportResponse } from './export';

export const EXPORT_LINK_TTL_MS = 60_000;
const LINK_PREFIX = 'atl_';
const LINK_SHAPE = /^atl_[A-Za-z0-9_-]{43}$/;

const gone = (detail: string) => new Problem(410, 'export-link-gone', detail);

/** The export's parameters, and the name its download should get. */
const ExportLinkQuery = ExportQuery.extend({ filename: ExportFileName.optional() });

export const exportLinkRoutes = [
  route(
    'post',
    '/v1/accounts/{accountId}/events/export-links',
    {
      operationId: 'createExportLink',
      summary: 'A single-use link that streams an export without an Authorization header',
      description:
        'Takes exactly the query parameters of GET …/events/export, and `filename` for its download ' +
        '(validated now: a bad one is 400, an xlsx over ' +
        `${XLSX_MAX_ROWS.toLocaleString('en-US')} rows is 422). The link works once, for ${EXPORT_LINK_TTL_MS / 1000} seconds; ` +
        'its download is recorded in the access log under this token. ' +
        rateLimitText('export'),
      tags: ['events'],
      requestParams: { path: AccountPath, query: ExportLinkQuery },
      responses: {
        '201': { description: 'The link; it is shown once and only its hash is stored.', content: jsonContent(ExportLink) },
        ...problems(400, 401, 403, 404, 422, 429, 503),
      },
    },
    async (request, env, ctx) => {
      const { accountId } = parsePath(AccountPath, request.params);
      const caller = await requireToken(request, env, ctx, accountId, ['audit:export']);
      await enforceRateLimit(env, 'export', caller);
      const url = new URL(request.url);
      const { filename, ...query } = parseQuery(ExportLinkQuery, url);
      if (filename !== undefined && !filename.endsWith(`.${query.format}`))
        throw badRequest('The file name does not match the format.', [{ path: 'query.filename', message: `must end in .${query.format}` }]);
      // Refused now rather than after the browser has started a download that cannot say why.
      if (query.format === 'xlsx') {
        const matched = await countEvents(env.DB, eventFilter(caller.account, query), { atMost: COUNT_CEILING + 1 });
        if (matched > XLSX_MAX_ROWS) throw xlsxTooLarge(matched);
      }
      const secret = LINK_PREFIX + randomBase64Url(32);
      const now = Date.now();
      const expiresAt = now + EXPORT_LINK_TTL_MS;
      await insertExportLink(env.DB, {
        secretHash: sha256Hex(secret),
        accountId: caller.account.id,
        tokenId: caller.tokenId,
        query: url.searchParams.toString(),
        createdAt: now,
        expiresAt,
      });
      return Response.json(
        { url: `${url.origin}/v1/export-links/${secret}`, expiresAt: iso(expiresAt) },
        { status: 201, headers: { 'Cache-Control': 'no-store' } },
      );
    },
  ),
  route(
    'get',
    '/v1/export-links/{secret}',
    {
      operationId: 'downloadExportLink',
      summary: 'Stream the export of a single-use link (no Authorization header)',
      description:
        'Answers exactly as GET …/events/export would have for the token that made the link, with Content-Disposition ' +
        'naming the file. A used or expired link is 410, an unknown one 404.',
      tags: ['events'],
      security: [],
      requestParams: { path: ExportLinkPath },
      responses: {
        '200': {
          description: 'The file, streamed as it is read (see GET …/events/export).',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        ...problems(400, 404, 410, 503),
      },
    },
    async (request, env, ctx) => {
      const { secret } = parsePath(ExportLinkPath, request.params);
      if (!LINK_SHAPE.test(secret)) throw notFound('No such export link.');
      const claim = await claimExportLink(env.DB, sha256Hex(secret), Date.now());
      if (claim.status !== 'claimed') {
        if (claim.status === 'unknown') throw notFound('No such export link.');
        throw gone(
          claim.status === 'used'
            ? 'This export link has already been used; ask for a new one.'
            : 'This export link has expired; ask for a new one.',
        );
      }
      const { creator } = claim;
      const now = Date.now();
      if (
        !creator ||
        creator.revokedAt !== null ||
        (creator.expiresAt !== null && creator.expiresAt <= now) ||
        !creator.scopes.includes('audit:export')
      )
        throw gone('The token that made this export link is no longer valid.');
      const caller: TokenCaller = {
        kind: 'token',
        tokenId: creator.id,
        tokenName: creator.name,
        scopes: creator.scopes,
        expiresAt: creator.expiresAt,
        account: creator.account,
      };
      // The stored query was valid when the link was made; it is read with the same schema.
      const { filename, ...query } = parseQuery(ExportLinkQuery, new URL(`${new URL(request.url).origin}/?${claim.query}`));
      return exportResponse(env, ctx, caller, query, { ...query, via: 'export-link' }, filename);
    },
  ),
];
