/**
 * The WebSocket side of `npm run bench:api`, in its own process so that
 * reading 1,000 sockets does not steal the load generator's event loop:
 * connects N clients to /ws, prints "ready", records for every order
 * acknowledgement event (type "order" without a trade-update "event") how long
 * after the service emitted it (`ts`) each client received it, and on "stop"
 * (stdin) prints one JSON line with the count and percentiles. Frames are not
 * JSON-parsed (string search for `ts`): parsing 1,000 copies of every event
 * would measure this process, not the service.
 */
import WebSocket from 'ws';
import { percentile } from './percentile';

const [url, key, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 1000);
const delays: number[] = [];
let events = 0;
const sockets: WebSocket[] = [];

/** A frame is a JSON array of events, each serialised as `{"type":...,"ts":...,"data":{...}}`; data never contains `{"type":"`. */
function onMessage(data: WebSocket.RawData) {
  const now = Date.now();
  const s = String(data);
  const marker = '{"type":"';
  for (let i = s.indexOf(marker); i >= 0;) {
    const next = s.indexOf(marker, i + marker.length);
    const event = s.slice(i, next < 0 ? s.length : next);
    events++;
    if (event.startsWith('{"type":"order"') && !event.includes('"event":"')) {
      const t = event.indexOf('"ts":') + 5;
      delays.push(now - Number(event.slice(t, event.indexOf(',', t))));
    }
    i = next;
  }
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
