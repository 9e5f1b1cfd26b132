// The panel's UI as one lazily loaded module (entrypoints/panel.ts → panel.js): Preact and
// the panel are fetched the first time "Audit trail" is chosen, which keeps the content
// script that runs on every Agent Workspace page small.
import { render } from 'preact';
import { Panel } from './panel';
import type { PanelModule } from './panel-handoff';
import panelCss from './panel.css?inline';
import sharedCss from './shared.css?inline';

export const panelModule: PanelModule = {
  css: sharedCss + panelCss,
  render: (container, props) => render(<Panel {...props} />, container),
  unmount: (container) => render(null, container),
};
