import type { ContentScriptDefinition } from 'wxt';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startAuditTrail } from '../content/start';
import { createPanelController } from '../features/audit-trail-panel';
import { STORE_HOSTS } from '../host/hosts';
import { messageClient } from '../messaging/protocol';

const contentScript: ContentScriptDefinition = defineContentScript({
  matches: STORE_HOSTS,
  // The panel brings its CSS itself (ui/panel-module.tsx): the content script has no CSS file
  // of its own, and 'ui' would make WXT fetch one that does not exist.
  cssInjectionMode: 'manual',
  main(ctx) {
    const panel = createPanelController(ctx, messageClient);
    startAuditTrail(ctx, { client: messageClient, doc: document, where: window.location, panel });
  },
});
export default contentScript;
