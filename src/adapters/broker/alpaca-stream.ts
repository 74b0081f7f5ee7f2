/**
 * Alpaca's `trade_updates` WebSocket, kept alive: authenticate
 * (`{action:'auth', key, secret}`), listen (`{action:'listen', data:{streams:
 * ['trade_updates']}}`), hand every trade update to `onUpdate`, and when the
 * connection drops (closed, errored, or silent past a ping) reconnect with
 * exponential backoff for as long as the stream is wanted. `onReady` says
 * when a connection is listening and whether it is a reconnect, so the
 * adapter can fetch what it missed meanwhile (the venue does not replay).
 *
 * The paper venue sends binary frames and the live one text frames; both are
 * read as UTF-8 JSON. The keys travel only in the auth message.
 */
import WebSocket from 'ws';

export interface AlpacaStreamOptions {
  url: string;
  keyId: string;
  secretKey: string;
  /** One `data` object of a `trade_updates` message, unparsed. */
  onUpdate(data: unknown): void;
  /** A connection is listening; `reconnected` is false only for the first one. */
  onReady(reconnected: boolean): void;
  /** The connection dropped (a reconnect follows unless stopped). */
  onDown?(reason: string): void;
  /** The venue refused the keys (reconnects continue at the backoff, in case they were rotated). */
  onUnauthorized?(): void;
  /** First reconnect delay; doubles per failed attempt. Default 250 ms. */
  reconnectBaseMs?: number;
  /** Longest reconnect delay. Default 30 s. */
  reconnectMaxMs?: number;
  /** Ping period; a connection without a pong by the next ping is dropped. Default 15 s. */
  pingIntervalMs?: number;
}

export class AlpacaTradeStream {
  private ws: WebSocket | null = null;
  private listening = false;
  private everListened = false;
  private stopped = true;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];

  constructor(private readonly opts: AlpacaStreamOptions) {}

  /** True while a connection is authenticated and listening. */
  get isListening(): boolean {
    return this.listening;
  }

  /** True once any connection has listened (a later drop is then a reconnect). */
  get hasListened(): boolean {
    return this.everListened;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Close the connection and stop reconnecting. */
  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.reconnectTimer = this.pingTimer = null;
    this.listening = false;
    const ws = this.ws;
    this.ws = null;
    ws?.removeAllListeners();
    ws?.on('error', () => undefined);
    ws?.terminate();
    this.release();
  }

  /** Resolves true once listening, or false after `timeoutMs` (or when stopped). */
  ready(timeoutMs: number): Promise<boolean> {
    if (this.listening) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.listening), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(this.listening);
      });
    });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private connect(): void {
    const ws = new WebSocket(this.opts.url);
    this.ws = ws;
    let alive = true;
    ws.on('open', () => {
      ws.send(JSON.stringify({ action: 'auth', key: this.opts.keyId, secret: this.opts.secretKey }));
      this.pingTimer = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, this.opts.pingIntervalMs ?? 15_000);
    });
    ws.on('pong', () => (alive = true));
    ws.on('message', (raw: WebSocket.RawData) => {
      alive = true;
      this.handle(ws, raw);
    });
    ws.on('error', () => undefined); // 'close' follows and drives the reconnect
    ws.on('close', (code: number) => this.down(ws, `closed (code ${code})`));
  }

  private handle(ws: WebSocket, raw: WebSocket.RawData): void {
    const text = Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8');
    let msg: { stream?: string; data?: { status?: string; streams?: string[] } };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.stream === 'authorization') {
      if (msg.data?.status === 'authorized') ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
      else {
        this.opts.onUnauthorized?.();
        ws.close(4001, 'unauthorized');
      }
      return;
    }
    if (msg.stream === 'listening') {
      if (!msg.data?.streams?.includes('trade_updates')) return;
      const reconnected = this.everListened;
      this.listening = this.everListened = true;
      this.attempt = 0;
      this.release();
      this.opts.onReady(reconnected);
      return;
    }
    if (msg.stream === 'trade_updates' && msg.data) this.opts.onUpdate(msg.data);
  }

  private down(ws: WebSocket, reason: string): void {
    if (ws !== this.ws) return;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.ws = null;
    const wasListening = this.listening;
    this.listening = false;
    if (this.stopped) return;
    if (wasListening) this.opts.onDown?.(reason);
    const base = this.opts.reconnectBaseMs ?? 250;
    const delay = Math.min(base * 2 ** this.attempt, this.opts.reconnectMaxMs ?? 30_000);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
