import type { BackgroundDefinition } from 'wxt';
import { defineBackground } from 'wxt/utils/define-background';
import { startBackground } from '../lib/background';

const background: BackgroundDefinition = defineBackground(() => startBackground());
export default background;
