/**
 * Test support: a loopback HTTP server (127.0.0.1, ephemeral port) that plays
 * scripted responses per path, in order, then a default per path, and records
 * every request URL (so tests can check query parameters and call counts).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface ScriptedResponse {
  status?: number;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
  headers?: Record<string, string>;
}

export interface RecordedServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Every request, in order (path + query). */
  readonly requests: URL[];
  /** Queue responses for a path; they are served once each, in order. */
  queue(path: string, ...responses: ScriptedResponse[]): void;
  /** The response for a path once its queue is empty. */
  setDefault(path: string, response: ScriptedResponse | ((url: URL) => ScriptedResponse)): void;
  reset(): void;
  close(): Promise<void>;
}

/** A fixture file from this folder, as parsed JSON. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, name), 'utf8'));
}

export async function startRecordedServer(): Promise<RecordedServer> {
  const queues = new Map<string, ScriptedResponse[]>();
  const defaults = new Map<string, ScriptedResponse | ((url: URL) => ScriptedResponse)>();
  const requests: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const path = url.pathname;
    const d = defaults.get(path);
    const r = queues.get(path)?.shift() ?? (typeof d === 'function' ? d(url) : d) ?? { status: 404, body: { error: `no route ${path}` } };
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...r.headers });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue(path, ...responses) {
      queues.set(path, [...(queues.get(path) ?? []), ...responses]);
    },
    setDefault(path, response) {
      defaults.set(path, response);
    },
    reset() {
      queues.clear();
      defaults.clear();
      requests.length = 0;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** A clock for tests: `sleep` returns at once, advancing `now` and recording the wait. */
export function createFakeClock(start = Date.parse('2025-01-10T12:00:00Z')): {
  now(): number;
  sleep(ms: number): Promise<void>;
  sleeps: number[];
} {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}
