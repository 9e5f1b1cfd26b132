// The queue's messages: a kick says "destination X may have events to deliver". Kicks carry
// no events (D1 holds the cursor and the chain), so a lost or doubled kick loses or doubles
// nothing: the consumer delivers whatever lies past the cursor, and the cron kicks whatever
// is behind.

export interface DeliveryKick {
  destinationId: string;
}

/** The queue's name, as wrangler.jsonc spells it: the Worker's queue() dispatches on it. */
export const DELIVERY_QUEUE_NAME = 'audit-trail-deliveries';

/** Kicks destinations, now or after `delaySeconds`. */
export async function kickDestinations(env: Env, destinationIds: string[], delaySeconds?: number): Promise<void> {
  // sendBatch takes at most 100 messages.
  for (let i = 0; i < destinationIds.length; i += 100)
    await env.DELIVERY_QUEUE.sendBatch(
      destinationIds.slice(i, i + 100).map((destinationId) => ({ body: { destinationId } satisfies DeliveryKick, delaySeconds })),
    );
}
