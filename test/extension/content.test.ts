// The content script's wiring and the drawer's controller, in happy-dom with WXT's fake
// browser: access asked again after a failure, Esc from anywhere, the drawer below the
// host's top bar, and no CSS file requested that does not exist.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { startAuditTrail } from '../../extension/content/start';
import contentScript from '../../extension/entrypoints/agent-workspace.content';
import { createPanelController, panelTop, type PanelController } from '../../extension/features/audit-trail-panel';
import { objectNameFrom } from '../../extension/host/agent-workspace';
import { MARK } from '../../extension/features/audit-trail-menu-item';
import type { Result } from '../../extension/api/client';
import type { Access, Client } from '../../extension/messaging/protocol';
import type { PanelModule } from '../../extension/ui/panel-handoff';
import type { PanelProps } from '../../extension/ui/panel';
import { settle } from './support';

const page = `
  <header style="height: 48px"><div class="account">
    <button id="settings" aria-label="Account settings" aria-controls="account-menu">⚙</button>
    <div id="account-menu" role="menu"><button role="menuitem">Sign out</button></div>
  </div></header>
  <input id="host-field">`;

const granted = (canExport: boolean): Access => ({
  accountId: '123',
  scopes: canExport ? ['audit:read', 'audit:export'] : ['audit:read'],
  canRead: true,
  canExport,
  timeZone: 'Europe/Berlin',
});
const access = (canExport: boolean): Result<Access> => ({ ok: true, value: granted(canExport) });

let ctx: ContentScriptContext;
beforeEach(() => {
  fakeBrowser.reset();
  document.body.innerHTML = page;
  ctx = new ContentScriptContext('agent-workspace', contentScript);
});
afterEach(() => {
  ctx.abort();
  document.body.innerHTML = '';
});

/** A panel module that records what the drawer was drawn with. */
function fakeModule() {
  const drawn: PanelProps[] = [];
  const module: PanelModule = {
    css: '.panel{}',
    render: (_container, props) => void drawn.push(props),
    unmount: () => {},
  };
  return { module, drawn };
}

describe('content script', () => {
  it('asks again what the token may do when the panel opens, so export appears (or goes) once the options are changed', async () => {
    const client = {
      access: vi
        .fn<Client['access']>()
        .mockResolvedValueOnce({ ok: false, error: { kind: 'unauthorized', status: 401, detail: 'The token is not valid.' } })
        .mockResolvedValue(access(true)),
    } as unknown as Client;
    const opened: (Access | null)[] = [];
    const panel: PanelController = {
      open: async (o) => void opened.push(o.access),
      close: () => {},
      refresh: () => {},
      awaitImport: () => {},
      follow: () => {},
      isOpen: false,
    };
    startAuditTrail(ctx, { client, doc: document, where: { pathname: '/a/123/', hash: '#/users/4711' }, panel });
    await settle();
    const entry = document.querySelector<HTMLElement>(`[${MARK}]`)!;
    expect(entry).not.toBeNull();
    entry.click();
    await settle();
    expect(opened[0]).toMatchObject({ canExport: true });
    // A token changed in the options (now read-only) is seen at the next opening too.
    vi.mocked(client.access).mockResolvedValue(access(false));
    entry.click();
    await settle();
    expect(opened[1]).toMatchObject({ canExport: false });
  });

  it('after a save asks the background to sync LivePerson, and the panel waits for the import only if a sync was asked for', async () => {
    let syncRequested = true;
    const client = {
      access: vi.fn<Client['access']>(async () => access(false)),
      afterSave: vi.fn<Client['afterSave']>(async () => ({ ok: true, value: { syncRequested } })),
    } as unknown as Client;
    const panel = { open: vi.fn(), close: vi.fn(), refresh: vi.fn(), awaitImport: vi.fn(), follow: vi.fn(), isOpen: true };
    startAuditTrail(ctx, { client, doc: document, where: { pathname: '/a/123/', hash: '#/users/4711' }, panel });
    await settle();
    document.dispatchEvent(new CustomEvent('agent-workspace:saved'));
    await settle();
    expect(panel.refresh).toHaveBeenCalledTimes(1);
    expect(client.afterSave).toHaveBeenCalledWith({ accountId: '123' });
    expect(panel.awaitImport).toHaveBeenCalledTimes(1);

    syncRequested = false;
    document.dispatchEvent(new CustomEvent('agent-workspace:saved'));
    await settle();
    expect(client.afterSave).toHaveBeenCalledTimes(2);
    expect(panel.refresh).toHaveBeenCalledTimes(2);
    expect(panel.awaitImport).toHaveBeenCalledTimes(1);
  });

  it('an open panel follows the admin to the next element of the account; another account closes it', async () => {
    const client = { access: vi.fn<Client['access']>(async () => access(false)) } as unknown as Client;
    const panel = { open: vi.fn(), close: vi.fn(), refresh: vi.fn(), awaitImport: vi.fn(), follow: vi.fn(), isOpen: true };
    const where = { pathname: '/a/123/', hash: '#/users/4711' };
    startAuditTrail(ctx, { client, doc: document, where, panel });
    await settle();
    panel.close.mockClear();
    where.hash = '#/skills/12';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(panel.follow).toHaveBeenCalledWith({ accountId: '123', object: { objectType: 'skill', objectId: '12' } });
    expect(panel.close).not.toHaveBeenCalled();
    where.pathname = '/a/999/';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(panel.close).toHaveBeenCalledTimes(1);
    expect(panel.follow).toHaveBeenCalledTimes(1);
  });

  it('brings its CSS in the panel module: WXT is not asked for a content-script CSS file that does not exist', () => {
    expect(contentScript.cssInjectionMode).toBe('manual');
  });
});

describe('the drawer', () => {
  it('follows to another element: drawn for it, with its name once the host shows its form', async () => {
    const { module, drawn } = fakeModule();
    const controller = createPanelController(ctx, {} as Client, document, async () => module);
    await controller.open({
      page: { accountId: '123', object: { objectType: 'user', objectId: '1' } },
      access: granted(false),
      opener: null,
    });
    controller.follow({ accountId: '123', object: { objectType: 'skill', objectId: '12' } });
    expect(drawn.at(-1)).toMatchObject({ object: { objectType: 'skill', objectId: '12' }, objectName: null });
    document.body.insertAdjacentHTML('beforeend', '<h1 id="form-title">Billing DE</h1><form aria-labelledby="form-title"></form>');
    await settle();
    expect(controller.isOpen).toBe(true);
    expect(objectNameFrom(document)).toBe('Billing DE');
    expect(drawn.at(-1)!.objectName).toBe('Billing DE');
  });

  it('closes on Esc wherever focus is (the host menu takes it back), and focus returns to the opener', async () => {
    const { module } = fakeModule();
    const controller = createPanelController(ctx, {} as Client, document, async () => module);
    const opener = document.getElementById('settings')!;
    await controller.open({ page: { accountId: '123', object: null }, access: granted(false), opener });
    expect(controller.isOpen).toBe(true);
    document.getElementById('host-field')!.focus();
    document.getElementById('host-field')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(controller.isOpen).toBe(false);
    expect(document.activeElement).toBe(opener);
    // Closed: Esc belongs to the host page again.
    const hostSaw = vi.fn();
    document.addEventListener('keydown', hostSaw);
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(hostSaw).toHaveBeenCalledTimes(1);
    document.removeEventListener('keydown', hostSaw);
  });

  it("starts below the account-settings button and shows the account's zone", async () => {
    const button = document.getElementById('settings')!;
    button.getBoundingClientRect = () => ({
      top: 8,
      bottom: 40,
      left: 900,
      right: 940,
      width: 40,
      height: 32,
      x: 900,
      y: 8,
      toJSON: () => ({}),
    });
    expect(panelTop(document)).toBe(48);
    const { module, drawn } = fakeModule();
    const controller = createPanelController(ctx, {} as Client, document, async () => module);
    await controller.open({ page: { accountId: '123', object: null }, access: granted(true), opener: button });
    expect(drawn.at(-1)).toMatchObject({ top: 48, timeZone: 'Europe/Berlin', canExport: true });
    controller.close();
  });
});
