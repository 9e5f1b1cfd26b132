// Running a start-up as a sequence of small named steps, each timed and reported on one
// line, with clean-ups run in reverse order when the process stops or a step fails.

export interface Step<State> {
  name: string;
  /** Returns a short note for the progress line (e.g. "reused 5 tokens"); `progress`
   *  updates that line while the step runs. */
  run(state: State, cleanups: Cleanups, progress: (note: string) => void): Promise<string | void>;
}

export class Cleanups {
  private readonly stack: { name: string; run: () => Promise<void> | void }[] = [];

  add(name: string, run: () => Promise<void> | void): void {
    this.stack.push({ name, run });
  }

  /** Runs every clean-up once, newest first; a failing one does not stop the others. */
  async runAll(log: (line: string) => void = console.error): Promise<void> {
    while (this.stack.length) {
      const { name, run } = this.stack.pop()!;
      try {
        await run();
      } catch (error) {
        log(`  could not stop ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

export async function runSteps<State>(steps: readonly Step<State>[], state: State, cleanups: Cleanups): Promise<void> {
  // A terminal gets one line per step, rewritten as it progresses; a log file only the results.
  const live = process.stdout.isTTY === true;
  const show = (text: string) => live && process.stdout.write(`\r\x1b[K${text}`);
  for (const [i, step] of steps.entries()) {
    const label = `[${i + 1}/${steps.length}] ${step.name}`;
    show(`${label} …`);
    const started = performance.now();
    try {
      const note = await step.run(state, cleanups, (text) => show(`${label} … ${text}`));
      const ms = Math.round(performance.now() - started);
      show('');
      process.stdout.write(`${label}: ${note ? `${note} ` : ''}(${formatMs(ms)})\n`);
    } catch (error) {
      show('');
      process.stdout.write(`${label}: failed\n`);
      throw error;
    }
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Calls `stop` on the first SIGINT or SIGTERM; a second signal exits at once. */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      stop(signal);
    });
  }
}
