// vitest globalSetup of the `worker` project: runs the simulated LivePerson in the main Node
// process for the whole run, on the port vitest.config.ts chose (and put into the Worker's
// bindings as LIVEPERSON_CSDS_URL), so tests in workerd reach it over real loopback HTTP.
import type { TestProject } from 'vitest/node';
import { startLivePersonSim } from './server';

declare module 'vitest' {
  interface ProvidedContext {
    /** The simulated LivePerson's port, chosen free by vitest.config.ts. */
    livePersonSimPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = project.config.provide.livePersonSimPort;
  if (port === undefined || !Number.isInteger(port) || port <= 0)
    throw new Error(`test.provide.livePersonSimPort must be set by vitest.config.ts (got ${port})`);
  const sim = await startLivePersonSim({ port });
  return () => sim.close();
}
