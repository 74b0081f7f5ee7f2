/**
 * The dashboard's data: read-only JSON under `/api/...`, one module per page.
 * Each route needs a key like every other (any role: they only read).
 */
import type { FastifyInstance } from 'fastify';
import type { DashboardViewsDeps } from './deps';
import { registerMarketRoutes } from './market';
import { registerModelsRoutes } from './models';
import { registerOverviewRoutes } from './overview';
import { registerRunsRoutes } from './runs';
import { registerStrategyActivityRoutes } from './strategy-activity';

export function registerViewRoutes(app: FastifyInstance, deps: DashboardViewsDeps): void {
  registerOverviewRoutes(app, deps);
  registerMarketRoutes(app, deps);
  registerStrategyActivityRoutes(app, deps);
  registerModelsRoutes(app, deps);
  registerRunsRoutes(app, deps);
}
