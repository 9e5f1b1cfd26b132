import { z } from 'zod';
import { LIVEPERSON_STATES } from '../../shared/vocabulary';

const Secret = (what: string) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces, as LivePerson shows it')
    .meta({ description: `${what}, as LivePerson's API key page shows it. Stored encrypted; never returned.` });

export const LivePersonConnect = z
  .strictObject({
    auth: z
      .strictObject({
        type: z.literal('oauth1').meta({ description: "LivePerson's API key: OAuth 1.0, HMAC-SHA1 signed requests." }),
        consumerKey: Secret('The app key'),
        consumerSecret: Secret('The app secret'),
        token: Secret('The access token'),
        tokenSecret: Secret('The access token secret'),
      })
      .meta({ id: 'LivePersonAuth' }),
    backfillFrom: z.iso
      .date('must be a date, YYYY-MM-DD')
      .optional()
      .meta({
        description:
          "The first day (UTC) of LivePerson's history to import. Default: 13 months back (or the account's retention, if shorter). " +
          'Not before the retention, not after today.',
      }),
  })
  .meta({ id: 'LivePersonConnect' });
export type LivePersonConnectInput = z.output<typeof LivePersonConnect>;

export const LivePersonStatus = z
  .object({
    connected: z.boolean(),
    state: z
      .enum(LIVEPERSON_STATES)
      .nullable()
      .meta({
        description:
          'backfilling: importing the history day by day; syncing: the history is in, the last two days are polled every five minutes; ' +
          'error: LivePerson refused the API key, see lastError (connect again with PUT to resume). Null when not connected.',
      }),
    backfill: z
      .object({
        from: z.string().meta({ description: 'First day (UTC) of the backfill.' }),
        to: z.string().meta({ description: 'Last day (UTC) of the backfill: the day of connecting.' }),
        through: z.string().nullable().meta({ description: 'The backfill is complete up to this day; null before the first day is in.' }),
        daysDone: z.number().int(),
        daysTotal: z.number().int(),
      })
      .nullable(),
    importedEvents: z.number().int().meta({ description: 'Events this connection imported (one per changed element).' }),
    lastSyncAt: z.string().nullable().meta({ description: 'When a day was last imported.' }),
    lastError: z.string().nullable().meta({ description: 'What went wrong last and what to do; null once a day imports again.' }),
    skipped: z.record(z.string(), z.number().int()).meta({
      description: 'LivePerson rows not imported, counted per reason (e.g. "unknown object type: Secure Forms").',
    }),
  })
  .meta({ id: 'LivePersonStatus' });

export const LivePersonSyncQueued = LivePersonStatus.extend({
  queued: z.boolean().meta({ description: 'false: a sync was already waiting, and this request joined it.' }),
}).meta({ id: 'LivePersonSyncQueued' });
