// vitest globalSetup of the `worker` project: the webhook receiver (./server.ts) in the main
// Node process for the whole run, on the port vitest.config.ts chose, so destinations created
// by tests in workerd deliver to it over real loopback HTTP.
import type { TestProject } from 'vitest/node';
import { startReceiver } from './server';

declare module 'vitest' {
  interface ProvidedContext {
    /** The webhook receiver's port, chosen free by vitest.config.ts. */
    webhookReceiverPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = project.config.provide.webhookReceiverPort;
  if (port === undefined || !Number.isInteger(port) || port <= 0)
    throw new Error(`test.provide.webhookReceiverPort must be set by vitest.config.ts (got ${port})`);
  const receiver = await startReceiver({ port });
  return () => receiver.close();
}
