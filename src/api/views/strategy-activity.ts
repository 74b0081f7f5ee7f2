/** TODO(skeleton): the strategy-activity view's routes. */
import type { FastifyInstance } from 'fastify';
import type { DashboardViewsDeps } from './deps';

export function registerStrategyActivityRoutes(_app: FastifyInstance, _deps: DashboardViewsDeps): void {}
