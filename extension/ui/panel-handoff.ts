// How the lazily loaded panel.js hands its module to the content script: both run in the
// extension's isolated world, so panel.js leaves it on the global under this name. This file
// has no runtime imports, so the content script can read the name without pulling in Preact.
import type { PanelProps } from './panel';

export interface PanelModule {
  css: string;
  render(container: HTMLElement, props: PanelProps): void;
  unmount(container: HTMLElement): void;
}

export const PANEL_GLOBAL = '__auditTrailPanel';
