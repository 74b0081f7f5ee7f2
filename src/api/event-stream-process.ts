/**
 * The live event stream's own process (started by events.ts, argv[2] = the
 * most a client may have queued before it is dropped, in bytes). It receives
 * authenticated upgrade requests with their sockets and completes the
 * WebSocket handshake, then writes every frame the service sends to every
 * client. The service's event loop thereby never waits on a broadcast.
 *
 * A broadcast goes out in slices of clients, yielding between slices so
 * handshakes and closes are served during a broadcast to 1,000 clients; the
 * next frame waits for this one to reach everyone, so every client sees the
 * frames in order. A client that cannot keep up (more than the limit queued
 * in its socket) is dropped rather than slowing everyone else down; it can
 * reconnect and read the current state from the HTTP endpoints.
 *
 * It exits when the service says `close` (after closing every client with
 * 1001) or when the service's end of the IPC channel goes away.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { setPriority } from 'node:os';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FromStream, ToStream } from './events';

/** Niceness of this process (0 = the service's, 19 = the lowest priority); lowering one's own priority needs no privilege. */
const STREAM_NICENESS = 10;
/** Clients written to per turn of the event loop during a broadcast. */
const BROADCAST_SLICE = 25;
const maxBuffered = Number(process.argv[2]);
if (!process.send || !(maxBuffered > 0)) {
  process.stderr.write('event-stream-process: run by the execution service (events.ts), with the per-client buffer limit as argument\n');
  process.exit(2);
}

// Below the service in the CPU's queue: a frame may wait a few milliseconds (its budget is 250 ms), a signal
// should not (10 ms); on a busy node the scheduler then runs the service's hot path and Postgres first.
setPriority(STREAM_NICENESS);

const server = new WebSocketServer({ noServer: true, maxPayload: 4096 });
const clients = new Set<WebSocket>();
const tell = (m: FromStream) => process.send!(m);
let reported = -1;
const report = () => {
  if (reported === clients.size || !process.connected) return;
  reported = clients.size;
  tell({ kind: 'clients', n: clients.size });
};

function add(ws: WebSocket): void {
  clients.add(ws);
  const drop = () => {
    if (clients.delete(ws)) report();
  };
  ws.on('close', drop);
  ws.on('error', drop);
  report();
}

const frames: Buffer[] = [];
let broadcasting = false;
function nextFrame(): void {
  const frame = frames.shift();
  broadcasting = frame !== undefined;
  if (frame) broadcast(frame, [...clients], 0);
}
function broadcast(frame: Buffer, targets: WebSocket[], from: number): void {
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
  if (to < targets.length) setImmediate(() => broadcast(frame, targets, to));
  else nextFrame();
}

function closeAll(): void {
  for (const ws of clients) ws.close(1001, 'server shutting down');
  const exitWhenDone = () => (clients.size === 0 ? process.exit(0) : setTimeout(exitWhenDone, 20));
  exitWhenDone();
  // Clients that never answer the close handshake do not hold the service's shutdown.
  setTimeout(() => process.exit(0), 2_000).unref();
}

process.on('message', (m: ToStream, handle?: Socket) => {
  if (m.kind === 'frame') {
    if (clients.size === 0) return;
    frames.push(Buffer.from(m.data));
    if (!broadcasting) nextFrame();
  } else if (m.kind === 'client') {
    if (!handle) return;
    // ws reads only the method, url and headers of the request (no verifyClient here: the service authenticated it).
    const req = { method: 'GET', url: m.url, headers: m.headers } as IncomingMessage;
    server.handleUpgrade(req, handle, Buffer.from(m.head, 'base64'), add);
  } else if (m.kind === 'close') {
    closeAll();
  }
});
process.on('disconnect', closeAll);
