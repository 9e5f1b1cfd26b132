// The background service worker's wiring: the handlers on the runtime's messages, with the
// browser's fetch, storage, tabs and downloads as their dependencies.
import { browser } from 'wxt/browser';
import { fail } from '../api/client';
import { dispatch } from '../messaging/protocol';
import { connectionItem } from './connection';
import { backgroundHandlers, type BackgroundDeps } from './handlers';

/** Wires the handlers to the runtime. Answers through `sendResponse` (Chrome) or a promise (Firefox, fakes). */
export function startBackground(deps: BackgroundDeps = browserDeps()): void {
  const handlers = backgroundHandlers(deps);
  // Keep the token out of content scripts' reach where the browser allows it (Chrome).
  const local = browser.storage.local as { setAccessLevel?: (o: { accessLevel: string }) => Promise<void> };
  local.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' }).catch(() => {});
  browser.runtime.onMessage.addListener(((message: unknown, sender: { id?: string }, sendResponse?: (reply: unknown) => void) => {
    if (sender.id !== undefined && sender.id !== browser.runtime.id) return undefined;
    const reply = dispatch(handlers, message);
    if (!reply) return undefined;
    if (!sendResponse) return reply;
    reply.then(sendResponse, (error: unknown) => sendResponse(fail('server', String(error))));
    return true;
  }) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
}

function browserDeps(): BackgroundDeps {
  return {
    fetch: (input, init) => fetch(input, init),
    loadConnection: () => connectionItem.getValue(),
    saveConnection: (connection) => connectionItem.setValue(connection),
    openTab: async (url) => {
      await browser.tabs.create({ url });
    },
    pageUrl: (path) => browser.runtime.getURL(path as '/audit-trail.html'),
    openOptions: () => browser.runtime.openOptionsPage(),
    // The link is single-use and dies within a minute; the browser streams it to disk.
    download: async ({ url, filename }) => {
      await browser.downloads.download({ url, filename, saveAs: false, conflictAction: 'uniquify' });
    },
  };
}
