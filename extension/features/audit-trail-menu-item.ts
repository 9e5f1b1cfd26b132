// Feature: an "Audit trail" entry in the Agent Workspace's account-settings menu.
// The menu is created each time it opens, possibly late: every menu that appears gets the
// entry once (it is marked), and aborting the signal removes the entries and stops watching.
import { appendMenuItem, createMenuItem, findAccountMenu, findMenuButton } from '../host/agent-workspace';
import { observeDocument } from './observe';

export const MENU_ITEM_LABEL = 'Audit trail';
/** Marks the entry (and the menus that have one): injection is idempotent. */
export const MARK = 'data-audit-trail';

export interface MenuItemOptions {
  /** Called when the entry is chosen; `opener` is where focus goes back to afterwards. */
  onSelect: (opener: HTMLElement | null) => void;
}

/** Adds the entry to `menu` unless it has one; returns the added entry or null. */
export function addMenuItem(menu: HTMLElement, signal: AbortSignal, options: MenuItemOptions): HTMLElement | null {
  if (signal.aborted || menu.querySelector(`[${MARK}]`)) return null;
  const item = createMenuItem(menu, MENU_ITEM_LABEL);
  item.setAttribute(MARK, '');
  const select = (event: Event) => {
    event.preventDefault();
    options.onSelect(findMenuButton(menu.ownerDocument));
  };
  item.addEventListener('click', select, { signal });
  item.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Enter' || event.key === ' ') select(event);
    },
    { signal },
  );
  const added = appendMenuItem(menu, item);
  signal.addEventListener('abort', () => added.remove(), { once: true });
  return item;
}

/** Watches the page for the account-settings menu and adds the entry to each one that appears. */
export function injectMenuItem(root: Document, signal: AbortSignal, options: MenuItemOptions): void {
  observeDocument(root, signal, () => {
    const menu = findAccountMenu(root);
    if (menu) addMenuItem(menu, signal, options);
  });
}
