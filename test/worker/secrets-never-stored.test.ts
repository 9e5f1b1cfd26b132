// "Secrets are never stored": well over 100 distinct secret values planted under realistic
// names — snapshot fields, nested objects, name/value pairs, explicit elements, batches, adds
// and deletes — then every table of D1 is dumped and searched for each value and its SHA-256
// (hex, base64, base64url). Harmless fields whose names merely sound like secrets are
// searched for too: they must be stored.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { aChange, call, changeId, newAccount } from './support';

let planted = 0;
const values: string[] = [];
/** A fresh secret value, remembered so the dump can be searched for it. */
const plant = (hint: string) => {
  const value = `S3cr3t-${hint}-${++planted}-${crypto.randomUUID()}`;
  values.push(value);
  return value;
};

// Snapshot keys as platforms spell them, each a secret by its name alone.
const SECRET_KEYS = [
  'accessKey',
  'signingKey',
  'encryptionKey',
  'authKey',
  'hmacKey',
  'authorization',
  'bearer',
  'jwt',
  'cookie',
  'sessionId',
  'otpSeed',
  'pin',
  'pwd',
  'salt',
  'apiKey',
  'api_key',
  'clientSecret',
  'refreshToken',
  'privateKey',
  'passphrase',
  'dbPass',
  'smtp_password',
  'x-api-key',
  'totpSecret',
  'pinCode',
];

/** A snapshot with a secret under every key, a nested integration and a list of name/value properties. */
function secretSnapshot(extra: Record<string, unknown> = {}) {
  return {
    fullName: 'Jane Doe',
    loginName: 'jane.doe',
    passwordSh: plant('passwordSh'),
    ...Object.fromEntries(SECRET_KEYS.map((key) => [key, plant(key)])),
    integration: {
      url: 'https://crm.example',
      apiKey: plant('nested-apiKey'),
      auth: { username: 'svc', password: plant('nested-password'), clientSecret: plant('nested-clientSecret') },
      headers: { Authorization: `Bearer ${plant('nested-authorization')}`, Cookie: plant('nested-cookie') },
    },
    properties: [
      { name: 'password', value: plant('pair-password') },
      { key: 'apiKey', value: plant('pair-apiKey') },
      { id: 'sessionId', val: plant('pair-sessionId') },
      { field: 'PIN', value: plant('pair-PIN') },
      { name: 'color', value: 'blue' },
    ],
    tokenExpiryMinutes: 30,
    passedSurvey: true,
    changePwdNextLogin: false,
    ...extra,
  };
}

/** Explicit elements whose names are secrets, with secrets in objects and pairs for values too. */
function secretElements() {
  const names = [
    'PIN',
    'Pwd',
    'Password',
    'accessKey',
    'Session ID',
    'OTP seed',
    'API key',
    'Bearer token',
    'JWT',
    'Cookie',
    'Salt',
    'Signing key',
  ];
  return [
    ...names.map((element) => ({ element, oldValue: plant(`el-${element}-old`), newValue: plant(`el-${element}-new`) })),
    {
      element: 'Integration',
      oldValue: { url: 'a', token: plant('el-nested-token') },
      newValue: { url: 'b', privateKey: plant('el-nested-privateKey') },
    },
    {
      element: 'Properties',
      newValue: [
        { name: 'apiSecret', value: plant('el-pair-apiSecret') },
        { name: 'color', value: 'red' },
      ],
    },
    { element: 'Passed survey', oldValue: 'no', newValue: 'yes' },
    { element: 'Token expiry minutes', oldValue: 30, newValue: 45 },
    { element: 'Change password at next login', oldValue: false, newValue: true },
  ];
}

async function sha256Forms(value: string) {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value)));
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  const base64 = btoa(String.fromCharCode(...bytes));
  const base64url = base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return [hex, base64, base64url];
}

async function dumpAllTables() {
  const { results: tables } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'").all<{
    name: string;
  }>();
  expect(tables.map((t) => t.name)).toContain('audit_events');
  let dump = '';
  for (const { name } of tables) dump += JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
  return dump;
}

describe('secrets are never stored', () => {
  it('over 100 planted secret values, and their SHA-256, appear nowhere in D1; harmless look-alikes are stored', async () => {
    const account = await newAccount();
    const changes = `/v1/accounts/${account.id}/changes`;
    const base = { objectType: 'user', objectId: '4711', originator: { id: '17', name: 'Admin Amy' } };

    const edit = await call(changes, {
      token: account.writer,
      body: {
        ...base,
        changeId: changeId(),
        action: 'edit',
        before: secretSnapshot(),
        after: secretSnapshot({ tokenExpiryMinutes: 60, passedSurvey: false, changePwdNextLogin: true }),
      },
    });
    expect(edit.status, edit.text).toBe(201);
    const explicit = await call(changes, { token: account.writer, body: aChange({ elements: secretElements() }) });
    expect(explicit.status, explicit.text).toBe(201);
    const batch = await call(`${changes}/batch`, {
      token: account.writer,
      body: {
        changes: [
          { ...base, objectId: '4712', changeId: changeId(), action: 'add', after: secretSnapshot() },
          { ...base, objectId: '4713', changeId: changeId(), action: 'delete', before: secretSnapshot() },
          {
            ...base,
            objectType: 'skill',
            objectId: '9',
            changeId: changeId(),
            action: 'edit',
            before: { name: 'Billing', webhook: { secret: plant('skill-webhook') } },
            after: { name: 'Billing', webhook: { secret: plant('skill-webhook') } },
          },
          aChange({ elements: secretElements() }),
        ],
      },
    });
    expect(batch.status, batch.text).toBe(201);
    expect(new Set(values).size).toBe(values.length);
    expect(values.length).toBeGreaterThanOrEqual(100);

    const dump = await dumpAllTables();
    for (const value of values) {
      expect(dump.includes(value), `secret value ${value} is stored`).toBe(false);
      for (const hash of await sha256Forms(value)) expect(dump.includes(hash), `the SHA-256 of ${value} is stored`).toBe(false);
    }

    // Every secret is still on record as changed.
    const rows = (await call(`/v1/accounts/${account.id}/events?limit=500`, { token: account.reader })).json.events as any[];
    const editRows = new Map(rows.filter((e) => e.changeId === edit.json.changeId).map((e) => [e.element, e]));
    for (const element of [
      'Password',
      'Access key',
      'Signing key',
      'Authorization',
      'Session id',
      'Otp seed',
      'Pin',
      'Pwd',
      'Salt',
      'Properties',
      'Integration',
    ])
      expect(editRows.get(element), element).toMatchObject({ redacted: true, oldValue: null, newValue: null });
    const explicitRows = new Map(explicit.json.events.map((e: any) => [e.element, e]));
    for (const element of ['PIN', 'Pwd', 'Password', 'accessKey', 'Session ID', 'OTP seed'])
      expect(explicitRows.get(element), element).toMatchObject({ redacted: true });
    // A pair naming a secret keeps its name, not its value; nested secrets likewise.
    expect(explicitRows.get('Properties')).toMatchObject({
      redacted: false,
      newValue: JSON.stringify(['{"name":"apiSecret"}', '{"name":"color","value":"red"}']),
    });
    expect(explicitRows.get('Integration')).toMatchObject({ redacted: false, oldValue: '{"url":"a"}', newValue: '{"url":"b"}' });

    // Names that only sound like secrets are settings, stored as sent — from snapshots and explicit elements alike.
    expect(editRows.get('Token expiry minutes')).toMatchObject({ redacted: false, oldValue: '30', newValue: '60' });
    expect(editRows.get('Passed survey')).toMatchObject({ redacted: false, oldValue: 'true', newValue: 'false' });
    expect(editRows.get('Change password at next login')).toMatchObject({ redacted: false, oldValue: 'false', newValue: 'true' });
    expect(explicitRows.get('Passed survey')).toMatchObject({ redacted: false, oldValue: 'no', newValue: 'yes' });
    expect(explicitRows.get('Token expiry minutes')).toMatchObject({ redacted: false, oldValue: '30', newValue: '45' });
    expect(explicitRows.get('Change password at next login')).toMatchObject({ redacted: false, oldValue: 'false', newValue: 'true' });
  });
});
