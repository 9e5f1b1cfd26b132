// The secret-name detector, table-driven: the names it must call secrets (the ones issue 8
// found stored in clear among them) and the harmless ones it must not (the ones it found
// redacted for good among them), in every spelling clients use.
import { describe, expect, it } from 'vitest';
import { fieldFor, isSecretElement, objectSpec } from '../../worker/domain/object-catalog';
import { isSecretName, isSecretPair, nameWords } from '../../worker/domain/secret-fields';

const SECRET_NAMES = [
  // passwords
  'password',
  'Password',
  'PASSWORD',
  'passwordSh',
  'newPassword',
  'old_password',
  'user-password',
  'Password (confirm)',
  'passwd',
  'pwd',
  'Pwd',
  'dbPwd',
  'pw',
  'pwHash',
  'passphrase',
  'passPhrase',
  'pass_phrase',
  'passcode',
  'dbPass',
  'smtp_pass',
  'passwordHash',
  'passwordSalt',
  // secrets and tokens
  'secret',
  'appSecret',
  'client_secret',
  'Client Secret',
  'secrets',
  'token',
  'accessToken',
  'refresh_token',
  'idToken',
  'auth-token',
  'API Token',
  'bearer',
  'bearerToken',
  'jwt',
  'JWT',
  'jwtSecret',
  'authorization',
  'Authorization',
  'credential',
  'credentials',
  'creds',
  // keys
  'apiKey',
  'api_key',
  'x-api-key',
  'X-API-Key',
  'APIKey',
  'apikey',
  'apiKeys',
  'accessKey',
  'access_key',
  'AccessKey',
  'secretAccessKey',
  'privateKey',
  'private-key',
  'signingKey',
  'encryptionKey',
  'authKey',
  'hmacKey',
  'HMAC key',
  'sshKey',
  'clientKey',
  'masterKey',
  'allowedAppKeys',
  'licenseKey',
  // sessions, cookies, one-time codes and the like
  'cookie',
  'Cookie',
  'sessionCookie',
  'cookies',
  'sessionId',
  'session_id',
  'SessionID',
  'sessionid',
  'sessionKey',
  'otp',
  'OTP',
  'otpSeed',
  'totp',
  'totpSecret',
  'pin',
  'PIN',
  'Pin',
  'pinCode',
  'pin_code',
  'pin2',
  'seed',
  'salt',
  'recoveryCode',
  'backupCodes',
  'authHeader',
  'connectionString',
  'securityAnswer',
  'pinBase64',
  'passwordSha256',
  '2faCode',
  'mfa_code',
];

const HARMLESS_NAMES = [
  'Passed survey',
  'passedSurvey',
  'tokenExpiryMinutes',
  'token_expiry_minutes',
  'Token expiry (minutes)',
  'tokenType',
  'tokenUrl',
  'accessTokenTtl',
  'passwordMinLength',
  'passwordPolicy',
  'Password policy',
  'passwordExpiryDays',
  'passwordChangedAt',
  'lastPwdChangeDate',
  'passwordRequired',
  'apiKeyId',
  'accessKeyId',
  'api key name',
  'cookieDomain',
  'cookieName',
  'sessionTimeout',
  'session timeout minutes',
  'sessionIdLength',
  'otpEnabled',
  'secretName',
  'credentialsExpireAt',
  'authorizationUrl',
  'jwtIssuer',
  'Pin to top',
  'pinned',
  'isPinned',
  'Pass rate',
  'bypassCache',
  'compass',
  'passenger',
  'saltRounds',
  'keyboard',
  'hotkey',
  'Hot key',
  'key',
  'keyId',
  'publicKey',
  'monkey',
  'tokenizer',
  'auth',
  'authorName',
  'loginName',
  'Name',
  'Member of',
  'Skills',
  'Max chats',
  'email',
  'description',
  'seeded',
  'pinyin',
  'spine',
  'session',
  'id',
  'Token settings',
];

describe('isSecretName', () => {
  it.each(SECRET_NAMES)('"%s" is a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each(HARMLESS_NAMES)('"%s" is not a secret', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it('splits names into words: camelCase, PascalCase, snake_case, kebab-case, spaces and digits', () => {
    expect(nameWords('passwordSh')).toEqual(['password', 'sh']);
    expect(nameWords('X-API-Key')).toEqual(['x', 'api', 'key']);
    expect(nameWords('APIKeyID')).toEqual(['api', 'key', 'id']);
    expect(nameWords('token_expiry_minutes')).toEqual(['token', 'expiry', 'minutes']);
    expect(nameWords('Change password at next login')).toEqual(['change', 'password', 'at', 'next', 'login']);
    expect(nameWords('otpSeed2')).toEqual(['otp', 'seed', '2']);
  });
});

describe('name/value pairs', () => {
  it('a pair whose name is a secret hides its value; other pairs, and objects without a value, do not', () => {
    expect(isSecretPair({ name: 'password', value: 'x' })).toBe(true);
    expect(isSecretPair({ key: 'apiKey', value: 'x' })).toBe(true);
    expect(isSecretPair({ id: 'sessionId', val: 'x' })).toBe(true);
    expect(isSecretPair({ field: 'PIN', value: '1234' })).toBe(true);
    expect(isSecretPair({ name: 'tokenExpiryMinutes', value: 30 })).toBe(false);
    expect(isSecretPair({ name: 'color', value: 'red' })).toBe(false);
    expect(isSecretPair({ name: 'password' })).toBe(false);
    expect(isSecretPair({ name: 42, value: 'x' })).toBe(false);
  });
});

describe('the catalog overrules the detector for fields it knows', () => {
  it('"Change password at next login" is a setting, stored from snapshots and from explicit elements alike', () => {
    expect(isSecretName('Change password at next login')).toBe(true); // the detector alone would hide it…
    expect(fieldFor(objectSpec('user'), 'changePwdNextLogin', [true]).kind).toBe('boolean'); // …the catalog knows better
    expect(isSecretElement(objectSpec('user'), 'Change password at next login')).toBe(false);
    expect(isSecretElement(objectSpec('user'), 'changePwdNextLogin')).toBe(false);
    // On an object type whose catalog does not know it, the detector decides.
    expect(isSecretElement(objectSpec('skill'), 'Change password at next login')).toBe(true);
  });

  it('catalog secrets are secrets whatever their name, by key or by label', () => {
    expect(fieldFor(objectSpec('user'), 'passwordSh', ['x']).kind).toBe('secret');
    expect(fieldFor(objectSpec('user'), 'allowedAppKeys', [['a']]).kind).toBe('secret');
    expect(isSecretElement(objectSpec('user'), 'Password')).toBe(true);
    expect(isSecretElement(objectSpec('user'), 'Allowed app keys')).toBe(true);
    expect(isSecretElement(objectSpec('user'), 'Member of')).toBe(false);
    expect(isSecretElement(objectSpec('user'), 'PIN')).toBe(true);
    expect(isSecretElement(objectSpec('user'), 'Pwd')).toBe(true);
  });
});
