// The panel's UI as one lazily loaded module (entrypoints/panel.ts → panel.js): Preact and
// the panel are fetched the first time "Audit trail" is chosen, which keeps the content
// script that runs on every Agent Workspace page small.
import { render } from 'preact';
import { Panel, type PanelProps } from './panel';
import panelCss from './panel.css?inline';
import sharedCss from './shared.css?inline';

export interface PanelModule {
  css: string;
  render(container: HTMLElement, props: PanelProps): void;
  unmount(container: HTMLElement): void;
}

/** Where panel.js leaves the module for the content script (both run in the extension's isolated world). */
export const PANEL_GLOBAL = '__auditTrailPanel';

export const panelModule: PanelModule = {
  css: sharedCss + panelCss,
  render: (container, props) => render(<Panel {...props} />, container),
  unmount: (container) => render(null, container),
};
