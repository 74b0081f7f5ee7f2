/** TODO(skeleton): the runs view's routes. */
import type { FastifyInstance } from 'fastify';
import type { DashboardViewsDeps } from './deps';

export function registerRunsRoutes(_app: FastifyInstance, _deps: DashboardViewsDeps): void {}
