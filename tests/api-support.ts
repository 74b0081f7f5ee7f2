/**
 * Shared parts of the execution-service tests: start the real service (real
 * HTTP and WebSocket, the paper venue on the file's own Postgres database,
 * prices from a manual feed), create keys, and small HTTP/WS helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createPaperBroker, type PaperBroker } from '../src/adapters/broker/paper';
import { createApiKeyRepo, type ApiKeyRole } from '../src/adapters/postgres/api-key-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { createManualPriceFeed, type ManualPriceFeed } from '../src/adapters/price-feed/manual';
import { createFeedQuoteSource } from '../src/api/quotes';
import { startApiService, type ApiService } from '../src/api/service';
import { freePort } from '../src/stack/free-port';
import { testConfig, uniqueName } from './helpers';

/** Symbols the feed prices, all at 100 unless a test moves them. */
export const TEST_SYMBOLS = ['AAPL', 'MSFT', 'XOM', 'JPM', 'KO', 'PG', 'PEP', 'WMT', 'CAT', 'HON', 'UPS', 'NEE', 'DUK', 'SO', 'LIN', 'APD'];

export interface TestService {
  service: ApiService;
  broker: PaperBroker;
  feed: ManualPriceFeed;
  url: string;
  close(): Promise<void>;
}

export async function startTestService(db: Db, env: Record<string, string> = {}): Promise<TestService> {
  const config = testConfig({ API_MARKET_HOURS: 'always', PAPER_MARKET_HOURS: 'always', API_REFRESH_SECONDS: '1', ...env });
  const feed = createManualPriceFeed({ initial: Object.fromEntries(TEST_SYMBOLS.map((s) => [s, 100])) });
  const broker = await createPaperBroker({
    db,
    feed,
    account: uniqueName('api'),
    startingCash: 1_000_000,
    spreadBps: 0,
    slippageBps: 0,
    outsideHours: 'queue',
    marketHours: 'always',
  });
  const service = await startApiService({ config, db, broker, quotes: createFeedQuoteSource(feed), port: 0, log: () => undefined });
  return {
    service,
    broker,
    feed,
    url: service.url,
    async close() {
      await service.close();
      await broker.close();
      await feed.close();
    },
  };
}

export async function createKey(db: Db, role: ApiKeyRole): Promise<string> {
  return (await createApiKeyRepo(db).create(uniqueName(role), role)).key;
}

export interface HttpAnswer {
  status: number;
  body: any;
}

/** One HTTP call; a JSON body is sent as application/json unless `raw` is given. */
export async function call(
  url: string,
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  raw?: string,
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (docs page, Prometheus text)
  }
  return { status: res.status, body: parsed };
}

/** A WebSocket client that keeps every event it receives. */
export async function openEvents(
  url: string,
  key: string,
): Promise<{ ws: WebSocket; events: { at: number; event: any }[]; close(): void }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers: { authorization: `Bearer ${key}` } });
  const events: { at: number; event: any }[] = [];
  ws.on('message', (data) => {
    const at = Date.now();
    for (const event of JSON.parse(String(data)) as unknown[]) events.push({ at, event });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade answered ${res.statusCode}`)));
  });
  return { ws, events, close: () => ws.close() };
}

/** Poll until `probe` returns a value, or fail naming `what` after `ms`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const signal = (over: Record<string, unknown> = {}) => ({
  symbol: 'AAPL',
  action: 'BUY',
  confidence: 0.9,
  strategy_id: 'moving_average_crossover',
  idempotency_key: uniqueName('sig'),
  ...over,
});

/**
 * Start `quant api` as a child process (the real CLI entry) on a free port
 * with `env` added to this process's, and resolve with its URL once it prints
 * it; rejects with everything it printed if it exits first.
 */
export async function spawnApi(env: Record<string, string>, ms = 60_000): Promise<{ child: ChildProcess; url: string; output(): string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'src', 'cli', 'main.ts'), 'api'], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, API_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`quant api did not start in ${ms / 1000} s:\n${output}`)), ms);
    const onData = (d: Buffer) => {
      output += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`quant api exited with ${code}:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** Resolves when the child has exited (at once if it already has). */
export const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
