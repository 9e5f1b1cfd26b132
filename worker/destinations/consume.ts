// The consumer of audit-trail-deliveries: each destination kicked in a batch is delivered to
// once (however many kicks it got), destinations side by side. A kick whose delivery threw
// (D1 briefly unavailable, say) is retried by the queue; every other kick is done, since
// deliverDestination kicks again whatever it leaves to do.
import { deliverDestination } from './deliver';
import type { DeliveryKick } from './kick';

const RETRY_AFTER_ERROR_SECONDS = 5;

export async function handleDeliveryKicks(env: Env, batch: MessageBatch<DeliveryKick>): Promise<void> {
  const byDestination = new Map<string, Message<DeliveryKick>[]>();
  for (const message of batch.messages) {
    const id = message.body?.destinationId;
    if (typeof id !== 'string') {
      message.ack();
      continue;
    }
    byDestination.set(id, [...(byDestination.get(id) ?? []), message]);
  }
  await Promise.all(
    [...byDestination].map(async ([id, messages]) => {
      try {
        await deliverDestination(env, id);
        for (const message of messages) message.ack();
      } catch (error) {
        console.error(`destination ${id}: delivery failed`, error);
        for (const message of messages) message.retry({ delaySeconds: RETRY_AFTER_ERROR_SECONDS });
      }
    }),
  );
}
