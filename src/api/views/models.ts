/** TODO(skeleton): the models view's routes. */
import type { FastifyInstance } from 'fastify';
import type { DashboardViewsDeps } from './deps';

export function registerModelsRoutes(_app: FastifyInstance, _deps: DashboardViewsDeps): void {}
