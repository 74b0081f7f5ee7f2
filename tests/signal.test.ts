/**
 * WF3 `signal` on the real stack: market_data seeded from the synthetic
 * market, WF2 run first, then WF3. Checks the candidates (quintiles 1-2),
 * the technical branch against SMA 50/200 computed here, the combination
 * arithmetic and the classification thresholds recomputed here, no news ->
 * sentiment 50 with has_sentiment false, the sentiment-weight-0 rollback,
 * the Parquet file and the report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { startTestWorker, testClient, testConfig, testDb } from './helpers';
import { adjCloses, causeChain, seedMarketData } from './daily-fixtures';
import { parquetSchemaInfo, readParquet } from '../src/adapters/parquet';
import { createScreeningRepo } from '../src/adapters/postgres/screening-repo';
import { createSignalRepo, type SignalResultRow } from '../src/adapters/postgres/signal-repo';
import { runScreen, runSignal } from '../src/cli/commands/pipeline';
import type { Db } from '../src/adapters/postgres/pool';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSentimentClassifier } from '../src/adapters/sentiment';

const config = testConfig();
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let client: Client;
let db: Db;
const D = '2024-06-28';

beforeAll(async () => {
  db = testDb();
  await seedMarketData(db, { from: '2023-01-03', to: D });
  worker = await startTestWorker(config);
  client = await testClient();
  await runScreen(client, config.temporal.taskQueue, { date: D });
});

afterAll(async () => {
  await worker?.stop();
  await client?.connection.close();
  await db?.end();
});

/** Thresholds of the issue: >= 75 strong buy, >= 60 buy, >= 40 hold, >= 25 sell, else strong sell. */
const expectedClass = (s: number) => (s >= 75 ? 'strong_buy' : s >= 60 ? 'buy' : s >= 40 ? 'hold' : s >= 25 ? 'sell' : 'strong_sell');
const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;

describe('signal (WF3)', () => {
  let first: SignalResultRow[];

  it('scores quintiles 1-2 with three branches and classifies the combined score', async () => {
    const r = await runSignal(client, config.temporal.taskQueue, { date: D });
    const q12 = (await createScreeningRepo(db).getScreeningResults(D, 2)).map((x) => x.symbol).sort();
    expect(q12).toHaveLength(20);
    expect(r).toMatchObject({ date: D, status: 'completed', symbols: 20, withNews: 0 });
    expect(r.weights).toEqual({ technical: 0.3, fundamental: 0.4, sentiment: 0.3 });

    const repo = createSignalRepo(db);
    first = await repo.getSignalResults(D);
    expect(first.map((x) => x.symbol).sort()).toEqual(q12);
    const dist = { strong_buy: 0, buy: 0, hold: 0, sell: 0, strong_sell: 0 };
    for (const x of first) {
      // no news provider configured: neutral sentiment, flagged
      expect(x.hasSentiment).toBe(false);
      expect(x.sentimentScore).toBe(50);
      expect(x.newsCount).toBe(0);
      expect(x.combinedScore).toBeCloseTo(0.3 * x.technicalScore + 0.4 * x.fundamentalScore + 0.3 * 50, 10);
      expect(x.signal).toBe(expectedClass(x.combinedScore));
      dist[x.signal]++;
    }
    expect(r.distribution).toEqual(dist);
    expect((await repo.getSignalRun(D))?.distribution).toEqual(dist);

    // Technical branch, independently: SMA 50 vs SMA 200 of the adjusted closes decides the SMA component.
    for (const x of first.slice(0, 5)) {
      const closes = await adjCloses(db, x.symbol, D, '2023-04-05');
      const sma50 = mean(closes.slice(-50));
      const sma200 = mean(closes.slice(-200));
      const sma = (x.details.technical as { sma: number }).sma;
      expect(sma).toBe(sma50 > sma200 ? 100 : 0);
    }
    // Every fundamental score is a weighted mix of parts on 0..100.
    for (const x of first) {
      expect(x.fundamentalScore).toBeGreaterThanOrEqual(0);
      expect(x.fundamentalScore).toBeLessThanOrEqual(100);
    }

    const bytes = await worker.store.get(r.parquetKey!);
    expect(r.parquetKey).toBe('signals/year=2024/month=06/day=28/signals.parquet');
    const info = await parquetSchemaInfo(bytes);
    expect(info.numRows).toBe(20);
    expect(info.columns.find((c) => c.name === 'has_sentiment')?.type).toBe('boolean');
    const t = await readParquet(bytes, { columns: ['symbol', 'combined_score'] });
    expect(Array.from(t.columns.combined_score as Float64Array)).toEqual(first.map((x) => x.combinedScore));

    const report = new TextDecoder().decode(await worker.store.get(r.reportKey!));
    expect(report).toContain(`# Signals ${D}`);
    expect(report).toContain('## Distribution');
    expect(report).toContain('## Top buys');
    expect(report).toContain('## Top sells');
    expect(report).toContain('n/a (no news, 50)');
  });

  it('sentiment weight 0 rolls back to technical + fundamental, renormalised', async () => {
    const r = await runSignal(client, config.temporal.taskQueue, { date: D, weights: { sentiment: 0 } });
    expect(r.weights?.sentiment).toBe(0);
    expect(r.weights?.technical).toBeCloseTo(3 / 7, 12);
    expect(r.weights?.fundamental).toBeCloseTo(4 / 7, 12);
    const rows = await createSignalRepo(db).getSignalResults(D);
    expect(rows).toHaveLength(20);
    const before = new Map(first.map((x) => [x.symbol, x]));
    for (const x of rows) {
      const b = before.get(x.symbol)!;
      expect(x.technicalScore).toBe(b.technicalScore);
      expect(x.fundamentalScore).toBe(b.fundamentalScore);
      expect(x.combinedScore).toBeCloseTo((0.3 * b.technicalScore + 0.4 * b.fundamentalScore) / 0.7, 10);
      expect(x.signal).toBe(expectedClass(x.combinedScore));
    }
    // The run row of the date was replaced, not duplicated.
    const n = await db.query('SELECT count(*)::int AS n FROM signal_runs WHERE run_date = $1', [D]);
    expect(n.rows[0].n).toBe(1);
  });

  it('fails clearly when the screen of a trading day has not run, and gives no_trading_data on a holiday', async () => {
    const err = await runSignal(client, config.temporal.taskQueue, { date: '2024-06-27' }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(causeChain(err)).toMatch(/no screening for 2024-06-27/);
    const holiday = await runSignal(client, config.temporal.taskQueue, { date: '2024-06-19' }); // Juneteenth
    expect(holiday.status).toBe('no_trading_data');
  });

  it('with news from a loopback Finnhub: headlines classified and decayed, has_sentiment true only where there is news', async () => {
    const q12 = (await createScreeningRepo(db).getScreeningResults(D, 2)).map((x) => x.symbol);
    const [good, bad] = q12;
    const at = (date: string, hour: number) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`) / 1000;
    const news: Record<string, { headline: string; datetime: number }[]> = {
      [good]: [
        { headline: `${good} beats earnings estimates and raises full-year guidance`, datetime: at(D, 14) },
        { headline: `${good} shares surge to a record high after strong quarterly revenue growth`, datetime: at('2024-06-26', 13) },
      ],
      [bad]: [
        { headline: `${bad} cuts outlook as sales fall and shares plunge`, datetime: at('2024-06-27', 15) },
        // outside the 7-day window: ignored
        { headline: `${bad} reports record profit`, datetime: at('2024-06-10', 15) },
      ],
    };
    let requests = 0;
    const server: Server = createServer((req, res) => {
      requests++;
      const u = new URL(req.url ?? '/', 'http://x');
      const sym = u.searchParams.get('symbol') ?? '';
      const items = (news[sym] ?? []).map((n, i) => ({
        category: 'company',
        datetime: n.datetime,
        headline: n.headline,
        id: sym.length * 1000 + i,
        image: '',
        related: sym,
        source: 'Test',
        summary: '',
        url: `https://example.test/${sym}/${i}`,
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(items));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const newsConfig = testConfig({
      FINNHUB_API_KEY: 'test-key',
      FINNHUB_BASE_URL: `http://127.0.0.1:${port}`,
      FINNHUB_PER_MINUTE: '6000',
    });
    const w2 = await startTestWorker(newsConfig);
    try {
      const r = await runSignal(client, newsConfig.temporal.taskQueue, { date: D });
      expect(r.withNews).toBe(2);
      expect(requests).toBeGreaterThanOrEqual(20);
      const rows = await createSignalRepo(db).getSignalResults(D);
      const by = new Map(rows.map((x) => [x.symbol, x]));
      for (const x of rows)
        if (x.symbol !== good && x.symbol !== bad) expect(x).toMatchObject({ hasSentiment: false, sentimentScore: 50, newsCount: 0 });
      expect(by.get(good)).toMatchObject({ hasSentiment: true, newsCount: 2 });
      expect(by.get(bad)).toMatchObject({ hasSentiment: true, newsCount: 1 });

      // Independent decay: weights 0.5^(age days / 3) from the end of the run date, score = 50 (1 + weighted mean).
      const clf = await createSentimentClassifier(newsConfig);
      try {
        const asOf = Date.parse('2024-06-29T00:00:00Z');
        for (const sym of [good, bad]) {
          const inWindow = news[sym].filter((n) => asOf - n.datetime * 1000 <= 7 * 86_400_000);
          const preds = await clf.classify(inWindow.map((n) => n.headline));
          let sw = 0;
          let sv = 0;
          inWindow.forEach((n, i) => {
            const w = Math.pow(0.5, (asOf - n.datetime * 1000) / 86_400_000 / 3);
            sw += w;
            sv += w * preds[i].score;
          });
          const x = by.get(sym)!;
          expect(x.sentimentScore).toBeCloseTo(50 * (1 + sv / sw), 9);
          expect(x.combinedScore).toBeCloseTo(0.3 * x.technicalScore + 0.4 * x.fundamentalScore + 0.3 * x.sentimentScore, 10);
        }
      } finally {
        await clf.close();
      }
      const report = new TextDecoder().decode(await worker.store.get(r.reportKey!));
      expect(report).toContain(`(2 news)`);
    } finally {
      await w2.stop();
      server.close();
    }
  });

  it('a news outage degrades the sentiment branch to neutral with a warning, and the run completes', async () => {
    // Every news request is refused (nothing listens on the port): an outage, not a quiet week.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const outageConfig = testConfig({
      FINNHUB_API_KEY: 'test-key',
      FINNHUB_BASE_URL: `http://127.0.0.1:${port}`,
      FINNHUB_PER_MINUTE: '6000',
    });
    const w3 = await startTestWorker(outageConfig);
    try {
      const r = await runSignal(client, outageConfig.temporal.taskQueue, { date: D });
      expect(r).toMatchObject({ date: D, status: 'completed', symbols: 20, withNews: 0 });
      expect(r.warnings?.[0]).toMatch(/news unavailable .*sentiment is neutral \(50, has_sentiment = false\) for all 20 symbols/);
      const rows = await createSignalRepo(db).getSignalResults(D);
      expect(rows).toHaveLength(20);
      for (const x of rows) expect(x).toMatchObject({ hasSentiment: false, sentimentScore: 50, newsCount: 0 });
      const report = new TextDecoder().decode(await worker.store.get(r.reportKey!));
      expect(report).toMatch(/> \*\*Warning:\*\* news unavailable/);
      // The branch gave up after its own two attempts, not after the outage window.
      const history = await client.workflow.getHandle(`signal-${D}`).fetchHistory();
      const sentimentFailures = history.events!.filter(
        (e) => e.activityTaskStartedEventAttributes && (e.activityTaskStartedEventAttributes.attempt ?? 1) === 2,
      );
      expect(sentimentFailures.length).toBeGreaterThanOrEqual(1);
    } finally {
      await w3.stop();
    }
  });
});
