// .dev.vars: one setting replaced in place (npm start points LIVEPERSON_CSDS_URL at the simulated LivePerson), the rest kept.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDevVars, setDevVar } from '../../scripts/lib/dev-vars';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('setDevVar', () => {
  it('appends a missing setting, replaces an existing one, and keeps every other line', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dev-vars-'));
    const file = path.join(dir, '.dev.vars');
    writeFileSync(file, '# secrets\nOPERATOR_TOKEN=abc\nCURSOR_SECRET=def');
    setDevVar('LIVEPERSON_CSDS_URL', 'http://127.0.0.1:8789', file);
    expect(readFileSync(file, 'utf8')).toBe(
      '# secrets\nOPERATOR_TOKEN=abc\nCURSOR_SECRET=def\nLIVEPERSON_CSDS_URL=http://127.0.0.1:8789\n',
    );
    setDevVar('LIVEPERSON_CSDS_URL', 'http://127.0.0.1:9999', file);
    const vars = parseDevVars(readFileSync(file, 'utf8'));
    expect([...vars]).toEqual([
      ['OPERATOR_TOKEN', 'abc'],
      ['CURSOR_SECRET', 'def'],
      ['LIVEPERSON_CSDS_URL', 'http://127.0.0.1:9999'],
    ]);
  });
});
