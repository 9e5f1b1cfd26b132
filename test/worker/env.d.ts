declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** The webhook receiver (scripts/webhook-receiver), started by the worker project's globalSetup. */
    TEST_WEBHOOK_RECEIVER: string;
  }
}
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../../worker/index');
  }
}
