// Reading the probe Worker's timing headers (see test/bench/probe/probe-worker.js).
import type { Reply } from './http';

export interface ProbeTiming {
  bodyMs: number;
  totalMs: number;
  d1Ms: number;
  d1Calls: number;
  detail: Record<string, { calls: number; ms: number }>;
}

export function probeTiming(reply: Reply): ProbeTiming {
  const header = (name: string) => String(reply.headers[name] ?? '');
  return {
    bodyMs: Number(header('x-bench-body-ms')),
    totalMs: Number(header('x-bench-total-ms')),
    d1Ms: Number(header('x-bench-d1-ms')),
    d1Calls: Number(header('x-bench-d1-calls')),
    detail: JSON.parse(header('x-bench-d1-detail') || '{}'),
  };
}
