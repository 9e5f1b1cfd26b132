import type { BackgroundDefinition } from 'wxt';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../background/start';

const background: BackgroundDefinition = defineBackground(() => startBackground());
export default background;
