// Secrets: set with `wrangler secret put` in production and in `.dev.vars` locally.
declare namespace Cloudflare {
  interface Env {
    /** Operator secret: may create accounts and their first tokens. */
    OPERATOR_TOKEN: string;
    /** Key that signs paging cursors so a forged cursor is refused. */
    CURSOR_SECRET: string;
    /** Ed25519 private key (JWK as JSON) that signs chain checkpoints. */
    CHECKPOINT_PRIVATE_KEY?: string;
  }
}
