// Destinations: webhooks that stream the account's audit trail to a SIEM (worker/destinations).
import { z } from 'zod';
import { ACTIONS, DESTINATION_STATES, OBJECT_TYPES } from '../../shared/vocabulary';

export const DestinationFilter = z
  .strictObject({
    objectType: z.enum(OBJECT_TYPES).optional(),
    action: z.enum(ACTIONS).optional(),
  })
  .meta({
    id: 'DestinationFilter',
    description: 'Only events of this object type and/or action are delivered; the others are skipped. Default: every event.',
  });

export const DestinationCreate = z
  .strictObject({
    url: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .meta({
        description:
          'Where deliveries are POSTed: an https:// URL whose host is a name or a public IP address (not localhost, private, loopback, ' +
          'link-local, unique-local, CGNAT or unspecified addresses, in IPv4 or IPv6); no user name or password. Redirects are not followed.',
      }),
    description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
    filter: DestinationFilter.optional(),
  })
  .meta({ id: 'DestinationCreate' });

export const DestinationPath = z.object({
  accountId: z.string().min(1).max(200).meta({ description: 'The account id, percent-encoded once (encodeURIComponent).' }),
  destinationId: z.string().min(1).max(100).meta({ description: 'The destination id (dst_…).' }),
});

export const Destination = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    filter: DestinationFilter,
    state: z.enum(DESTINATION_STATES).meta({
      description:
        'active: delivering (failed attempts are retried after 5 s, 30 s, 2 min, 10 min, 1 h, then hourly); ' +
        'failing: deliveries have failed for more than 24 hours, still retried hourly, catching up by itself once the receiver answers; ' +
        'disabled: the receiver answered 410 Gone, nothing is delivered until POST …/resume.',
    }),
    deliveredThroughSeq: z.number().int().meta({
      description: 'Every event of the account with a seq up to this one was delivered (or did not match the filter).',
    }),
    headSeq: z.number().int().meta({ description: "The seq of the account's newest event (the chain head)." }),
    behind: z.number().int().meta({ description: 'headSeq − deliveredThroughSeq: how many events of the chain are still to go.' }),
    failures: z.number().int().meta({ description: 'Failed attempts in a row.' }),
    failingSince: z.string().nullable().meta({ description: 'When the current run of failures began; null after a delivery.' }),
    nextAttemptAt: z.string().nullable().meta({ description: 'When a failed delivery is tried again.' }),
    lastAttemptAt: z.string().nullable(),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .meta({ description: "The receiver's HTTP status at the last attempt; null without an answer." }),
    lastError: z.string().nullable(),
    lastDeliveredAt: z.string().nullable(),
    previousSecretValidUntil: z.string().nullable().meta({
      description: 'After a rotation: until when deliveries carry a second signature, made with the previous secret.',
    }),
    createdAt: z.string(),
  })
  .meta({ id: 'Destination' });

export const DestinationWithSecret = Destination.extend({
  secret: z.string().meta({
    description:
      'The signing secret (whsec_…), shown only in this answer: receivers verify webhook-signature with it (Standard Webhooks). Stored encrypted.',
  }),
}).meta({ id: 'DestinationWithSecret' });

export const DestinationList = z.object({ items: z.array(Destination) }).meta({ id: 'DestinationList' });

export const DeliveryAttempt = z
  .object({
    at: z.string(),
    kind: z.enum(['events', 'test']),
    deliveryId: z.string().meta({ description: 'The webhook-id sent: the same for every attempt at the same events.' }),
    fromSeq: z.number().int().nullable(),
    throughSeq: z.number().int().nullable(),
    events: z.number().int(),
    status: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when it did not answer." }),
    latencyMs: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'DeliveryAttempt' });

export const DeliveryAttemptList = z.object({ items: z.array(DeliveryAttempt) }).meta({ id: 'DeliveryAttemptList' });

export const DestinationTestResult = z
  .object({
    delivered: z.boolean().meta({ description: 'Whether the receiver answered 2xx.' }),
    status: z.number().int().nullable(),
    latencyMs: z.number().int(),
    error: z.string().nullable(),
  })
  .meta({ id: 'DestinationTestResult' });
