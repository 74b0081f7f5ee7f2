/**
 * `npm run bench:paper`: the local paper venue's own cost on the execution
 * service's hot path (submit -> stored -> acknowledged), against embedded
 * Postgres in a throwaway data dir on a free port. Prints ONE JSON object:
 * - seq_p50_ms / seq_p95_ms / seq_p99_ms: one market order at a time
 *   (each fills at once, so this is validate + match + one stored change);
 * - conc_orders_per_s / conc_p99_ms: `CONCURRENCY` orders in flight (group
 *   commit batches their writes);
 * - conc_cpu_ms_per_order: this process's CPU time per order in that phase
 *   (less sensitive to a busy machine than the wall-clock figures;
 *   load_avg_1m/5m/15m say how busy it was);
 * - resting_orders: open limit orders on the book during both phases (a
 *   submit must not slow down with the book's history).
 * Knobs: BENCH_SEQ_ORDERS (2000), BENCH_CONC_ORDERS (10000), BENCH_CONCURRENCY (50).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPaperBroker } from '../src/adapters/broker/paper';
import { createManualPriceFeed } from '../src/adapters/price-feed/manual';
import { createPool } from '../src/adapters/postgres/pool';
import { migrate } from '../src/adapters/postgres/migrate';
import { startEmbeddedPostgres, stopEmbeddedPostgres } from '../src/stack/postgres';
import { freePort } from '../src/stack/free-port';
import { quantile } from '../src/domain/stats';
import { loadAverage } from './support';

const SEQ = Number(process.env.BENCH_SEQ_ORDERS ?? 2000);
const CONC_ORDERS = Number(process.env.BENCH_CONC_ORDERS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const RESTING = 500;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-paper-'));
  try {
    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: (m) => process.stderr.write(`${m}\n`) });
    const db = createPool(pg.url, 10);
    await migrate(db);
    const symbols = ['AAA', 'BBB', 'CCC', 'DDD'];
    const feed = createManualPriceFeed({ initial: Object.fromEntries(symbols.map((s) => [s, 100])) });
    const broker = await createPaperBroker({
      db,
      feed,
      account: 'bench',
      startingCash: 1e12,
      spreadBps: 5,
      slippageBps: 2,
      outsideHours: 'queue',
      marketHours: 'always',
    });
    let n = 0;
    const order = (side: 'buy' | 'sell') => ({
      clientOrderId: `bench-${n++}`,
      symbol: symbols[n % symbols.length],
      side,
      qty: 1,
      type: 'market' as const,
      timeInForce: 'day' as const,
    });
    for (let i = 0; i < RESTING; i++) await broker.submitOrder({ ...order('buy'), type: 'limit', limitPrice: 50, timeInForce: 'gtc' });

    const seq: number[] = [];
    for (let i = 0; i < SEQ; i++) {
      const t0 = performance.now();
      await broker.submitOrder(order(i % 2 === 0 ? 'buy' : 'sell'));
      seq.push(performance.now() - t0);
    }

    const conc: number[] = [];
    let next = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CONC_ORDERS) {
          next++;
          const t = performance.now();
          await broker.submitOrder(order(next % 2 === 0 ? 'buy' : 'sell'));
          conc.push(performance.now() - t);
        }
      }),
    );
    const concSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await broker.close();
    await db.end();
    const r2 = (x: number) => Math.round(x * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        seq_orders: SEQ,
        seq_p50_ms: r2(quantile(seq, 0.5)),
        seq_p95_ms: r2(quantile(seq, 0.95)),
        seq_p99_ms: r2(quantile(seq, 0.99)),
        conc_orders: CONC_ORDERS,
        concurrency: CONCURRENCY,
        conc_orders_per_s: Math.round(CONC_ORDERS / concSeconds),
        conc_p99_ms: r2(quantile(conc, 0.99)),
        conc_cpu_ms_per_order: r2((cpu.user + cpu.system) / 1000 / CONC_ORDERS),
        ...loadAverage(),
        resting_orders: RESTING,
      })}\n`,
    );
  } finally {
    await stopEmbeddedPostgres(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
