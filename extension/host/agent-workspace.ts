// Everything the extension knows about the host page — the Agent Workspace
// (https://*.liveperson.net/*) and, in the demo build, the demo workspace (localhost) —
// lives in this file: URLs, the account-settings menu, the element being edited, when a
// form was saved. Adapting to a change of the live page touches this file and its fixtures
// (test/extension/fixtures/) only. Each selector says where it is expected.
// Which hosts those are: host/hosts.ts.
import type { ObjectType } from '../../shared/vocabulary';
import type { ObjectRef } from '../messaging/protocol';

/** Hash-route segment → object type: `#/users/4711`, `#/agentGroups/12`, … */
export const ROUTES: Record<string, ObjectType> = {
  users: 'user',
  skills: 'skill',
  agentGroups: 'agentGroup',
  profiles: 'profile',
  lobs: 'lob',
  postConversationSurveys: 'postConversationSurvey',
  campaignSchedules: 'campaignSchedule',
  workingHours: 'workingHours',
  predefinedContent: 'predefinedContent',
  contentCategories: 'contentCategory',
  agentSurveys: 'agentSurvey',
  automaticMessages: 'automaticMessage',
  specialOccasions: 'specialOccasion',
};

export const SELECTORS = {
  /** Any page of the workspace: the top-right button that opens the account-settings menu. */
  menuButton: 'button[aria-label="Account settings"], [role="button"][aria-label="Account settings"], button',
  /** Created only while open: the menu, and its entries. */
  menu: '[role="menu"]',
  menuItem: '[role="menuitem"]',
  /** On an element's page (`#/users/4711`): the edit form, labelled by a heading holding the element's name. */
  editForm: 'form[aria-labelledby]',
} as const;

export const ACCOUNT_SETTINGS_NAME = 'Account settings';

export interface PageContext {
  accountId: string;
  /** The element being edited, if one is open. */
  object: ObjectRef | null;
}

type Where = Pick<Location, 'pathname' | 'hash'>;

/** The account id from the path: `/a/{accountId}/…`. */
export function accountIdFrom(where: Where): string | null {
  const match = /^\/a\/([^/]+)(?:\/|$)/.exec(where.pathname);
  if (!match) return null;
  try {
    const id = decodeURIComponent(match[1]!);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what an id may not contain
    return /^[^\s\u0000-\u001f\u007f/]{1,200}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** The element from the hash route: `#/users/4711` → user 4711; `#/users` (a list) → null. */
export function objectFrom(where: Where): ObjectRef | null {
  const match = /^#!?\/([A-Za-z]+)\/([^/?#]+)\/?(?:[?].*)?$/.exec(where.hash);
  if (!match) return null;
  const objectType = Object.hasOwn(ROUTES, match[1]!) ? ROUTES[match[1]!] : undefined;
  if (!objectType) return null;
  let objectId: string;
  try {
    objectId = decodeURIComponent(match[2]!);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what an id may not contain
  if (!/^[^\s\u0000-\u001f\u007f]{1,200}$/.test(objectId) || objectId === 'new') return null;
  return { objectType, objectId };
}

export function pageContext(where: Where): PageContext | null {
  const accountId = accountIdFrom(where);
  return accountId === null ? null : { accountId, object: objectFrom(where) };
}

export const sameContext = (a: PageContext | null, b: PageContext | null) =>
  a?.accountId === b?.accountId && a?.object?.objectType === b?.object?.objectType && a?.object?.objectId === b?.object?.objectId;

/** The accessible name of an element, as far as this page needs it: aria-label, aria-labelledby, else its text. */
export function accessibleName(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return label.trim();
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) {
    const doc = element.ownerDocument;
    const text = labelledBy
      .split(/\s+/)
      .map((id) => doc.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim();
    if (text) return text.replace(/\s+/g, ' ');
  }
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The top-right "Account settings" button. */
export function findMenuButton(root: ParentNode): HTMLElement | null {
  for (const element of root.querySelectorAll<HTMLElement>(SELECTORS.menuButton)) {
    if (accessibleName(element) === ACCOUNT_SETTINGS_NAME) return element;
  }
  return null;
}

/** The open account-settings menu: the one the button controls, else a menu labelled by or next to it. */
export function findAccountMenu(root: Document): HTMLElement | null {
  const button = findMenuButton(root);
  if (!button) return null;
  const controls = button.getAttribute('aria-controls');
  const controlled = controls ? root.getElementById(controls) : null;
  if (controlled?.matches(SELECTORS.menu)) return controlled;
  for (const menu of root.querySelectorAll<HTMLElement>(SELECTORS.menu)) {
    if (button.id && menu.getAttribute('aria-labelledby')?.split(/\s+/).includes(button.id)) return menu;
  }
  // No reference either way: a menu beside the button that no other control claims.
  for (const menu of button.parentElement?.querySelectorAll<HTMLElement>(SELECTORS.menu) ?? []) {
    const claimed =
      menu.hasAttribute('aria-labelledby') ||
      (menu.hasAttribute('aria-label') && accessibleName(menu) !== ACCOUNT_SETTINGS_NAME) ||
      (menu.id !== '' && root.querySelector(`[aria-controls="${CSS.escape(menu.id)}"]`) !== null);
    if (!claimed) return menu;
  }
  return null;
}

/** The open element's name as the page shows it (the edit form's heading), if any. */
export function objectNameFrom(root: Document): string | null {
  const form = root.querySelector<HTMLElement>(SELECTORS.editForm);
  if (!form) return null;
  const name = accessibleName(form);
  return name || null;
}

/**
 * Calls `onSaved` after the host page saved an element. The demo workspace dispatches
 * `agent-workspace:saved` on the document once its save request has been answered; the
 * live page gives no such signal, so a form submit counts as a save after `fallbackMs`.
 */
export function watchSaves(root: Document, signal: AbortSignal, onSaved: () => void, fallbackMs = 2000): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!signal.aborted) onSaved();
  };
  root.addEventListener('agent-workspace:saved', fire, { signal });
  root.addEventListener(
    'submit',
    () => {
      clearTimeout(timer);
      timer = setTimeout(fire, fallbackMs);
    },
    { signal, capture: true },
  );
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
}

/**
 * Builds a menu entry that looks like the host's own: same tag and classes as an existing
 * entry. The host's keyboard handling finds it as one more `role="menuitem"`.
 */
export function createMenuItem(menu: HTMLElement, label: string): HTMLElement {
  const template = menu.querySelector<HTMLElement>(SELECTORS.menuItem);
  const item = menu.ownerDocument.createElement(template?.tagName === 'A' ? 'button' : (template?.tagName.toLowerCase() ?? 'button'));
  if (template?.className) item.className = template.className;
  item.setAttribute('role', 'menuitem');
  item.setAttribute('tabindex', '-1');
  if (item instanceof HTMLButtonElement) item.type = 'button';
  item.textContent = label;
  return item;
}

/** Puts the entry after the menu's last entry; returns the node to remove to undo it. */
export function appendMenuItem(menu: HTMLElement, item: HTMLElement): HTMLElement {
  const items = menu.querySelectorAll(SELECTORS.menuItem);
  const last = items[items.length - 1];
  if (last && last.parentElement) {
    // A host that wraps entries (<li role="none"><button role="menuitem">) gets the same wrapper.
    const wrapper = last.parentElement !== menu ? last.parentElement : null;
    if (wrapper && wrapper.parentElement) {
      const shell = wrapper.cloneNode(false) as HTMLElement;
      shell.append(item);
      wrapper.after(shell);
      return shell;
    }
    last.after(item);
    return item;
  }
  menu.append(item);
  return item;
}
