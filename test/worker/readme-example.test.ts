// The README's "Recording a change" example, run as written: the requests are taken from the
// section's code blocks and the rows it promises from its table, so the README cannot drift
// from what the Worker does (it once promised a Password row and "Tier 1 (201)" names that
// the example could not produce).
import { describe, expect, it } from 'vitest';
import readme from '../../README.md?raw';
import { call, newAccount } from './support';

const section = (() => {
  const start = readme.indexOf('### Recording a change\n');
  expect(start, 'the README has a "Recording a change" section').toBeGreaterThan(-1);
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
})();

/** Each curl of the section: the path it posts to and the JSON body it sends. */
function requests() {
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, block]) => {
    const path = /-X POST \$URL(\S+)/.exec(block!)?.[1];
    const body = /-d '([\s\S]*?)'/.exec(block!)?.[1];
    expect(path, block).toBeDefined();
    expect(body, block).toBeDefined();
    return { path: path!, body: JSON.parse(body!) as unknown };
  });
}

/** The section's table of rows: element, valueType, oldValue, newValue, redacted. */
function promisedRows() {
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const [header, , ...rows] = lines.map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
  expect(header).toEqual(['element', 'valueType', 'oldValue', 'newValue', 'redacted']);
  return rows.map(([element, valueType, oldValue, newValue, redacted]) => ({
    element,
    valueType,
    oldValue: oldValue === 'null' ? null : oldValue,
    newValue: newValue === 'null' ? null : newValue,
    redacted: redacted === 'true',
  }));
}

describe('README: Recording a change', () => {
  it('the example, run as written, answers exactly the rows the README shows', async () => {
    const account = await newAccount();
    const sent = requests();
    expect(sent.map((r) => r.path)).toEqual(['/v1/accounts/$ACCOUNT/changes/batch', '/v1/accounts/$ACCOUNT/changes']);
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (const { path, body } of sent) {
      last = await call(path.replace('$ACCOUNT', account.id), { token: account.writer, body });
      expect(last.status, last.text).toBe(201);
    }
    const rows = last!.json.events.map((e: Record<string, unknown>) => ({
      element: e.element,
      valueType: e.valueType,
      oldValue: e.oldValue,
      newValue: e.newValue,
      redacted: e.redacted,
    }));
    const promised = promisedRows();
    expect(promised.map((r) => r.element)).toEqual(['Password', 'Skills', 'Member of']);
    expect(rows).toEqual(promised);
    expect(last!.text, 'the passwords are not in the answer').not.toMatch(/2f1c|9ab4/);
  });
});
