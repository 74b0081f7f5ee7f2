/** TODO(skeleton): the market view's routes. */
import type { FastifyInstance } from 'fastify';
import type { DashboardViewsDeps } from './deps';

export function registerMarketRoutes(_app: FastifyInstance, _deps: DashboardViewsDeps): void {}
