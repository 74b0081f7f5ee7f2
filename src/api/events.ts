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
 * an event waits at most frameIntervalMs. Each frame is serialised once and
 * the same bytes go to every client.
 *
 * The sockets live in a child process of the service (event-stream-process.ts):
 * this hub authenticates nothing and writes to no socket; the server hands it
 * each authenticated upgrade request, whose socket it passes on to the child
 * (Node moves the descriptor over the IPC channel), and it sends the child
 * each frame. Why: a frame to 1,000 clients is 1,000 socket writes (~25 µs
 * each on loopback, whatever the size), a quarter of a core at 10 frames a
 * second, and in the service's own event loop every signal in flight during a
 * broadcast waited behind it (bench:api at 200 signals/s and 1,000 clients:
 * p95 signal-to-order 15-21 ms with the writes in the service's loop, 7 ms
 * with no clients at all). The child is started by the first client, so a
 * service nobody watches never forks one; if it dies, its clients are
 * disconnected (they reconnect and read the current state over HTTP) and the
 * next client starts a new one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { errorMessage } from '../domain/errors';

export type LiveEventType = 'order' | 'fill' | 'position' | 'risk_violation' | 'halt';

export interface LiveEvent {
  type: LiveEventType;
  /** Epoch ms when the service emitted the event. */
  ts: number;
  data: Record<string, unknown>;
}

/** What the service tells the stream process. */
export type ToStream =
  /** An authenticated WebSocket upgrade request; its socket travels as the message's handle. */
  | { kind: 'client'; url: string; headers: IncomingMessage['headers']; head: string }
  /** One frame (a JSON array of events) for every client. */
  | { kind: 'frame'; data: string }
  /** Close every client (1001) and exit. */
  | { kind: 'close' };

/** What the stream process tells the service. */
export type FromStream = { kind: 'clients'; n: number };

export interface EventHub {
  publish(type: LiveEventType, data: Record<string, unknown>): void;
  /** Take an authenticated upgrade request for /ws: its socket now belongs to the stream process. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  clientCount(): number;
  /** Close every client and stop the stream process. */
  close(): Promise<void>;
}

export interface EventHubOptions {
  /** Minimum time between two frames to a client (default 100 ms). */
  frameIntervalMs?: number;
  /** A client with more than this queued in its socket is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  onClientCount?: (n: number) => void;
  /** The stream process failed (it exited on its own, or a socket could not be handed over). */
  onError?: (what: string, err: unknown) => void;
}

/** The stream process's V8 heap cap (MB). */
const STREAM_HEAP_MB = 64;

/** Node flags that load a module (`--import X`, `--require=X`, ...), and whether one names tsx. */
const LOADER_FLAG = /^(--import|--require|-r|--loader|--experimental-loader)(=|$)/;

/**
 * The stream process's entry and Node flags. Compiled, it is event-stream-process.js beside this file. From
 * source (tests, `quant api` in a checkout) it is the .ts file, loaded through tsx's require hook alone: the
 * service's own `--import tsx` also starts tsx's ESM loader thread, 23 MB of resident memory this small CommonJS
 * process has no use for. Its own small heap instead of the service's cap: it holds sockets and a frame or two,
 * and a small young generation keeps its resident set small.
 */
function streamProcessArgs(): { entry: string; execArgv: string[] } {
  const ext = extname(__filename);
  const execArgv: string[] = [];
  const inherited = process.execArgv;
  for (let i = 0; i < inherited.length; i++) {
    const a = inherited[i];
    if (LOADER_FLAG.test(a)) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : inherited[++i];
      if (!value.includes('tsx')) execArgv.push(a.includes('=') ? a : `${a}=${value}`);
    } else if (!a.startsWith('--inspect') && !/^--max-(old|semi)-space-size/.test(a)) execArgv.push(a);
  }
  if (ext === '.ts') execArgv.push('--require', require.resolve('tsx/cjs'));
  execArgv.push(`--max-old-space-size=${STREAM_HEAP_MB}`, '--max-semi-space-size=1');
  return { entry: join(__dirname, `event-stream-process${ext}`), execArgv };
}

export function createEventHub(options: EventHubOptions = {}): EventHub {
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const intervalMs = options.frameIntervalMs ?? 100;
  const onError = options.onError ?? ((what, err) => process.stderr.write(`${what}: ${errorMessage(err)}\n`));
  let child: ChildProcess | undefined;
  let clients = 0;
  let closed = false;
  const setClients = (n: number) => {
    if (n === clients) return;
    clients = n;
    options.onClientCount?.(n);
  };

  const startChild = (): ChildProcess => {
    const { entry, execArgv } = streamProcessArgs();
    const c = fork(entry, [String(maxBuffered)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    c.on('message', (m: FromStream) => {
      if (c === child && m.kind === 'clients') setClients(m.n);
    });
    c.on('error', (err) => onError('live event stream process', err));
    c.once('exit', (code, signal) => {
      if (c !== child) return;
      child = undefined;
      setClients(0);
      if (!closed)
        onError('live event stream process', new Error(`exited (${signal ?? `code ${code}`}); the next client starts a new one`));
    });
    // The hub never keeps the service alive: close() ends the child, and a service that exits takes it along (it exits on disconnect).
    c.unref();
    c.channel?.unref();
    return c;
  };

  let pending: string[] = [];
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let lastFrameAt = -Infinity;
  const flush = () => {
    timer = undefined;
    lastFrameAt = performance.now();
    const data = `[${pending.join(',')}]`;
    pending = [];
    child?.send({ kind: 'frame', data } satisfies ToStream);
  };
  const schedule = () => {
    const wait = lastFrameAt + intervalMs - performance.now();
    timer = wait <= 0 ? setImmediate(flush) : setTimeout(flush, wait);
  };

  return {
    publish(type, data) {
      // No stream process: nobody has connected since it last ran, so nobody can miss the event.
      if (!child) return;
      pending.push(JSON.stringify({ type, ts: Date.now(), data } satisfies LiveEvent));
      if (timer === undefined) schedule();
    },
    accept(req, socket, head) {
      if (closed) {
        socket.destroy();
        return;
      }
      child ??= startChild();
      const message: ToStream = { kind: 'client', url: req.url ?? '/ws', headers: req.headers, head: head.toString('base64') };
      // The child gets a duplicate of the descriptor; this process then closes its own (no FIN: the child's
      // copy keeps the connection). Detached from its server first, because Node's own bookkeeping of sockets
      // passed to a child leaves the HTTP server's close() waiting forever once that child has exited (it
      // counts one more connection and waits on a list of children that is empty by then); destroying our
      // copy ends the server's count of it instead.
      const s = socket as Socket & { server: unknown };
      s.server = null;
      child.send(message, s, { keepOpen: true }, (err) => {
        s.destroy();
        if (err) onError('handing a WebSocket client to the live event stream process', err);
      });
    },
    clientCount: () => clients,
    async close() {
      closed = true;
      if (timer !== undefined) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
      }
      pending = [];
      const c = child;
      if (!c) return;
      const exited = new Promise<void>((resolve) =>
        c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve()),
      );
      if (c.connected) c.send({ kind: 'close' } satisfies ToStream);
      const timeout = setTimeout(() => c.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timeout);
      child = undefined;
      setClients(0);
    },
  };
}
