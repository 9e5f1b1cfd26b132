// Each state of the panel, rendered with a fake client.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiError, Result } from '../../extension/api/client';
import type { EventPage } from '../../extension/api/types';
import type { Client, StartedDownload } from '../../extension/messaging/protocol';
import { ELEMENT_FACETS_LIMIT, IMPORT_WAITS_MS, Panel, type PanelProps } from '../../extension/ui/panel';
import { event, okResult, settle } from './support';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
  vi.useRealTimers();
});

type History = Client['history'];
function setup(history: History, overrides: Partial<PanelProps> = {}) {
  const client = {
    history: vi.fn(history),
    // An API without the facets route: the element filter lists the loaded elements.
    facets: vi.fn<Client['facets']>(async () => ({ ok: false, error: { kind: 'not-found', status: 404, detail: 'Not found' } })),
    export: vi.fn(async (): Promise<Result<StartedDownload>> => okResult({ filename: 'audit-trail_12345678_user-4711-Jane-Doe_all.xlsx' })),
    openAuditTrail: vi.fn(async () => okResult(null)),
    openOptions: vi.fn(async () => okResult(null)),
  };
  const props: PanelProps = {
    client,
    accountId: '12345678',
    object: { objectType: 'user', objectId: '4711' },
    objectName: 'Jane Doe',
    canExport: false,
    refreshKey: 0,
    timeZone: 'Europe/Berlin',
    onClose: vi.fn(),
    ...overrides,
  };
  return { client, props };
}
const show = async (props: PanelProps) => {
  await act(async () => render(<Panel {...props} />, container));
  await act(settle);
};
const text = () => container.textContent ?? '';
/** A button by its accessible name: aria-label, else its text. */
const button = (name: string) =>
  [...container.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name);
const failing = (error: ApiError) => async () => ({ ok: false as const, error });

describe('panel', () => {
  it('says it is loading until the history arrives', async () => {
    let resolve!: (page: Result<EventPage>) => void;
    const { props } = setup(() => new Promise((r) => (resolve = r)));
    await show(props);
    expect(container.querySelector('[data-state="loading"]')?.textContent).toContain('Loading history');
    await act(async () => resolve(okResult({ events: [], nextCursor: null })));
    await act(settle);
    expect(container.querySelector('[data-state="loading"]')).toBeNull();
  });

  it('shows changes grouped, with date in the time zone, originator, action and old → new', async () => {
    // The clock three hours after the change (only Date: the panel's own timers stay real), so
    // that the relative time does not depend on the day the test runs.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-26T12:15:00Z') });
    const change = [
      event({ changeId: 'c1', element: 'Member of', oldValue: 'Tier 1', newValue: 'Tier 2' }),
      event({ changeId: 'c1', element: 'Skills', valueType: 'list', oldValue: '["Billing DE"]', newValue: '["Sales EN","Retention DE"]' }),
      event({ changeId: 'c1', element: 'Password', redacted: true, oldValue: null, newValue: null }),
    ];
    const older = event({
      changeId: 'c0',
      action: 'add',
      element: 'Name',
      oldValue: null,
      newValue: 'Jane Doe',
      occurredAt: '2026-10-01T08:00:00Z',
      originator: { id: '9', name: 'Bob Boss' },
    });
    const { props } = setup(async () => okResult({ events: [...change, older], nextCursor: null }));
    await show(props);
    const groups = container.querySelectorAll('.change');
    expect(groups).toHaveLength(2);
    expect(groups[0]!.querySelector('.change-head')!.textContent).toContain('Admin Amy');
    expect(groups[0]!.querySelector('time')!.getAttribute('title')).toContain('10:15'); // 09:15Z in Berlin (CET), on hover
    expect(groups[0]!.querySelector('time')!.textContent).toBe('3 hours ago');
    expect(groups[0]!.querySelector('.action')!.textContent).toBe('Edit');
    const row = (name: string) => groups[0]!.querySelector(`[data-element="${name}"] dd`)!.textContent;
    expect(row('Member of')).toBe('Tier 1 → Tier 2');
    expect(row('Skills')).toBe('added: Sales EN, Retention DEremoved: Billing DE');
    expect(row('Password')).toBe('(changed)');
    expect(groups[1]!.textContent).toContain('Add new');
    expect(groups[1]!.textContent).toContain('Bob Boss');
    expect(container.querySelector('#audit-trail-subject')!.textContent).toBe('User: Jane Doe');
  });

  it('marks changes imported from LivePerson with a badge that says so; API changes get none', async () => {
    const { props } = setup(async () =>
      okResult({
        events: [
          event({ changeId: 'lp', source: 'liveperson', element: 'Max chats' }),
          event({ changeId: 'lp', source: 'liveperson', element: 'Email' }),
          event({ changeId: 'api', source: 'api' }),
        ],
        nextCursor: null,
      }),
    );
    await show(props);
    const [imported, recorded] = [...container.querySelectorAll('.change')];
    const badge = imported!.querySelector('.change-head [data-source="liveperson"]')!;
    expect(badge.textContent).toBe('LivePerson');
    expect(badge.getAttribute('title')).toMatch(/Imported from LivePerson/);
    expect(imported!.querySelectorAll('[data-source]')).toHaveLength(1);
    expect(recorded!.querySelector('[data-source]')).toBeNull();
  });

  describe('waiting for a change imported from LivePerson', () => {
    afterEach(() => vi.useRealTimers());
    const tick = (ms: number) =>
      act(async () => {
        await vi.advanceTimersByTimeAsync(ms);
      });
    const old = event({ changeId: 'old' });
    const imported = event({ changeId: 'new', source: 'liveperson' });

    it('reads again after growing waits (3 s, 6 s, …) until the new change is there, then stops', async () => {
      vi.useFakeTimers();
      let arrived = false;
      const { client, props } = setup(async () => okResult({ events: arrived ? [imported, old] : [old], nextCursor: null }));
      await act(async () => render(<Panel {...props} />, container));
      await tick(0);
      expect(client.history).toHaveBeenCalledTimes(1);
      await act(async () => render(<Panel {...props} awaitImport={1} />, container));
      await tick(IMPORT_WAITS_MS[0]! - 1);
      expect(client.history).toHaveBeenCalledTimes(1);
      await tick(1);
      expect(client.history).toHaveBeenCalledTimes(2);
      expect(container.querySelectorAll('.change')).toHaveLength(1);
      arrived = true;
      await tick(IMPORT_WAITS_MS[1]!);
      await tick(0);
      expect(client.history).toHaveBeenCalledTimes(3);
      expect(container.querySelectorAll('.change')).toHaveLength(2);
      expect(container.querySelector('[data-source="liveperson"]')).not.toBeNull();
      // Found: no more reads.
      await tick(IMPORT_WAITS_MS.reduce((a, b) => a + b));
      expect(client.history).toHaveBeenCalledTimes(3);
    });

    it('gives up after about two minutes, and closing the panel ends the wait', async () => {
      expect(IMPORT_WAITS_MS.reduce((a, b) => a + b)).toBe(120_000);
      vi.useFakeTimers();
      const { client, props } = setup(async () => okResult({ events: [old], nextCursor: null }));
      await act(async () => render(<Panel {...props} awaitImport={1} />, container));
      await tick(0);
      for (const wait of [...IMPORT_WAITS_MS, 60_000, 60_000]) {
        await tick(wait);
        await tick(0);
      }
      expect(client.history).toHaveBeenCalledTimes(1 + IMPORT_WAITS_MS.length);

      client.history.mockClear();
      await act(async () => render(<Panel {...props} awaitImport={2} />, container));
      await tick(IMPORT_WAITS_MS[0]!);
      expect(client.history).toHaveBeenCalledTimes(1);
      await act(async () => render(null, container));
      for (const wait of IMPORT_WAITS_MS) await tick(wait);
      expect(client.history).toHaveBeenCalledTimes(1);
    });
  });

  it('"Load more" follows the cursor and appends the next page', async () => {
    const { client, props } = setup(async ({ cursor }) =>
      cursor === 'p2'
        ? okResult({ events: [event({ changeId: 'old', element: 'Email' })], nextCursor: null })
        : okResult({ events: [event({ changeId: 'new' }), event({ changeId: 'newer-than-old' })], nextCursor: 'p2' }),
    );
    await show(props);
    // The page's last change may go on in the next page: it waits for it.
    expect(container.querySelectorAll('.change')).toHaveLength(1);
    await act(async () => button('Load more')!.click());
    await act(settle);
    expect(client.history).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'p2', object: { objectType: 'user', objectId: '4711' } }),
    );
    expect([...container.querySelectorAll('.change')].map((li) => li.getAttribute('data-change-id'))).toEqual([
      'new',
      'newer-than-old',
      'old',
    ]);
    expect(button('Load more')).toBeUndefined();
  });

  it('never shows a change half: one that spans a page boundary is completed from the next pages', async () => {
    const rows = (changeId: string, n: number) => Array.from({ length: n }, (_, i) => event({ changeId, element: `E${i}` }));
    const pages: Record<string, { events: ReturnType<typeof event>[]; nextCursor: string | null }> = {
      first: { events: [...rows('a', 5), ...rows('big', 15)], nextCursor: 'p2' },
      p2: { events: rows('big', 20), nextCursor: 'p3' },
      p3: { events: [...rows('big', 3), ...rows('c', 17)], nextCursor: 'p4' },
      p4: { events: rows('d', 2), nextCursor: null },
    };
    const { client, props } = setup(async ({ cursor }) => okResult(pages[cursor ?? 'first']!));
    await show(props);
    const changes = () =>
      [...container.querySelectorAll('.change')].map((li) => [li.getAttribute('data-change-id'), li.querySelectorAll('.element').length]);
    expect(changes()).toEqual([['a', 5]]);
    await act(async () => button('Load more')!.click());
    await act(settle);
    // p2 is all "big", so p3 is read at once: "big" is shown whole (38 rows); "c" waits for p4.
    expect(client.history.mock.calls.map(([request]) => request.cursor)).toEqual([undefined, 'p2', 'p3']);
    expect(changes()).toEqual([
      ['a', 5],
      ['big', 38],
    ]);
    await act(async () => button('Load more')!.click());
    await act(settle);
    expect(changes()).toEqual([
      ['a', 5],
      ['big', 38],
      ['c', 17],
      ['d', 2],
    ]);
    expect(button('Load more')).toBeUndefined();
  });

  it('lists every element of the history in its filter, from the facets (not only the loaded ones)', async () => {
    const { client, props } = setup(async () => okResult({ events: [event({ element: 'Email' })], nextCursor: 'more' }));
    client.facets.mockResolvedValue(
      okResult({
        total: 30,
        elements: [
          { value: 'Email', count: 10 },
          { value: 'Member of', count: 15 },
          { value: 'Skills', count: 5 },
        ],
        originators: [],
        objectTypes: [],
        actions: [],
        days: [],
      }),
    );
    await show(props);
    expect(client.facets).toHaveBeenCalledWith({
      accountId: '12345678',
      object: { objectType: 'user', objectId: '4711' },
      filters: { tz: 'Europe/Berlin' },
      limit: ELEMENT_FACETS_LIMIT,
    });
    const options = [...container.querySelector('select')!.options];
    expect(options.map((o) => o.textContent)).toEqual(['All elements', 'Email (10)', 'Member of (15)', 'Skills (5)']);
    expect(options.map((o) => o.value)).toEqual(['', 'Email', 'Member of', 'Skills']);
  });

  it('asks the facets again without a limit when the API refuses it, and lists the loaded elements when it has no facets', async () => {
    const { client, props } = setup(async () => okResult({ events: [event({ element: 'Email' })], nextCursor: null }));
    const facets = { total: 1, elements: [{ value: 'Nickname', count: 1 }], originators: [], objectTypes: [], actions: [], days: [] };
    client.facets
      .mockResolvedValueOnce({
        ok: false,
        error: {
          kind: 'invalid',
          status: 400,
          detail: 'The query string is invalid; see errors.',
          errors: [{ path: 'query.limit', message: 'must be at most 50' }],
        },
      })
      .mockResolvedValueOnce(okResult(facets));
    await show(props);
    await act(settle);
    expect(client.facets.mock.calls.map(([request]) => request.limit)).toEqual([ELEMENT_FACETS_LIMIT, undefined]);
    expect([...container.querySelector('select')!.options].map((o) => o.value)).toEqual(['', 'Nickname']);
  });

  it('follows to another element: its history, the filter reset', async () => {
    const { client, props } = setup(async ({ object, element }) =>
      okResult({ events: [event({ objectId: object!.objectId, element: element ?? `of ${object!.objectId}` })], nextCursor: null }),
    );
    await show(props);
    await act(async () => {
      const select = container.querySelector('select')!;
      select.value = 'of 4711';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(settle);
    await act(async () => render(<Panel {...props} object={{ objectType: 'skill', objectId: '12' }} objectName="Billing" />, container));
    await act(settle);
    expect(client.history).toHaveBeenLastCalledWith(
      expect.objectContaining({ object: { objectType: 'skill', objectId: '12' }, element: undefined }),
    );
    expect(container.querySelector('.subject')!.textContent).toBe('Skill: Billing');
    expect(container.querySelector('select')!.value).toBe('');
    expect([...container.querySelector('select')!.options].map((o) => o.textContent)).toEqual(['All elements', 'of 12']);
  });

  it('filters by element', async () => {
    const { client, props } = setup(async ({ element }) =>
      okResult({
        events: element ? [event({ element })] : [event({ element: 'Email' }), event({ element: 'Skills', changeId: 'x' })],
        nextCursor: null,
      }),
    );
    await show(props);
    const select = container.querySelector('select')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['All elements', 'Email', 'Skills']);
    await act(async () => {
      select.value = 'Skills';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(settle);
    expect(client.history).toHaveBeenLastCalledWith(expect.objectContaining({ element: 'Skills' }));
    expect(container.querySelectorAll('.element')).toHaveLength(1);
  });

  it('says when there is nothing yet', async () => {
    const { props } = setup(async () => okResult({ events: [], nextCursor: null }));
    await show(props);
    expect(container.querySelector('[data-state="empty"]')!.textContent).toContain('No changes recorded for this user yet');
  });

  it.each([
    ['unauthorized', 'The token was not accepted', 'Open options'],
    ['forbidden', 'No permission', 'audit:read'],
    ['offline', 'cannot be reached', 'Try again'],
    ['not-configured', 'Not connected yet', 'Open options'],
  ] as const)('%s: says what happened and what to do', async (kind, title, hint) => {
    const { props } = setup(failing({ kind, detail: 'The token is not valid.' }));
    await show(props);
    const alert = container.querySelector(`[role="alert"][data-state="${kind}"]`)!;
    expect(alert.textContent).toContain(title);
    expect(alert.textContent).toContain(hint);
  });

  it('tries again after an offline error', async () => {
    let online = false;
    const { props } = setup(async () =>
      online ? okResult({ events: [event()], nextCursor: null }) : failing({ kind: 'offline', detail: '' })(),
    );
    await show(props);
    online = true;
    await act(async () => button('Try again')!.click());
    await act(settle);
    expect(container.querySelectorAll('.change')).toHaveLength(1);
  });

  it('offers Excel export only with audit:export, and exports this element', async () => {
    const history = async () => okResult({ events: [event()], nextCursor: null });
    const without = setup(history);
    await show(without.props);
    expect(button('Export to Excel')).toBeUndefined();
    const withExport = setup(history, { canExport: true });
    await show(withExport.props);
    await act(async () => button('Export to Excel')!.click());
    await act(settle);
    expect(withExport.client.export).toHaveBeenCalledWith({
      accountId: '12345678',
      filters: { objectType: ['user'], objectId: '4711', tz: 'Europe/Berlin' },
      format: 'xlsx',
      objectName: 'Jane Doe',
    });
    expect(text()).toContain('Downloading audit-trail_12345678_user-4711-Jane-Doe_all.xlsx');
  });

  it('without an open element shows the latest changes of the account', async () => {
    const { client, props } = setup(async () => okResult({ events: [event()], nextCursor: null }), { object: null, objectName: null });
    await show(props);
    expect(client.history).toHaveBeenCalledWith(expect.objectContaining({ object: null }));
    expect(container.querySelector('#audit-trail-subject')!.textContent).toBe('Latest changes in this account');
    expect(container.querySelector('.change-object')!.textContent).toBe('User: Jane Doe');
  });

  it('is a labelled dialog; Escape and × close it; "Open full audit trail" opens the page for this element', async () => {
    const { client, props } = setup(async () => okResult({ events: [], nextCursor: null }));
    await show(props);
    const dialog = container.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-labelledby')).toBe('audit-trail-title');
    expect(document.activeElement?.id).toBe('audit-trail-title');
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(props.onClose).toHaveBeenCalledTimes(1);
    container.querySelector<HTMLButtonElement>('button[aria-label="Close audit trail"]')!.click();
    expect(props.onClose).toHaveBeenCalledTimes(2);
    button('Open full audit trail')!.click();
    expect(client.openAuditTrail).toHaveBeenCalledWith({ accountId: '12345678', filters: { objectType: ['user'], objectId: '4711' } });
  });

  it("names the account's time zone, reads the history in it and starts below the host's top bar", async () => {
    const { client, props } = setup(async () => okResult({ events: [event({ occurredAt: '2026-10-01T22:30:00Z' })], nextCursor: null }), {
      top: 56,
    });
    await show(props);
    expect(container.querySelector('.zone')!.textContent).toBe('Times in Europe/Berlin');
    expect(client.history).toHaveBeenCalledWith(expect.objectContaining({ tz: 'Europe/Berlin' }));
    // 22:30Z on Oct 1 is Oct 2, 00:30 in Berlin: the day the filters would find it under.
    expect(container.querySelector('time')!.getAttribute('title')).toMatch(/Oct 2, 2026/);
    expect(container.querySelector<HTMLElement>('[role="dialog"]')!.style.top).toBe('56px');
  });

  it('reads the history again when the host saved', async () => {
    const { client, props } = setup(async () => okResult({ events: [event()], nextCursor: null }));
    await show(props);
    await show({ ...props, refreshKey: 1 });
    expect(client.history).toHaveBeenCalledTimes(2);
    expect(container.querySelector('[data-state="loading"]')).toBeNull();
  });
});
