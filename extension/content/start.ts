// The content script's wiring: read the page, ask the background what the token may do,
// then run the features for as long as the page shows the same account and element.
// Hash and history navigation end the run (its AbortSignal) and start a new one; an open
// panel follows to the next element of the same account.
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { findMenuButton, pageContext, sameContext, watchSaves, type PageContext } from '../host/agent-workspace';
import type { Result } from '../api/client';
import type { Access, Client } from '../messaging/protocol';
import { injectMenuItem } from '../features/audit-trail-menu-item';
import type { PanelController } from '../features/audit-trail-panel';

export interface StartDeps {
  client: Client;
  doc: Document;
  where: Pick<Location, 'pathname' | 'hash'>;
  panel: PanelController;
}

export function startAuditTrail(ctx: ContentScriptContext, deps: StartDeps): void {
  let current: PageContext | null = null;
  let run: AbortController | undefined;
  // What may this token do here? For the menu entry an answer is kept per account; a failure
  // (bad token, offline, options not set yet) is not, so the next navigation asks again. The
  // panel asks afresh each time it opens: fixing the options shows export without a reload.
  const accessByAccount = new Map<string, Promise<Result<Access>>>();
  const askAccess = (accountId: string) => {
    let access = accessByAccount.get(accountId);
    if (!access) {
      access = deps.client.access({ accountId });
      accessByAccount.set(accountId, access);
      void access.then((result) => {
        if (!result.ok && accessByAccount.get(accountId) === access) accessByAccount.delete(accountId);
      });
    }
    return access;
  };

  const activate = async (page: PageContext, signal: AbortSignal) => {
    const result = await askAccess(page.accountId);
    if (signal.aborted) return;
    // Like the platform's own permission: a token without audit:read gets no menu entry.
    // Any other failure (bad token, offline) keeps the entry, so the panel can say what to do.
    if (result.ok && !result.value.canRead) return;
    injectMenuItem(deps.doc, signal, {
      onSelect: (opener) =>
        void (async () => {
          // Asked afresh on each opening: the options (token) may have changed since the page loaded.
          const now = await deps.client.access({ accountId: page.accountId });
          if (signal.aborted) return;
          if (now.ok) accessByAccount.set(page.accountId, Promise.resolve(now));
          await deps.panel.open({ page, access: now.ok ? now.value : null, opener: opener ?? findMenuButton(deps.doc) });
        })(),
    });
    watchSaves(deps.doc, signal, () => {
      deps.panel.refresh();
      // A save in LivePerson reaches the audit trail through the connector: ask it to sync now
      // (the background does so only if LivePerson is connected and the token is an admin's),
      // and let the open panel look again until the change is imported.
      void deps.client.afterSave({ accountId: page.accountId }).then((result) => {
        if (!signal.aborted && result.ok && result.value.syncRequested) deps.panel.awaitImport();
      });
    });
  };

  const update = () => {
    const next = pageContext(deps.where);
    if (run && sameContext(current, next)) return;
    const previous = current;
    current = next;
    run?.abort();
    run = undefined;
    // The open panel follows the admin to the next element of the same account; anything else closes it.
    if (next && previous && next.accountId === previous.accountId && deps.panel.isOpen && !ctx.isInvalid) deps.panel.follow(next);
    else deps.panel.close();
    if (!next || ctx.isInvalid) return;
    run = new AbortController();
    void activate(next, AbortSignal.any([run.signal, ctx.signal]));
  };

  update();
  ctx.addEventListener(window, 'wxt:locationchange', update);
  ctx.addEventListener(window, 'hashchange', update);
  ctx.addEventListener(window, 'popstate', update);
  ctx.onInvalidated(() => run?.abort());
}
