import { attachmentRoutes } from '../attachments/attachments-routes.ts';
import { clientRoutes } from '../clients/clients-routes.ts';
import { boardRoutes } from '../console/board-routes.ts';
import type { LiveHub } from '../console/live/hub.ts';
import { sessionRoutes } from '../console/session-routes.ts';
import { equipmentRoutes } from '../equipment/equipment-routes.ts';
import { masterRoutes } from '../masters/masters-routes.ts';
import { actionRoutes } from '../orders/order-action-routes.ts';
import { orderRoutes } from '../orders/orders-routes.ts';
import { placeRoutes } from '../places/places-routes.ts';
import { reportRoutes } from '../reports/reports-routes.ts';
import type { Services } from '../services.ts';
import { settingsRoutes } from '../settings/settings-routes.ts';
import { userRoutes } from '../users/users-routes.ts';
import type { AnyRoute } from './route-kit.ts';

/** Every operation under /api/v1, from the feature folders. */
export function apiRoutes(services: Services, console: { live?: LiveHub; forgetSessions?: () => void } = {}): AnyRoute[] {
  return [
    ...orderRoutes(services),
    ...actionRoutes(services),
    ...clientRoutes(services),
    ...attachmentRoutes(services),
    ...placeRoutes(services),
    ...settingsRoutes(services),
    ...masterRoutes(services),
    ...userRoutes(services),
    ...reportRoutes(services),
    ...equipmentRoutes(services),
    ...sessionRoutes(services, console.forgetSessions ?? (() => {})),
    ...boardRoutes(services, console.live),
  ];
}
