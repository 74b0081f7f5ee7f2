/**
 * One-time tickets for browser WebSockets. A browser cannot put an
 * Authorization header on a WebSocket upgrade, and the API key must never
 * travel in a URL (URLs end up in logs and history). So the dashboard asks
 * `POST /ws/ticket` with its bearer key for a ticket, and offers it as a
 * WebSocket subprotocol (`Sec-WebSocket-Protocol: quant.v1, ticket.<t>`). A
 * ticket opens one socket, within `ttlMs` of being issued, and nothing else.
 */
import { randomBytes } from 'node:crypto';

/** The subprotocol the server answers with; the ticket rides as a second one, `ticket.<ticket>`. */
export const WS_PROTOCOL = 'quant.v1';
const TICKET_PREFIX = 'ticket.';

export interface WsTickets {
  /** A fresh ticket, valid once within the TTL. */
  issue(): { ticket: string; expiresInMs: number };
  /** Whether a `Sec-WebSocket-Protocol` header carries a live ticket; a ticket redeemed here is spent. */
  redeem(protocolHeader: string | undefined): boolean;
}

/**
 * @example
 *   const t = createWsTickets({ ttlMs: 30_000 });
 *   const { ticket } = t.issue();
 *   t.redeem(`quant.v1, ticket.${ticket}`); // true, and false the second time
 */
export function createWsTickets(options: { ttlMs?: number; now?: () => number } = {}): WsTickets {
  const ttlMs = options.ttlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const live = new Map<string, number>();
  const sweep = () => {
    const t = now();
    for (const [ticket, expires] of live) if (expires <= t) live.delete(ticket);
  };
  return {
    issue() {
      sweep();
      const ticket = randomBytes(24).toString('base64url');
      live.set(ticket, now() + ttlMs);
      return { ticket, expiresInMs: ttlMs };
    },
    redeem(header) {
      const offered = (header ?? '')
        .split(',')
        .map((p) => p.trim())
        .find((p) => p.startsWith(TICKET_PREFIX));
      if (!offered) return false;
      const ticket = offered.slice(TICKET_PREFIX.length);
      const expires = live.get(ticket);
      live.delete(ticket);
      return expires !== undefined && expires > now();
    },
  };
}
