// Standard Webhooks signatures (https://www.standardwebhooks.com): webhook-id, webhook-timestamp
// and webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>", made by the
// standardwebhooks package, so receivers verify with its own verifier. While a rotated secret
// overlaps, each delivery carries one signature per secret, space-separated.
import { Webhook } from 'standardwebhooks';

export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: whsec_ and 32 random bytes in base64, as the spec's libraries take it. */
export const newSigningSecret = () => SECRET_PREFIX + btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

/** The headers of one delivery of `body`, signed with every secret in `secrets` (current first). */
export function webhookHeaders(secrets: string[], id: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}
