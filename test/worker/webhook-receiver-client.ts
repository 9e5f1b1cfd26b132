// The webhook receiver's control API (scripts/webhook-receiver), for tests in workerd: the
// receiver runs in vitest's main process (globalSetup), at the TEST_WEBHOOK_RECEIVER binding.
import { env } from 'cloudflare:test';

export interface Received {
  at: number;
  headers: Record<string, string>;
  body: string;
  status: number;
}

let hooks = 0;
/** A fresh hook name and the URL deliveries to it go to. */
export function newHook() {
  const name = `hook-${Date.now().toString(36)}-${++hooks}`;
  return { name, url: `${env.TEST_WEBHOOK_RECEIVER}/hooks/${name}` };
}

export async function behave(name: string, behaviour: { failNext?: number; failStatus?: number; status?: number; delayMs?: number }) {
  const res = await fetch(`${env.TEST_WEBHOOK_RECEIVER}/_control/${name}`, { method: 'PUT', body: JSON.stringify(behaviour) });
  if (!res.ok) throw new Error(`receiver control failed: ${res.status}`);
}

export async function received(name: string): Promise<Received[]> {
  const res = await fetch(`${env.TEST_WEBHOOK_RECEIVER}/_control/${name}`);
  return ((await res.json()) as { received: Received[] }).received;
}

/** Waits until `done(received)` holds (deliveries go out in the background, through the queue). */
export async function receivedUntil(name: string, done: (r: Received[]) => boolean, timeoutMs = 50_000): Promise<Received[]> {
  const start = Date.now();
  for (;;) {
    const r = await received(name);
    if (done(r)) return r;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for deliveries to ${name}; got ${r.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
