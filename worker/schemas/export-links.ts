import { z } from 'zod';

export const ExportLink = z
  .object({
    url: z.string().meta({ description: 'GET it once, without an Authorization header, before expiresAt: it streams the export.' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'ExportLink' });

/** The link's secret, as issued: a prefix secret scanners can find, then 256 random bits. */
export const ExportLinkPath = z.object({
  secret: z.string().max(100).meta({ description: 'The secret part of the link, as issued (atl_…).' }),
});

/** A file name a client chose for the link's download (Content-Disposition): characters every
 *  file system and header accepts, ending in the export's format. */
export const ExportFileName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]{0,150}\.(xlsx|csv|ndjson)$/,
    'must be letters, digits and . _ + - only, ending in .xlsx, .csv or .ndjson',
  )
  .meta({
    description:
      'The name the download gets (Content-Disposition), e.g. audit-trail_12345678_user-4711_all.xlsx. Default: as GET …/events/export names it.',
  });
