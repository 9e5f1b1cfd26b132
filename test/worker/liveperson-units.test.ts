// The connector's pieces on their own: the export's three blocks read as they stream, the
// Retry-After rule, and credentials sealed for one account.
import { describe, expect, it } from 'vitest';
import { credentialsKey, openCredentials, sealCredentials } from '../../worker/domain/credentials';
import { LivePersonError, MisconfiguredSetting } from '../../worker/domain/errors';
import { retryAfterSeconds } from '../../worker/sources/liveperson/client';
import { exportRows } from '../../worker/sources/liveperson/export-csv';

const HEADER =
  'Object type,Object ID,Object name,Action type,Element,Old value,New value,Date and time,Originator,Originator Employee ID,Originator Profiles';

/** The text as a byte stream cut into `size`-byte chunks (cuts fall inside multi-byte characters too). */
function stream(text: string, size = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += size)));
    },
  });
}

const exportText = (results: string[], total = results.length, header = HEADER) =>
  '\ufeffSearch Criteria\r\nFrom Date,To Date,Users,Component Types,Time Zone,Language\r\n2026-11-26,2026-11-26,All,"ACUserObject,ACSkillObject",UTC,en-US\r\n\r\n' +
  `Total Items\r\n${total}\r\n\r\nResults\r\n${header}\r\n` +
  results.map((r) => r + '\r\n').join('');

async function read(body: ReadableStream<Uint8Array>) {
  const rows = [];
  for await (const row of exportRows(body)) rows.push(row);
  return rows;
}

describe("reading LivePerson's export", () => {
  it('yields the Results rows by column name, quotes, line breaks and multi-byte text intact', async () => {
    const rows = await read(
      stream(
        exportText([
          'Users,4711,Jane Doe,Edit,Nickname,Jane,"J, ""JD"" Doe",2026-11-26 09:15:00,dana@example.com,E1,Administrator',
          'Skills,12,Grüße ✓,Add new,Description,,"line 1\r\nline 2",2026-11-26 10:00:00,Automatic Process,,',
        ]),
      ),
    );
    expect(rows).toEqual([
      expect.objectContaining({ objectType: 'Users', objectId: '4711', newValue: 'J, "JD" Doe', dateAndTime: '2026-11-26 09:15:00' }),
      expect.objectContaining({
        objectType: 'Skills',
        objectName: 'Grüße ✓',
        oldValue: '',
        newValue: 'line 1\r\nline 2',
        originator: 'Automatic Process',
      }),
    ]);
  });

  it('finds columns in another order', async () => {
    const header = 'Date and time,Object ID,Object type,Action type,Element,Old value,New value,Object name,Originator';
    const [row] = await read(stream(exportText(['2026-11-26 09:15:00,4711,Users,Edit,Nickname,a,b,Jane,dana'], 1, header)));
    expect(row).toMatchObject({
      objectType: 'Users',
      objectId: '4711',
      objectName: 'Jane',
      dateAndTime: '2026-11-26 09:15:00',
      originatorProfiles: '',
    });
  });

  it('reads an empty day', async () => {
    expect(await read(stream(exportText([])))).toEqual([]);
  });

  it('refuses an export cut off before its Total Items, or without the columns it needs', async () => {
    const cut = read(stream(exportText(['Users,1,A,Edit,E,a,b,2026-11-26 09:15:00,x,,'], 2)));
    await expect(cut).rejects.toBeInstanceOf(LivePersonError);
    await expect(cut).rejects.toMatchObject({ failure: 'rejected', message: expect.stringMatching(/Total Items.*says 2 but 1/) });
    await expect(read(stream(exportText(['x,y'], 1, 'Object type,Old value')))).rejects.toMatchObject({
      message: expect.stringMatching(/lacks the columns/),
    });
    await expect(read(stream('Results\r\n' + HEADER + '\r\n'))).rejects.toMatchObject({
      message: expect.stringMatching(/no "Total Items"/),
    });
    // LivePerson's transient kinds are retried; a refused key is not.
    expect(new LivePersonError('rejected', 'x', '1').transient).toBe(true);
    expect(new LivePersonError('auth', 'x', '1').transient).toBe(false);
  });
});

describe('Retry-After', () => {
  it('waits at least a second, in seconds or until an HTTP date', () => {
    expect(retryAfterSeconds(null)).toBe(1);
    expect(retryAfterSeconds('0')).toBe(1);
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.parse('2026-01-01T00:00:30Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z'))).toBe(30);
    expect(retryAfterSeconds('soon')).toBe(1);
  });
});

describe('credentials at rest', () => {
  const secret = 'a-test-secret-that-is-long-enough-1234';
  // Values long enough that the random ciphertext cannot contain one by chance (a 2-letter
  // value turned up in about 3 % of runs).
  const value = {
    consumerKey: 'app-key-in-clear',
    consumerSecret: 'app-secret-in-clear',
    token: 'token-in-clear',
    tokenSecret: 'token-secret-in-clear',
  };

  it('open only with the same key for the same account', async () => {
    const key = await credentialsKey(secret);
    const sealed = await sealCredentials(key, 'acme', value);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    for (const clear of Object.values(value)) expect(sealed).not.toContain(clear);
    expect(await openCredentials(key, 'acme', sealed)).toEqual(value);
    expect(await openCredentials(key, 'other', sealed)).toBeUndefined();
    expect(await openCredentials(await credentialsKey(secret + 'x'), 'acme', sealed)).toBeUndefined();
    expect(await openCredentials(key, 'acme', sealed.slice(0, -2) + 'AA')).toBeUndefined();
    expect(await sealCredentials(key, 'acme', value)).not.toBe(sealed);
  });

  it('need a CREDENTIALS_KEY of at least 32 characters', async () => {
    await expect(credentialsKey(undefined)).rejects.toEqual(new MisconfiguredSetting('CREDENTIALS_KEY', 'missing'));
    await expect(credentialsKey('short')).rejects.toEqual(new MisconfiguredSetting('CREDENTIALS_KEY', 'malformed'));
  });
});
