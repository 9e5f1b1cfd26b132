// One HTTP attempt at a receiver: a POST with a timeout that never follows a redirect (a
// redirect could lead anywhere, private addresses included: it counts as a failure).

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface PostOutcome {
  /** The receiver's status; null when there was no answer. */
  status: number | null;
  latencyMs: number;
  /** Why it failed, in words for the deliveries log; null on a 2xx. */
  error: string | null;
}

export async function postDelivery(url: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'audit-trail-webhooks/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = (error as Error | null)?.name === 'TimeoutError';
    return {
      status: null,
      latencyMs: Date.now() - started,
      error: timedOut ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : `could not connect: ${(error as Error).message}`,
    };
  }
  // The answer's body is not read: nothing in it matters, and it must not hold the delivery up.
  await response.body?.cancel().catch(() => undefined);
  const latencyMs = Date.now() - started;
  const { status } = response;
  if (status >= 200 && status < 300) return { status, latencyMs, error: null };
  if (status >= 300 && status < 400) return { status, latencyMs, error: `answered ${status} (a redirect, not followed)` };
  return { status, latencyMs, error: `answered ${status}` };
}
