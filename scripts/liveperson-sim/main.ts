// `npx tsx scripts/liveperson-sim/main.ts [--port N] [--host H]`: runs the simulated LivePerson
// and prints its URL (CSDS and the account's domain in one), until interrupted.
import { parseArgs } from 'node:util';
import { startLivePersonSim } from './server';

const { values } = parseArgs({ options: { port: { type: 'string' }, host: { type: 'string' } } });
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got "${values.port}"`);
  process.exit(2);
}
const sim = await startLivePersonSim({ port, host: values.host });
console.log(sim.url);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
