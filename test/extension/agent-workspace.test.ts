// The host adapter against URL tables and fixture pages (the live page's shape, the demo
// workspace itself, and pages with other menus).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accountIdFrom,
  appendMenuItem,
  createMenuItem,
  findAccountMenu,
  findMenuButton,
  objectFrom,
  objectNameFrom,
  pageContext,
  ROUTES,
  sameContext,
  watchSaves,
} from '../../extension/host/agent-workspace';
import { OBJECT_TYPES } from '../../shared/vocabulary';
import { demoFile, fixture, settle } from './support';

const at = (pathname: string, hash = '') => ({ pathname, hash });

describe('URLs', () => {
  it.each([
    ['/a/12345678/', '12345678'],
    ['/a/12345678', '12345678'],
    ['/a/le12%2034/#/users', null],
    ['/a/demo-acct/settings/users', 'demo-acct'],
    ['/', null],
    ['/b/12345678/', null],
    ['/a//', null],
    ['/a/%E0%A4%A/', null],
  ])('account id of %s is %s', (pathname, expected) => {
    expect(accountIdFrom(at(pathname))).toBe(expected);
  });

  it.each([
    ['#/users/4711', { objectType: 'user', objectId: '4711' }],
    ['#/users/4711/', { objectType: 'user', objectId: '4711' }],
    ['#/skills/3101', { objectType: 'skill', objectId: '3101' }],
    ['#/agentGroups/-1', { objectType: 'agentGroup', objectId: '-1' }],
    ['#/profiles/1101', { objectType: 'profile', objectId: '1101' }],
    ['#/lobs/77', { objectType: 'lob', objectId: '77' }],
    ['#/workingHours/5', { objectType: 'workingHours', objectId: '5' }],
    ['#/contentCategories/9', { objectType: 'contentCategory', objectId: '9' }],
    ['#!/users/4711', { objectType: 'user', objectId: '4711' }],
    ['#/users/4711?tab=skills', { objectType: 'user', objectId: '4711' }],
    ['#/users', null],
    ['#/users/', null],
    ['#/users/new', null],
    ['#/campaigns/1', null],
    ['#/constructor/1', null],
    ['#/__proto__/1', null],
    ['', null],
    ['#/users/4711/skills/3', null],
  ])('element of %s', (hash, expected) => {
    expect(objectFrom(at('/a/1/', hash))).toEqual(expected);
  });

  it('routes cover every object type of the reference page', () => {
    expect(new Set(Object.values(ROUTES))).toEqual(new Set(OBJECT_TYPES));
  });

  it('tells contexts apart by account and element', () => {
    const user = pageContext(at('/a/1/', '#/users/4711'));
    expect(user).toEqual({ accountId: '1', object: { objectType: 'user', objectId: '4711' } });
    expect(sameContext(user, pageContext(at('/a/1/', '#/users/4711')))).toBe(true);
    expect(sameContext(user, pageContext(at('/a/1/', '#/users/4712')))).toBe(false);
    expect(sameContext(user, pageContext(at('/a/2/', '#/users/4711')))).toBe(false);
    expect(sameContext(pageContext(at('/a/1/', '#/users')), pageContext(at('/a/1/', '#/skills')))).toBe(true);
    expect(pageContext(at('/elsewhere'))).toBeNull();
  });
});

describe('a page shaped like the live Agent Workspace', () => {
  beforeEach(() => {
    document.body.innerHTML = fixture('liveperson-menu-open.html');
  });

  it('finds the button by its accessible name and the menu it labels', () => {
    expect(findMenuButton(document)?.id).toBe('acc-settings-btn');
    expect(findAccountMenu(document)?.classList.contains('dropdown-menu')).toBe(true);
  });

  it("builds the entry like the host's own, in the same wrapper", () => {
    const menu = findAccountMenu(document)!;
    const item = createMenuItem(menu, 'Audit trail');
    const added = appendMenuItem(menu, item);
    expect(item.tagName).toBe('BUTTON');
    expect(item.className).toBe('dropdown-item');
    expect(item.getAttribute('role')).toBe('menuitem');
    expect(added.tagName).toBe('LI');
    expect(added.getAttribute('role')).toBe('none');
    expect([...menu.querySelectorAll('[role="menuitem"]')].map((e) => e.textContent)).toEqual([
      'Account details',
      'My preferences',
      'Log out',
      'Audit trail',
    ]);
  });

  it("reads the element's name from the edit form's heading", () => {
    expect(objectNameFrom(document)).toBe('Jane Doe');
  });
});

describe('pages with other menus', () => {
  it('finds no account-settings menu while it is closed', () => {
    document.body.innerHTML = fixture('other-menus.html');
    expect(findMenuButton(document)?.getAttribute('aria-label')).toBe('Account settings');
    expect(findAccountMenu(document)).toBeNull();
    expect(objectNameFrom(document)).toBeNull();
  });
});

describe('the demo workspace (test/fixtures/agent-workspace)', () => {
  beforeEach(() => {
    const html = demoFile('index.html');
    document.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!;
    window.history.replaceState(null, '', '/a/12345678/#/users/4711');
    (window as unknown as { AGENT_WORKSPACE: unknown }).AGENT_WORKSPACE = {
      apiUrl: 'http://127.0.0.1:1',
      accountId: '12345678',
      token: 'atr_x',
      originator: { id: '4715', name: 'Amy Admin' },
      data: JSON.parse(demoFile('data.json')),
    };
    sessionStorage.clear();
    new Function(demoFile('app.js'))();
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('follows the host page contract', async () => {
    expect(pageContext(window.location)).toEqual({ accountId: '12345678', object: { objectType: 'user', objectId: '4711' } });
    expect(objectNameFrom(document)).toBe('Jane Doe');
    expect(findAccountMenu(document)).toBeNull();
    findMenuButton(document)!.click();
    const menu = findAccountMenu(document);
    expect(menu?.getAttribute('role')).toBe('menu');
    expect(menu?.querySelectorAll('[role="menuitem"]')).toHaveLength(3);
    findMenuButton(document)!.click();
    expect(findAccountMenu(document)).toBeNull();
    await settle();
  });

  it('has the user fields of the issue', () => {
    const labels = [...document.querySelectorAll('form label, form legend')].map((l) => l.firstChild?.textContent?.trim());
    expect(labels).toEqual(expect.arrayContaining(['Name', 'Login name', 'Email', 'Profile', 'Skills', 'Member of', 'New password']));
  });
});

describe('watchSaves', () => {
  it('reports the host saved signal, and a bare submit after the fallback delay', async () => {
    document.body.innerHTML = '<form><button>Save</button></form>';
    const controller = new AbortController();
    const saves: string[] = [];
    watchSaves(document, controller.signal, () => saves.push('saved'), 10);
    document.dispatchEvent(new CustomEvent('agent-workspace:saved'));
    expect(saves).toEqual(['saved']);
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(saves).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(saves).toHaveLength(2);
    controller.abort();
    document.dispatchEvent(new CustomEvent('agent-workspace:saved'));
    expect(saves).toHaveLength(2);
  });
});
