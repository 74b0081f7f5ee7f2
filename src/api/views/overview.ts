/** TODO(skeleton): the overview view's routes. */
import type { FastifyInstance } from 'fastify';
import type { DashboardViewsDeps } from './deps';

export function registerOverviewRoutes(_app: FastifyInstance, _deps: DashboardViewsDeps): void {}
