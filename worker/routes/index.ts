import { accessLogRoutes } from './access-log';
import { accountRoutes } from './accounts';
import { changeRoutes } from './changes';
import { destinationRoutes } from './destinations';
import { eventRoutes } from './events';
import { exportLinkRoutes } from './export-links';
import { exportRoutes } from './export';
import { livePersonRoutes } from './liveperson';
import { metaRoutes } from './meta';
import { verifyRoutes } from './verify';

/** Every route of the API, in the order the OpenAPI document lists them. */
export const routes = [
  ...metaRoutes,
  ...accountRoutes,
  ...changeRoutes,
  ...exportRoutes,
  ...exportLinkRoutes,
  ...eventRoutes,
  ...verifyRoutes,
  ...accessLogRoutes,
  ...livePersonRoutes,
  ...destinationRoutes,
];
