/**
 * Bearer API keys for every route but the probes and the docs. A missing,
 * unknown, wrong or revoked key is 401 with no detail (nothing that tells a
 * caller which of those it was); a read-only key on a trading route is 403.
 * The Authorization header is never logged (the server logs no headers).
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyRepo, ApiKeyRole } from '../adapters/postgres/api-key-repo';
import type { WsTickets } from './ws-tickets';

/**
 * Routes anyone may call: Kubernetes probes, the OpenAPI document and its page, and the dashboard's page and
 * bundle (they hold no data: the page asks the authenticated routes for everything it shows).
 */
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/openapi.json', '/docs', '/', '/assets/:file', '/favicon.ico']);
/** POSTs that change nothing, so a read-only key may make them: a WebSocket ticket (the stream is read-only). */
const READING_POSTS = new Set(['/ws/ticket']);

declare module 'fastify' {
  interface FastifyRequest {
    apiKeyRole?: ApiKeyRole;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** An `onRequest` hook that authenticates and authorises. */
export function createAuthHook(keys: ApiKeyRepo) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = request.routeOptions.url ?? request.url.split('?')[0];
    if (PUBLIC_PATHS.has(path)) return;
    const token = bearerToken(request.headers.authorization);
    const identity = token ? await keys.verify(token) : null;
    if (!identity) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'unauthorized' });
      return reply;
    }
    request.apiKeyRole = identity.role;
    const reading = request.method === 'GET' || request.method === 'HEAD' || (request.method === 'POST' && READING_POSTS.has(path));
    if (!reading && identity.role !== 'trade') {
      await reply.code(403).send({ error: 'forbidden', message: 'this key may only read' });
      return reply;
    }
  };
}

/**
 * Whether a WebSocket upgrade request may open `/ws` (any valid key: the stream is read-only), by its bearer
 * key or, from a browser, by a one-time ticket offered as a subprotocol (ws-tickets.ts). Undefined when it
 * may; else the bare HTTP refusal: 404 for another path, 401 (no detail) for a missing or bad key or ticket.
 */
export async function upgradeAllowed(
  keys: ApiKeyRepo,
  req: IncomingMessage,
  tickets?: WsTickets,
): Promise<{ status: number; reason: string; headers?: string[] } | undefined> {
  if ((req.url ?? '').split('?')[0] !== '/ws') return { status: 404, reason: 'Not Found' };
  const token = bearerToken(req.headers.authorization);
  if (token ? await keys.verify(token) : tickets?.redeem(req.headers['sec-websocket-protocol'])) return undefined;
  return { status: 401, reason: 'Unauthorized', headers: ['WWW-Authenticate: Bearer'] };
}
