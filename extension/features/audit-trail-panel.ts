// Feature: the history drawer, in a shadow root (host CSS cannot reach it, its CSS cannot
// leak). Opened from the menu entry; Esc (wherever focus is: the host's menu may take it
// back when it closes) or × closes it and focus goes back to where the admin came from.
// It opens below the host's top bar, so the account-settings button stays reachable.
// The Preact UI itself is loaded on first use (ui/panel-module.tsx).
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi, type ShadowRootContentScriptUi } from 'wxt/utils/content-script-ui/shadow-root';
import { findMenuButton, objectNameFrom, type PageContext } from '../host/agent-workspace';
import { userTimeZone } from '../format/time';
import type { Access, Client } from '../messaging/protocol';
import { PANEL_GLOBAL, type PanelModule } from '../ui/panel-handoff';

export const PANEL_TAG = 'audit-trail-panel';

export interface OpenOptions {
  page: PageContext;
  access: Access | null;
  /** Focus goes back here when the panel closes (if it is still in the page). */
  opener: HTMLElement | null;
}

export interface PanelController {
  open(options: OpenOptions): Promise<void>;
  close(restoreFocus?: boolean): void;
  /** The host saved something: read the history again. */
  refresh(): void;
  /** The save goes through LivePerson's connector: read again, with growing waits, until it is there. */
  awaitImport(): void;
  /** The admin went on to another element (or the list) of the same account: the open panel shows its history. */
  follow(page: PageContext): void;
  readonly isOpen: boolean;
}

/** Loads panel.js once; it leaves its module on the isolated world's global. */
export async function loadPanelModule(): Promise<PanelModule> {
  const global = globalThis as Record<string, unknown>;
  if (!global[PANEL_GLOBAL]) await import(/* @vite-ignore */ browser.runtime.getURL('/panel.js'));
  const module = global[PANEL_GLOBAL] as PanelModule | undefined;
  if (!module) throw new Error('The panel did not load.');
  return module;
}

/** Where the drawer starts: below the host's top bar (its account-settings button), so it never covers the button. */
export function panelTop(doc: Document): number {
  const button = findMenuButton(doc);
  if (!button) return 0;
  const bottom = Math.ceil(button.getBoundingClientRect().bottom);
  // A button scrolled away or taller than a top bar: fall back to the top of the window.
  return bottom > 0 && bottom < 200 ? bottom + 8 : 0;
}

export function createPanelController(
  ctx: ContentScriptContext,
  client: Client,
  doc: Document = document,
  load: () => Promise<PanelModule> = loadPanelModule,
): PanelController {
  let ui: Promise<ShadowRootContentScriptUi<HTMLElement>> | undefined;
  let module: PanelModule | undefined;
  let current: ShadowRootContentScriptUi<HTMLElement> | undefined;
  let state: (OpenOptions & { refreshKey: number; awaitImport: number }) | undefined;
  // Ends the listeners of one opening (Esc on the document).
  let opened: AbortController | undefined;
  // The host renders the next element's form after its route changed: its name is drawn once it is there.
  let nameWatch: MutationObserver | undefined;
  let nameTimer: ReturnType<typeof setTimeout> | undefined;
  const stopNameWatch = () => {
    nameWatch?.disconnect();
    nameWatch = undefined;
    clearTimeout(nameTimer);
  };

  const draw = () => {
    if (!current?.mounted || !state || !module) return;
    const { page, access } = state;
    module.render(current.mounted, {
      client,
      accountId: page.accountId,
      object: page.object,
      objectName: page.object ? objectNameFrom(doc) : null,
      canExport: access?.canExport ?? false,
      refreshKey: state.refreshKey,
      awaitImport: state.awaitImport,
      // The account's zone, as the day filters and the exports use it; named on screen.
      timeZone: access?.timeZone ?? userTimeZone(),
      top: panelTop(doc),
      onClose: () => controller.close(true),
    });
  };

  const createUi = async () => {
    module = await load();
    const panel = module;
    return createShadowRootUi(ctx, {
      name: PANEL_TAG,
      position: 'inline',
      anchor: 'body',
      append: 'last',
      css: panel.css,
      isolateEvents: true,
      onMount: (container) => container,
      onRemove: (container) => {
        if (container) panel.unmount(container);
      },
    });
  };

  const controller: PanelController = {
    get isOpen() {
      return !!current?.mounted;
    },
    async open(options) {
      state = { ...options, refreshKey: 0, awaitImport: 0 };
      ui ??= createUi();
      let created: ShadowRootContentScriptUi<HTMLElement>;
      try {
        created = await ui;
      } catch {
        ui = undefined;
        return;
      }
      if (ctx.isInvalid || state === undefined) return;
      current = created;
      if (current.mounted) current.remove();
      current.mount();
      opened?.abort();
      opened = new AbortController();
      doc.addEventListener(
        'keydown',
        (event) => {
          // The host's own Esc handling (closing its menu) runs too.
          if (event.key === 'Escape' && controller.isOpen) controller.close(true);
        },
        { signal: AbortSignal.any([opened.signal, ctx.signal]), capture: true },
      );
      draw();
    },
    close(restoreFocus = false) {
      const opener = state?.opener;
      state = undefined;
      stopNameWatch();
      opened?.abort();
      opened = undefined;
      if (!current?.mounted) return;
      current.remove();
      if (restoreFocus && opener?.isConnected) opener.focus();
    },
    refresh() {
      if (!state) return;
      state.refreshKey++;
      draw();
    },
    awaitImport() {
      if (!state) return;
      state.awaitImport++;
      draw();
    },
    follow(page) {
      if (!state || !current?.mounted) return;
      if (page.accountId !== state.page.accountId) return controller.close();
      state = { ...state, page, awaitImport: 0 };
      draw();
      stopNameWatch();
      if (!page.object || typeof MutationObserver === 'undefined') return;
      let drawnName = objectNameFrom(doc);
      nameWatch = new MutationObserver(() => {
        const name = objectNameFrom(doc);
        if (name === drawnName) return;
        drawnName = name;
        draw();
      });
      nameWatch.observe(doc.body, {
        childList: true,
        subtree: true,
        characterData: true,
        attributes: true,
        attributeFilter: ['aria-label'],
      });
      // The form is there within moments of the route change; no need to watch the page longer.
      nameTimer = setTimeout(stopNameWatch, 5_000);
    },
  };
  ctx.onInvalidated(() => controller.close());
  return controller;
}
