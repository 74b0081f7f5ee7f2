/**
 * The notifiers against a loopback webhook receiver: one POST of `{ text,
 * alerts }` per call, a 5xx retried, a lasting failure given up with a logged
 * reason that names the host but never the URL's secret path, a 4xx not
 * retried, nothing sent for no alerts; and every alert logged, critical as
 * an error.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alertText, createLogNotifier, createNotifier, createWebhookNotifier } from './notifier';
import type { Alert } from './types';

const alerts: Alert[] = [
  {
    severity: 'warning',
    source: 'performance',
    at: '2024-07-01',
    message: 'model m@1 underperforms: Sharpe -0.4',
    details: { model: 'm@1' },
  },
  { severity: 'critical', source: 'reconciliation', at: '2024-07-01T14:00:00Z', message: 'trading halted' },
];

let server: Server;
let base = '';
let received: { path: string; body: any }[] = [];
/** Statuses the receiver answers with, in order; then 200. */
let script: number[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      res.writeHead(script.shift() ?? 200);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  received = [];
  script = [];
});

function recordingLogger() {
  const lines: { level: string; msg: string; meta?: Record<string, unknown> }[] = [];
  return {
    lines,
    warn: (msg: string, meta?: Record<string, unknown>) => lines.push({ level: 'warn', msg, meta }),
    error: (msg: string, meta?: Record<string, unknown>) => lines.push({ level: 'error', msg, meta }),
  };
}

describe('webhook notifier', () => {
  it('POSTs the alerts of one call as one JSON document, with a chat-ready text', async () => {
    const logger = recordingLogger();
    const n = createWebhookNotifier({ url: `${base}/hooks/T0/secret-path`, logger, backoffMs: 1 });
    expect(await n.notify(alerts)).toBe(true);
    expect(received).toEqual([{ path: '/hooks/T0/secret-path', body: { text: alertText(alerts), alerts } }]);
    expect(received[0].body.text).toBe(
      '[warning] performance 2024-07-01: model m@1 underperforms: Sharpe -0.4\n[CRITICAL] reconciliation 2024-07-01T14:00:00Z: trading halted',
    );
    // Logged as well, critical as an error.
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'error']);
  });

  it('retries a 5xx, and gives up after its attempts naming the host, never the secret path', async () => {
    const logger = recordingLogger();
    const n = createWebhookNotifier({ url: `${base}/hooks/T0/secret-path`, logger, backoffMs: 1, attempts: 3 });
    script = [503];
    expect(await n.notify(alerts)).toBe(true);
    expect(received).toHaveLength(2);
    received = [];
    script = [500, 502, 503];
    expect(await n.notify(alerts)).toBe(false);
    expect(received).toHaveLength(3);
    const failure = logger.lines.at(-1)!;
    expect(failure.msg).toBe(`could not deliver 2 alert(s) to the webhook at ${base.slice(7)}: HTTP 503; they are stored with their runs`);
    expect(JSON.stringify(logger.lines)).not.toContain('secret-path');
  });

  it('does not retry a 4xx refusal, and sends nothing for no alerts', async () => {
    const n = createWebhookNotifier({ url: `${base}/x`, logger: recordingLogger(), backoffMs: 1 });
    script = [400];
    expect(await n.notify(alerts)).toBe(false);
    expect(received).toHaveLength(1);
    expect(await n.notify([])).toBe(true);
    expect(received).toHaveLength(1);
  });
});

describe('createNotifier', () => {
  it('logs only without ALERT_WEBHOOK_URL, and uses the webhook with it', async () => {
    const logger = recordingLogger();
    const log = createNotifier({}, logger);
    expect(log.kind).toBe('log');
    expect(await log.notify(alerts)).toBe(true);
    expect(logger.lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'ALERT model m@1 underperforms: Sharpe -0.4'],
      ['error', 'ALERT trading halted'],
    ]);
    expect(received).toHaveLength(0);
    expect(createNotifier({ webhookUrl: `${base}/y` }, logger).kind).toBe('webhook');
    expect(createLogNotifier(logger).kind).toBe('log');
  });
});
