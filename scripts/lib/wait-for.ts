// Waiting for a server to answer, while noticing when the process behind it dies.

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Rejects the wait early, e.g. when the server process exits. */
  abandon?: Promise<never>;
}

/** Polls `url` until it answers 2xx. */
export async function waitForHttpOk(url: string, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 150;
  let lastError = 'no answer yet';
  let abandoned: unknown;
  options.abandon?.catch((error) => (abandoned = error));
  while (Date.now() < deadline) {
    if (abandoned) throw abandoned;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  if (abandoned) throw abandoned;
  throw new Error(`${url} did not answer within ${options.timeoutMs / 1000} s (last: ${lastError}).`);
}
