/**
 * Bad intraday input on the real stack, through the `file` provider (a CSV
 * written from the synthetic market of 2025-03-13/14 with holes cut in it):
 *
 * - `intradayData` names a symbol with a gap (AAPL, the 10:30 bar missing), a
 *   symbol halted mid-day (MSFT, no bars from 14:00 New York time) and a
 *   symbol with no bars at all (INGM), and stores the rest;
 * - a signal cycle of the pairs strategy whose second symbol has no data says
 *   so and places nothing: no single-leg pair position;
 * - a file with an impossible row fails the workflow at once, non-retryably,
 *   naming the row and the column, and stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError, type ApplicationFailure } from '@temporalio/client';
import { testConfig, testDb, uniqueName, useTestStack } from './helpers';
import { createSyntheticIntradayProvider } from '../src/adapters/intraday/synthetic';
import { INTRADAY_SYMBOLS } from '../src/adapters/intraday/universe';
import { sessionBarStarts } from '../src/domain/intraday-bars';
import type { IntradayBar } from '../src/domain/strategies/types';
import type { Db } from '../src/adapters/postgres/pool';
import { intradayData, strategySignals } from '../workflows';

const dir = mkdtempSync(join(tmpdir(), 'intraday-file-'));
const holed = join(dir, 'holed.csv');
const broken = join(dir, 'broken.csv');
const HALT = Date.parse('2025-03-14T18:00:00Z'); // 14:00 New York (EDT)
const GAP = Date.parse('2025-03-14T14:30:00Z'); // 10:30 New York

const csv = (bars: readonly IntradayBar[]) =>
  [
    'symbol,ts,open,high,low,close,volume',
    ...bars.map((b) => [b.symbol, new Date(b.ts).toISOString(), b.open, b.high, b.low, b.close, b.volume].join(',')),
  ].join('\n');

let db: Db;
/** Bars of 2025-03-14 in the file (the synthetic market itself skips a symbol now and then: its gap days). */
let fileBarsOfDay = 0;
beforeAll(async () => {
  db = testDb();
  const p = createSyntheticIntradayProvider({ seed: 20000127 });
  const from = sessionBarStarts('2025-03-13', '5m')[0]!;
  const to = sessionBarStarts('2025-03-14', '5m').at(-1)! + 300_000;
  const { bars } = await p.fetchBars(INTRADAY_SYMBOLS, from, to, '5m');
  const kept = bars.filter((b) => b.symbol !== 'INGM' && !(b.symbol === 'AAPL' && b.ts === GAP) && !(b.symbol === 'MSFT' && b.ts >= HALT));
  writeFileSync(holed, csv(kept));
  fileBarsOfDay = kept.filter((b) => b.ts >= sessionBarStarts('2025-03-14', '5m')[0]!).length;
  const bad = kept.slice(0, 10).map((b) => ({ ...b }));
  writeFileSync(
    broken,
    csv(bad).replace(
      /\n([^\n]*)$/,
      (_m, last: string) =>
        `\n${last
          .split(',')
          .map((v, i) => (i === 5 ? 'abc' : v))
          .join(',')}`,
    ),
  );
});
afterAll(async () => {
  await db?.end();
});

describe('intraday bars with holes', () => {
  const config = testConfig({ INTRADAY_SOURCE: 'file', INTRADAY_FILE: holed });
  const ctx = useTestStack(config);

  it('names the gap, the halted symbol and the missing one, and stores the rest', async () => {
    const r = await ctx.client.workflow.execute(intradayData, {
      taskQueue: config.temporal.taskQueue,
      workflowId: uniqueName('intraday-data-holes'),
      args: [{ date: '2025-03-14' }],
    });
    const bars = r.bars!;
    expect(bars.gaps).toContainEqual({ symbol: 'AAPL', missing: 1 });
    expect(bars.halted).toContainEqual({ symbol: 'MSFT', since: 'halted since 14:00 ET' });
    expect(bars.missing).toContain('INGM');
    // Every bar of the day in the file: the holes are reported, not refused.
    expect(bars.stored).toBe(fileBarsOfDay);
    expect(fileBarsOfDay).toBeLessThanOrEqual(51 * 78 - 78 - 1 - 24); // less INGM's 78, AAPL's one and MSFT's 24 (14:00 .. 15:55)
    const n = await db.query(`SELECT count(*)::int AS n FROM intraday_bars WHERE symbol = 'MSFT' AND ts >= $1`, [new Date(HALT)]);
    expect(n.rows[0].n).toBe(0);
  });

  it('a pair whose second symbol has no data says so and opens no leg', async () => {
    const r = await ctx.client.workflow.execute(strategySignals, {
      taskQueue: config.temporal.taskQueue,
      workflowId: uniqueName('strategy-signals-no-ingm'),
      args: [{ at: '2025-03-14T14:35:00-04:00', book: { kind: 'replay', tag: 'no-ingm' }, strategies: ['pairs_aten_ingm'] }],
    });
    expect(r.problems.join('\n')).toMatch(/INGM/);
    expect(r.outcome?.lines.filter((l) => l.strategy === 'pairs_aten_ingm')).toEqual([]);
    const orders = await db.query(`SELECT count(*)::int AS n FROM trading_orders WHERE broker = 'replay:2025-03-14:no-ingm'`);
    expect(orders.rows[0].n).toBe(0);
  });
});

describe('an intraday file with an impossible row', () => {
  const config = testConfig({ INTRADAY_SOURCE: 'file', INTRADAY_FILE: broken });
  const ctx = useTestStack(config);

  it('fails at once, naming the row and the column, and stores nothing', async () => {
    const before = (await db.query(`SELECT count(*)::int AS n FROM intraday_bars`)).rows[0].n;
    const err = await ctx.client.workflow
      .execute(intradayData, {
        taskQueue: config.temporal.taskQueue,
        workflowId: uniqueName('intraday-data-broken'),
        args: [{ date: '2025-03-14' }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const messages: string[] = [];
    for (let e: unknown = err; e instanceof Error; e = e.cause) messages.push(e.message);
    const cause = messages.join(' / ');
    expect(cause).toMatch(/broken\.csv: row 10 \(line 11\), column close: not a number/);
    // Not retried: the activity's failure is non-retryable (a file that is wrong stays wrong).
    expect(((err as WorkflowFailedError).cause?.cause as ApplicationFailure).nonRetryable).toBe(true);
    expect((await db.query(`SELECT count(*)::int AS n FROM intraday_bars`)).rows[0].n).toBe(before);
  });
});
