/**
 * The dashboard's only way to the service: JSON over HTTP with the key as a
 * bearer token, and the live event stream over a WebSocket opened with a
 * one-time ticket (the browser cannot send a header on a WebSocket, and the
 * key never goes in a URL). The key lives in sessionStorage only.
 */

const KEY_ITEM = 'quant.apiKey';

export const storedKey = (): string | null => sessionStorage.getItem(KEY_ITEM);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY_ITEM, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY_ITEM);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Position {
  symbol: string;
  qty: number;
  avg_entry_price: number;
  current_price: number;
  market_value: number;
  unrealized_pl: number;
}

export interface Order {
  id: number;
  strategy_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  order_type: 'market' | 'limit';
  limit_price: number | null;
  status: string;
  filled_qty: number;
  filled_avg_price: number | null;
  submitted_at: string;
}

export interface Strategy {
  name: string;
  kind: string | null;
  enabled: boolean;
  confidence_threshold: number;
  max_position_size: number;
}

export interface LiveEvent {
  type: 'order' | 'fill' | 'position' | 'risk_violation' | 'halt';
  ts: number;
  data: Record<string, unknown>;
}

/** One call with the key; the service's `{ message }` becomes the error's text. */
export async function api<T>(key: string, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const message = (parsed as { message?: string } | undefined)?.message ?? res.statusText;
    throw new ApiError(res.status, message);
  }
  return parsed as T;
}

/**
 * Keep a live connection to /ws: a fresh ticket for every (re)connect, a growing pause between attempts.
 * `onOpen` runs on each connect (the caller reloads what it may have missed); returns a stop function.
 */
export function liveEvents(
  key: string,
  handlers: { onEvents: (events: LiveEvent[]) => void; onOpen: () => void; onState: (live: boolean) => void },
): () => void {
  let stopped = false;
  let socket: WebSocket | undefined;
  let retryMs = 500;
  let timer: number | undefined;
  const connect = async () => {
    try {
      const { ticket, protocol } = await api<{ ticket: string; protocol: string }>(key, 'POST', '/ws/ticket');
      if (stopped) return;
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
      const ws = new WebSocket(url, [protocol, `ticket.${ticket}`]);
      socket = ws;
      ws.onopen = () => {
        retryMs = 500;
        handlers.onState(true);
        handlers.onOpen();
      };
      ws.onmessage = (m: MessageEvent<string>) => handlers.onEvents(JSON.parse(m.data) as LiveEvent[]);
      ws.onclose = () => {
        handlers.onState(false);
        retry();
      };
    } catch {
      handlers.onState(false);
      retry();
    }
  };
  const retry = () => {
    if (stopped) return;
    timer = window.setTimeout(() => void connect(), retryMs);
    retryMs = Math.min(retryMs * 2, 10_000);
  };
  void connect();
  return () => {
    stopped = true;
    window.clearTimeout(timer);
    socket?.close();
  };
}
