/**
 * The shared contract every NewsProvider implementation passes against a
 * loopback server playing recorded responses: well-formed items in range,
 * empty answers, 429 and 500 retried, malformed bodies and refused keys
 * failing without retries, and the API key absent from every error and log
 * line. Not a test file itself; `finnhub.test.ts` and `marketaux.test.ts`
 * call `describeNewsProviderContract`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeClock, startRecordedServer, type RecordedServer, type ScriptedResponse } from './__fixtures__/recorded-server';
import { ProviderHttpError, type Clock, type ProviderLogger } from '../http-json';
import type { NewsProvider } from './types';

export interface NewsContractSetup {
  /** The provider under test, built with this base URL, key, clock and logger, and 4 attempts. */
  make(o: { baseUrl: string; apiKey: string; clock: Clock; logger: ProviderLogger }): NewsProvider;
  providerName: string;
  /** The path the provider calls, e.g. '/company-news'. */
  path: string;
  /** Query parameter that carries the key. */
  keyParam: string;
  /** Serve the happy-path recording(s) as the path's default. */
  serveHappy(server: RecordedServer): void;
  /** A 200 body meaning "no news". */
  emptyBody: unknown;
  /** A 200 body in the wrong shape. */
  wrongShapeBody: unknown;
  /** A 401 body as the provider sends it. */
  unauthorizedBody: unknown;
  /** What the happy path returns for AAPL 2025-01-06..2025-01-10, newest first. */
  expectedHeadlines: string[];
}

const API_KEY = 'sk-test-7f3a9c21b4d8e6';

export function describeNewsProviderContract(setup: NewsContractSetup): void {
  describe(`NewsProvider contract: ${setup.providerName}`, () => {
    let server: RecordedServer;
    let clock: ReturnType<typeof createFakeClock>;
    let logs: string[];
    let provider: NewsProvider;
    const logger: ProviderLogger = {
      info: (m, meta) => logs.push(JSON.stringify({ m, meta })),
      warn: (m, meta) => logs.push(JSON.stringify({ m, meta })),
    };
    const noKeyAnywhere = (err?: unknown) => {
      expect(JSON.stringify(logs)).not.toContain(API_KEY);
      if (err instanceof Error) {
        expect(err.message).not.toContain(API_KEY);
        expect(err.stack ?? '').not.toContain(API_KEY);
        expect(JSON.stringify(err)).not.toContain(API_KEY);
      }
    };
    const failure = async (p: Promise<unknown>): Promise<ProviderHttpError> => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ProviderHttpError);
      return err as ProviderHttpError;
    };

    beforeAll(async () => {
      server = await startRecordedServer();
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => {
      server.reset();
      clock = createFakeClock();
      logs = [];
      provider = setup.make({ baseUrl: server.url, apiKey: API_KEY, clock, logger });
    });

    it('returns well-formed items in the requested range, newest first, without duplicates', async () => {
      setup.serveHappy(server);
      const items = await provider.companyNews('aapl', '2025-01-06', '2025-01-10');
      expect(items.map((i) => i.headline)).toEqual(setup.expectedHeadlines);
      for (const it of items) {
        expect(it.symbol).toBe('AAPL');
        expect(it.provider).toBe(setup.providerName);
        expect(new Date(it.publishedAt).toISOString()).toBe(it.publishedAt);
        expect(it.publishedAt >= '2025-01-06T00:00:00.000Z' && it.publishedAt <= '2025-01-10T23:59:59.999Z').toBe(true);
        expect(typeof it.source).toBe('string');
        expect(it.headline.trim()).toBe(it.headline);
      }
      const req = server.requests[0];
      expect(req.pathname).toBe(setup.path);
      expect(req.searchParams.get(setup.keyParam)).toBe(API_KEY);
      expect(req.toString()).toContain('AAPL');
      noKeyAnywhere();
    });

    it('returns [] when there is no news', async () => {
      server.setDefault(setup.path, { body: setup.emptyBody });
      expect(await provider.companyNews('MSFT', '2025-01-06', '2025-01-10')).toEqual([]);
    });

    it('retries a 429, waiting as Retry-After says', async () => {
      server.queue(setup.path, {
        status: 429,
        body: { error: 'API limit reached. Please try again later.' },
        headers: { 'retry-after': '3' },
      });
      setup.serveHappy(server);
      const items = await provider.companyNews('AAPL', '2025-01-06', '2025-01-10');
      expect(items.map((i) => i.headline)).toEqual(setup.expectedHeadlines);
      expect(clock.sleeps).toContain(3000);
      expect(server.requests.filter((r) => r.pathname === setup.path).length).toBeGreaterThanOrEqual(2);
      noKeyAnywhere();
    });

    it('retries a 500 with backoff', async () => {
      server.queue(setup.path, { status: 500, body: 'Internal Server Error' }, { status: 502, body: '<html>Bad Gateway</html>' });
      setup.serveHappy(server);
      const items = await provider.companyNews('AAPL', '2025-01-06', '2025-01-10');
      expect(items.map((i) => i.headline)).toEqual(setup.expectedHeadlines);
      expect(clock.sleeps.filter((s) => s >= 1000)).toEqual([1000, 2000]);
      noKeyAnywhere();
    });

    it('gives up after its attempts with a retryable error that names the symbol, not the key', async () => {
      server.setDefault(setup.path, { status: 503, body: 'Service Unavailable' });
      const err = await failure(provider.companyNews('AAPL', '2025-01-06', '2025-01-10'));
      expect(err.retryable).toBe(true);
      expect(err.status).toBe(503);
      expect(err.message).toContain('AAPL');
      expect(err.message).toContain(`${setup.keyParam}=***`);
      expect(server.requests.length).toBe(4);
      noKeyAnywhere(err);
    });

    it('fails a body that is not JSON without retrying', async () => {
      server.setDefault(setup.path, { body: '[{"headline": "Apple' });
      const err = await failure(provider.companyNews('AAPL', '2025-01-06', '2025-01-10'));
      expect(err.kind).toBe('malformed');
      expect(err.retryable).toBe(false);
      expect(server.requests.length).toBe(1);
      noKeyAnywhere(err);
    });

    it('fails a body of the wrong shape, naming the field', async () => {
      server.setDefault(setup.path, { body: setup.wrongShapeBody });
      const err = await failure(provider.companyNews('AAPL', '2025-01-06', '2025-01-10'));
      expect(err.kind).toBe('malformed');
      expect(err.message).toMatch(/unexpected response shape at \S+/);
      noKeyAnywhere(err);
    });

    it('fails a refused key at once, without echoing it', async () => {
      server.setDefault(setup.path, { status: 401, body: setup.unauthorizedBody });
      const err = await failure(provider.companyNews('AAPL', '2025-01-06', '2025-01-10'));
      expect(err.kind).toBe('auth');
      expect(err.retryable).toBe(false);
      expect(server.requests.length).toBe(1);
      noKeyAnywhere(err);
    });

    it('rejects a bad symbol or date range before any request', async () => {
      expect((await failure(provider.companyNews('AAPL&token=x', '2025-01-06', '2025-01-10'))).kind).toBe('client');
      expect((await failure(provider.companyNews('AAPL', '2025-01-10', '2025-01-06'))).kind).toBe('client');
      expect((await failure(provider.companyNews('AAPL', '6 Jan 2025', '2025-01-10'))).kind).toBe('client');
      expect(server.requests.length).toBe(0);
    });
  });
}

/** A scripted 200 response. */
export const ok = (body: unknown): ScriptedResponse => ({ status: 200, body });
