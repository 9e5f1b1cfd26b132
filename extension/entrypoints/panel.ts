import type { UnlistedScriptDefinition } from 'wxt';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { PANEL_GLOBAL, panelModule } from '../ui/panel-module';

// Loaded by the content script with import(); hands the panel over through the isolated world's global.
const panel: UnlistedScriptDefinition = defineUnlistedScript(() => {
  (globalThis as Record<string, unknown>)[PANEL_GLOBAL] = panelModule;
});
export default panel;
