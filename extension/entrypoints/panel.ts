import type { UnlistedScriptDefinition } from 'wxt';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { panelModule } from '../ui/panel-module';
import { PANEL_GLOBAL } from '../ui/panel-handoff';

// Loaded by the content script with import(); hands the panel over through the isolated world's global.
const panel: UnlistedScriptDefinition = defineUnlistedScript(() => {
  (globalThis as Record<string, unknown>)[PANEL_GLOBAL] = panelModule;
});
export default panel;
