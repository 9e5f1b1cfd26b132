import { z } from 'zod';

export const ExportLink = z
  .object({
    url: z.string().meta({ description: 'GET it once, without an Authorization header, before expiresAt: it streams the export.' }),
    expiresAt: z.string(),
  })
  .meta({ id: 'ExportLink' });

/** The link's secret, as issued: a prefix secret scanners can find, then 256 random bits. */
export const ExportLinkPath = z.object({
  secret: z
    .string()
    .max(100)
    .meta({ description: 'The secret part of the link, as issued (atl_…).' }),
});
