/**
 * The live event stream behind `WS /ws`: order, fill, position and
 * risk-violation events. Each WebSocket frame is a JSON array of one or more
 * events in the order they happened: the events published in one turn of the
 * event loop are serialised once and written as one frame to every client,
 * so a burst of orders costs each client a few frames, not one per event (at
 * 1,000 clients, a frame per event made the socket writes the service's
 * bottleneck). A client that cannot keep up (more than `maxBufferedBytes`
 * queued in its socket) is dropped rather than slowing everyone else down; it
 * can reconnect and read the current state from the HTTP endpoints.
 */
import type { WebSocket } from 'ws';

export type LiveEventType = 'order' | 'fill' | 'position' | 'risk_violation' | 'halt';

export interface LiveEvent {
  type: LiveEventType;
  /** Epoch ms when the service emitted the event. */
  ts: number;
  data: Record<string, unknown>;
}

export interface EventHub {
  publish(type: LiveEventType, data: Record<string, unknown>): void;
  add(socket: WebSocket): void;
  clientCount(): number;
  close(): void;
}

export function createEventHub(options: { maxBufferedBytes?: number; onClientCount?: (n: number) => void } = {}): EventHub {
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const clients = new Set<WebSocket>();
  const changed = () => options.onClientCount?.(clients.size);
  let pending: string[] = [];
  const flush = () => {
    const frame = `[${pending.join(',')}]`;
    pending = [];
    for (const ws of clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > maxBuffered) {
        ws.terminate();
        continue;
      }
      ws.send(frame);
    }
  };
  return {
    publish(type, data) {
      if (clients.size === 0) return;
      pending.push(JSON.stringify({ type, ts: Date.now(), data } satisfies LiveEvent));
      if (pending.length === 1) setImmediate(flush);
    },
    add(socket) {
      clients.add(socket);
      changed();
      const drop = () => {
        if (clients.delete(socket)) changed();
      };
      socket.on('close', drop);
      socket.on('error', drop);
    },
    clientCount: () => clients.size,
    close() {
      for (const ws of clients) ws.close(1001, 'server shutting down');
      clients.clear();
      changed();
    },
  };
}
