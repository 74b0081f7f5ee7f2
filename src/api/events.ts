/**
 * The live event stream behind `WS /ws`: order, fill, position and
 * risk-violation events. Each WebSocket frame is a JSON array of one or more
 * events in the order they happened. An order is announced when acknowledged
 * and again only when it moves forward (src/domain/order-progress.ts): a
 * market order on the paper venue is acknowledged already filled, so the
 * venue's own "new" and "fill" reports of it add only the `fill` event.
 *
 * Frames are coalesced in time: the first event after a quiet spell goes out
 * on the next turn of the event loop, and events arriving within
 * `frameIntervalMs` of the last frame wait for the next one. So a client gets
 * at most 1000 / frameIntervalMs frames a second whatever the order rate, and
 * an event waits at most frameIntervalMs. Each frame is serialised and encoded
 * once and the same bytes go to every client. Why: a socket write is the unit
 * of cost here (a bench:api profile at 200 orders/s and 1,000 clients spent
 * over half the service's CPU in writev with a frame per event-loop turn).
 *
 * A client that cannot keep up (more than `maxBufferedBytes` queued in its
 * socket) is dropped rather than slowing everyone else down; it can reconnect
 * and read the current state from the HTTP endpoints.
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

export interface EventHubOptions {
  /** Minimum time between two frames to a client (default 100 ms). */
  frameIntervalMs?: number;
  /** A client with more than this queued in its socket is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  onClientCount?: (n: number) => void;
}

/** Clients written to per turn of the event loop during a broadcast. */
const BROADCAST_SLICE = 25;

export function createEventHub(options: EventHubOptions = {}): EventHub {
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const intervalMs = options.frameIntervalMs ?? 100;
  const clients = new Set<WebSocket>();
  const changed = () => options.onClientCount?.(clients.size);
  let pending: string[] = [];
  /** Cancels the scheduled frame or the rest of a broadcast; set while either is pending. */
  let scheduled: (() => void) | undefined;
  let lastFrameAt = -Infinity;
  const flush = () => {
    lastFrameAt = performance.now();
    const frame = Buffer.from(`[${pending.join(',')}]`);
    pending = [];
    broadcast(frame, [...clients], 0);
  };
  /**
   * Write a frame to `targets[from..]` in slices, yielding to the event loop between slices so that HTTP
   * requests are served during a broadcast to 1,000 clients rather than after it. The next frame waits for
   * this one to reach everyone, so every client sees the frames in order.
   */
  const broadcast = (frame: Buffer, targets: WebSocket[], from: number) => {
    const to = Math.min(targets.length, from + BROADCAST_SLICE);
    for (let i = from; i < to; i++) {
      const ws = targets[i];
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > maxBuffered) {
        ws.terminate();
        continue;
      }
      ws.send(frame, { binary: false });
    }
    if (to < targets.length) {
      const immediate = setImmediate(() => broadcast(frame, targets, to));
      scheduled = () => clearImmediate(immediate);
      return;
    }
    scheduled = undefined;
    if (pending.length > 0) schedule();
  };
  const schedule = () => {
    const wait = lastFrameAt + intervalMs - performance.now();
    if (wait <= 0) {
      const immediate = setImmediate(flush);
      scheduled = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(flush, wait);
      scheduled = () => clearTimeout(timer);
    }
  };
  return {
    publish(type, data) {
      if (clients.size === 0) return;
      pending.push(JSON.stringify({ type, ts: Date.now(), data } satisfies LiveEvent));
      if (scheduled === undefined) schedule();
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
      scheduled?.();
      scheduled = undefined;
      pending = [];
      for (const ws of clients) ws.close(1001, 'server shutting down');
      clients.clear();
      changed();
    },
  };
}
