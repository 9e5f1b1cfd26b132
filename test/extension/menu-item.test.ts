// The "Audit trail" entry: added once per menu, to menus that appear late, removed on abort.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addMenuItem, injectMenuItem, MARK } from '../../extension/features/audit-trail-menu-item';
import { settle } from './support';

const page = `
  <header><div class="account">
    <button id="settings" aria-label="Account settings" aria-controls="account-menu">⚙</button>
  </div></header>`;
const menuHtml = `<div id="account-menu" role="menu"><button role="menuitem" class="menu-item">Sign out</button></div>`;

function openMenu() {
  document.querySelector('.account')!.insertAdjacentHTML('beforeend', menuHtml);
}
const entries = () => [...document.querySelectorAll(`[${MARK}]`)];

describe('audit-trail-menu-item', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('adds the entry once, however often the page changes', async () => {
    document.body.innerHTML = page;
    openMenu();
    const controller = new AbortController();
    injectMenuItem(document, controller.signal, { onSelect: () => {} });
    injectMenuItem(document, controller.signal, { onSelect: () => {} });
    document.body.append(document.createElement('div'));
    await settle();
    expect(entries()).toHaveLength(1);
    expect(entries()[0]!.textContent).toBe('Audit trail');
    expect(entries()[0]!.getAttribute('role')).toBe('menuitem');
    expect(entries()[0]!.className).toBe('menu-item');
    controller.abort();
  });

  it('adds the entry to a menu that appears late, and to each new menu', async () => {
    document.body.innerHTML = page;
    const controller = new AbortController();
    injectMenuItem(document, controller.signal, { onSelect: () => {} });
    await settle();
    expect(entries()).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    openMenu();
    await settle();
    expect(entries()).toHaveLength(1);
    document.getElementById('account-menu')!.remove();
    await settle();
    openMenu();
    await settle();
    expect(entries()).toHaveLength(1);
    controller.abort();
  });

  it('removes the entry and stops watching when aborted', async () => {
    document.body.innerHTML = page;
    openMenu();
    const controller = new AbortController();
    injectMenuItem(document, controller.signal, { onSelect: () => {} });
    await settle();
    expect(entries()).toHaveLength(1);
    controller.abort();
    expect(entries()).toHaveLength(0);
    document.getElementById('account-menu')!.remove();
    openMenu();
    await settle();
    expect(entries()).toHaveLength(0);
  });

  it('calls onSelect with the menu button on click, Enter and Space', () => {
    document.body.innerHTML = page;
    openMenu();
    const onSelect = vi.fn();
    const item = addMenuItem(document.getElementById('account-menu')!, new AbortController().signal, { onSelect })!;
    item.click();
    item.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    item.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
    item.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    expect(onSelect).toHaveBeenCalledTimes(3);
    expect(onSelect.mock.calls[0]![0]).toBe(document.getElementById('settings'));
  });

  it('does nothing with an aborted signal', () => {
    document.body.innerHTML = page;
    openMenu();
    const controller = new AbortController();
    controller.abort();
    expect(addMenuItem(document.getElementById('account-menu')!, controller.signal, { onSelect: () => {} })).toBeNull();
    injectMenuItem(document, controller.signal, { onSelect: () => {} });
    expect(entries()).toHaveLength(0);
  });
});
