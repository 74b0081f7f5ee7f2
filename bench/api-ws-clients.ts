/**
 * The WebSocket side of `npm run bench:api`, in its own process so that
 * reading 1,000 sockets does not steal the load generator's event loop:
 * connects N clients to /ws, prints "ready", records for every order
 * acknowledgement event (type "order" without a trade-update "event") how long
 * after the service emitted it (`ts`) each client received it, and on "stop"
 * (stdin) prints one JSON line with the count and percentiles. Frames are not
 * JSON-parsed (a byte search for `ts`): parsing 1,000 copies of every event
 * would measure this process, not the service.
 */
import WebSocket from 'ws';
import { percentile } from './percentile';

const [url, key, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 1000);
const delays: number[] = [];
let events = 0;
const sockets: WebSocket[] = [];

/**
 * A frame is a JSON array of events, each serialised as `{"type":...,"ts":...,"data":{...}}`; data never
 * contains `{"type":"`. Every client receives the same frames, so each distinct frame is scanned once (as
 * bytes, Buffer.indexOf being native) and the other 999 copies reuse its list of acknowledgement times:
 * scanning 1,000 copies made this process, not the service, the bottleneck of the steady phase. A frame is
 * known by its length and its first bytes (which hold its first event's emit time and order id).
 */
const EVENT = Buffer.from('{"type":"');
const ORDER = Buffer.from('{"type":"order","ts":');
const TRADE_UPDATE = Buffer.from('"event":"');
const COMMA = 0x2c;
const scanned = new Map<string, { acks: number[]; events: number }>();

function scan(buf: Buffer): { acks: number[]; events: number } {
  const acks: number[] = [];
  let count = 0;
  for (let i = buf.indexOf(EVENT); i >= 0;) {
    const next = buf.indexOf(EVENT, i + EVENT.length);
    const end = next < 0 ? buf.length : next;
    count++;
    // An order acknowledgement: an "order" event that is not a venue trade update (which names its "event").
    if (buf.compare(ORDER, 0, ORDER.length, i, i + ORDER.length) === 0 && buf.subarray(i, end).indexOf(TRADE_UPDATE) < 0) {
      const t = i + ORDER.length;
      acks.push(Number(buf.toString('latin1', t, buf.indexOf(COMMA, t))));
    }
    i = next;
  }
  return { acks, events: count };
}

function onMessage(data: WebSocket.RawData) {
  const now = Date.now();
  // Text frames arrive as one Buffer (binaryType "nodebuffer", the default); no copy.
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const key = `${buf.length}:${buf.toString('latin1', 0, 160)}`;
  let frame = scanned.get(key);
  if (!frame) {
    frame = scan(buf);
    scanned.set(key, frame);
    // Frames arrive in order: keep the recent ones only.
    if (scanned.size > 2000) scanned.delete(scanned.keys().next().value!);
  }
  events += frame.events;
  for (const ts of frame.acks) delays.push(now - ts);
}

async function main() {
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async () => {
        const ws = new WebSocket(url, { headers: { authorization: `Bearer ${key}` }, perMessageDeflate: false });
        ws.on('message', onMessage);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        sockets.push(ws);
      }),
    );
  }
  process.stdout.write('ready\n');
  process.stdin.on('data', (d) => {
    if (!String(d).includes('stop')) return;
    const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    process.stdout.write(
      `${JSON.stringify({ clients: count, open_at_end: open, events, order_acks_received: delays.length, p50_ms: percentile(delays, 0.5), p95_ms: percentile(delays, 0.95), p99_ms: percentile(delays, 0.99) })}\n`,
    );
    for (const s of sockets) s.terminate();
    process.exit(0);
  });
}

main().catch((err) => {
  process.stderr.write(`ws clients: ${(err as Error).message}\n`);
  process.exit(1);
});
