// Which field and element names hold secrets (passwords, keys, tokens, …), decided on the
// words of the name rather than on substrings, so that "passwordSh", "x-api-key" and "PIN"
// are secrets while "Passed survey", "tokenExpiryMinutes" and "Pin to top" are not. Snapshot
// keys, nested keys, name/value pairs and explicit element names all go through here; the
// object catalog may overrule it for fields it knows (see `fieldFor`).

/** "passwordSh" → [password, sh]; "X-API-Key" → [x, api, key]; "otpSeed2" → [otp, seed, 2]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2') // camelCase
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2') // APIKey → API Key
    .replace(/(\d+)/g, ' $1 ') // digits are words of their own
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Words that are a secret by themselves ("token", "password"), also in run-together forms. */
const SECRET_WORDS = new Set([
  'password',
  'passwords',
  'passwd',
  'pwd',
  'pw',
  'passphrase',
  'passcode',
  'passkey',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'apikeys',
  'accesskey',
  'privatekey',
  'secretkey',
  'signingkey',
  'authkey',
  'hmackey',
  'encryptionkey',
  'jwt',
  'jwts',
  'bearer',
  'authorization',
  'cookie',
  'cookies',
  'otp',
  'totp',
  'hotp',
  'sessionid',
]);

/** Words that are a secret when they end the name or are followed by nothing but value words:
 *  "pin", "pinCode", "dbPass", "passwordSalt" are; "Pin to top", "Pass rate", "saltRounds" are not. */
const WEAK_SECRET_WORDS = new Set(['pin', 'pins', 'pass', 'seed', 'salt']);

/** Second words that make a secret of the word before: "api key", "session id", "auth header". */
const SECRET_PAIRS = new Map<string, ReadonlySet<string>>([
  [
    'key',
    new Set([
      'api',
      'access',
      'private',
      'secret',
      'signing',
      'sign',
      'encryption',
      'decryption',
      'encrypt',
      'auth',
      'hmac',
      'app',
      'client',
      'consumer',
      'master',
      'session',
      'shared',
      'ssh',
      'license',
      'licence',
      'account',
      'storage',
      'subscription',
      'webhook',
      'crypto',
      'cipher',
      'root',
    ]),
  ],
  ['id', new Set(['session'])],
  ['header', new Set(['auth'])],
  ['code', new Set(['auth', 'authorization', 'recovery', 'backup', 'verification', 'mfa', 'fa' /* 2fa */, 'security'])],
  ['string', new Set(['connection'])],
  ['phrase', new Set(['pass', 'seed', 'recovery'])],
  ['word', new Set(['pass'])],
  ['answer', new Set(['security'])],
]);
// The second word in the plural counts the same: "apiKeys", "sessionIds".
const pairSecond = (word: string) =>
  SECRET_PAIRS.has(word) ? word : word.endsWith('s') && SECRET_PAIRS.has(word.slice(0, -1)) ? word.slice(0, -1) : undefined;

/** Words after a secret that make the name a setting about it, not the secret: "tokenExpiryMinutes",
 *  "passwordMinLength", "apiKeyId", "cookieDomain". A name is a setting only if every word after
 *  the secret is one of these, so "passwordSh" or "tokenValue" stay secret. */
const SETTING_WORDS = new Set([
  'expiry',
  'expires',
  'expired',
  'expire',
  'expiration',
  'exp',
  'ttl',
  'lifetime',
  'timeout',
  'age',
  'validity',
  'minutes',
  'minute',
  'min',
  'mins',
  'seconds',
  'second',
  'sec',
  'secs',
  'ms',
  'hours',
  'hour',
  'days',
  'day',
  'weeks',
  'months',
  'length',
  'len',
  'max',
  'maximum',
  'minimum',
  'size',
  'count',
  'limit',
  'attempts',
  'retries',
  'rounds',
  'iterations',
  'policy',
  'policies',
  'rule',
  'rules',
  'strength',
  'complexity',
  'format',
  'type',
  'kind',
  'algorithm',
  'alg',
  'scheme',
  'version',
  'enabled',
  'disabled',
  'required',
  'change',
  'changes',
  'enforced',
  'allowed',
  'set',
  'present',
  'configured',
  'changed',
  'updated',
  'created',
  'reset',
  'rotated',
  'rotation',
  'date',
  'time',
  'at',
  'on',
  'last',
  'since',
  'interval',
  'frequency',
  'period',
  'per',
  'settings',
  'setting',
  'config',
  'configuration',
  'options',
  'id',
  'ids',
  'name',
  'names',
  'label',
  'url',
  'uri',
  'endpoint',
  'domain',
  'path',
  'prefix',
  'issuer',
  'audience',
  'scope',
  'scopes',
  'status',
  'state',
  'mode',
  'fingerprint',
  'consent',
]);

/** Words that still name the secret itself when they follow it: "passwordSh", "pinCode", "saltValue". */
const VALUE_WORDS = new Set([
  'value',
  'val',
  'values',
  'hash',
  'hashed',
  'sh',
  'code',
  'number',
  'num',
  'no',
  'digits',
  'text',
  'string',
  'str',
  'data',
  // Digits are words of their own: "base64" reads [base, 64], "sha256" [sha, 256].
  'enc',
  'encrypted',
  'plain',
  'plaintext',
  'raw',
  'b',
  'base',
  'sha',
  'hex',
  'digest',
  'new',
  'old',
  'current',
  'confirm',
  'confirmation',
]);
const isValueWord = (word: string) => VALUE_WORDS.has(word) || /^\d+$/.test(word);

// The same few keys recur in every snapshot of a batch; splitting them into words each time
// cost ~2 µs a call. Bounded, since names are client input.
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED = 10_000;

/** Whether a field or element with this name holds a secret. */
export function isSecretName(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    if (verdicts.size >= MAX_REMEMBERED) verdicts.clear();
    verdicts.set(name, (verdict = judgeName(name)));
  }
  return verdict;
}

function judgeName(name: string): boolean {
  const words = nameWords(name);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const rest = words.slice(i + 1);
    const second = pairSecond(word);
    if (second && i > 0 && SECRET_PAIRS.get(second)!.has(words[i - 1]!) && !isSetting(rest)) return true;
    if (SECRET_WORDS.has(word) && !isSetting(rest)) return true;
    if (WEAK_SECRET_WORDS.has(word) && rest.every(isValueWord)) return true;
  }
  return false;
}

/** The words after a secret describe a setting about it ("expiry minutes"), not the secret. */
function isSetting(rest: string[]): boolean {
  return rest.length > 0 && rest.every((word) => SETTING_WORDS.has(word));
}

/** Keys that name the entry in a name/value pair: `{name: "password", value: "…"}`. */
const PAIR_NAME_KEYS = ['name', 'key', 'id', 'field', 'property', 'param', 'parameter', 'attribute', 'header'];
/** Keys that hold the entry's value. */
export const PAIR_VALUE_KEYS: ReadonlySet<string> = new Set(['value', 'val', 'values', 'data']);

/** Whether an object is a name/value pair whose name is a secret's, e.g. `{key: "apiKey", value: "…"}`:
 *  its value keys must then be treated as secrets. */
export function isSecretPair(object: Record<string, unknown>): boolean {
  if (![...PAIR_VALUE_KEYS].some((key) => Object.hasOwn(object, key))) return false;
  return PAIR_NAME_KEYS.some((key) => {
    const name = Object.hasOwn(object, key) ? object[key] : undefined;
    return typeof name === 'string' && isSecretName(name);
  });
}
