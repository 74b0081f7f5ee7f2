/**
 * The intraday bar store (`intraday_bars`, sql/013) on the test Postgres:
 * upsert and read back by time range in symbol-then-time order, idempotent
 * repeats, a changed bar or source updating the one row of its key,
 * intervals kept apart, duplicates in one call, chunks above 5,000 rows in
 * one transaction (a failing chunk leaves nothing), the retention delete and
 * the latest bar. Expected values are the bars the test itself writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntradayRepo } from '../src/adapters/postgres/intraday-repo';
import type { Db } from '../src/adapters/postgres/pool';
import type { IntradayBar } from '../src/domain/strategies/types';
import { sessionBarStarts } from '../src/domain/intraday-bars';
import { testDb, uniqueName } from './helpers';

let db: Db;
let repo: ReturnType<typeof createIntradayRepo>;
beforeAll(() => {
  db = testDb();
  repo = createIntradayRepo(db);
});
afterAll(async () => {
  await db.end();
});

const starts = sessionBarStarts('2024-03-04', '5m');
const bar = (symbol: string, ts: number, close: number, volume = 1000): IntradayBar => ({
  symbol,
  ts,
  open: close - 0.1,
  high: close + 0.2,
  low: close - 0.3,
  close,
  volume,
});
const sym = () => uniqueName('S').toUpperCase();
const rowsOf = async (symbol: string) =>
  (
    await db.query<{ interval: string; source: string; n: string }>(
      'SELECT interval, source, count(*) AS n FROM intraday_bars WHERE symbol = $1 GROUP BY interval, source ORDER BY interval, source',
      [symbol],
    )
  ).rows.map((r) => [r.interval, r.source, Number(r.n)]);

describe('intraday repo', () => {
  it('stores bars and reads [from, to) back ordered by symbol then time, with millisecond times intact', async () => {
    const [a, b] = [sym(), sym()].sort();
    const bars = [
      bar(b, starts[1], 20.5),
      bar(a, starts[2], 10.25),
      bar(b, starts[0], 20.25, 0),
      bar(a, starts[0], 10, 123_456_789_012),
      bar(a, starts[1] + 123, 10.125), // an odd millisecond survives the TIMESTAMPTZ round trip
    ];
    expect(await repo.upsertBars('synthetic', '5m', bars)).toEqual({ written: 5, unchanged: 0 });
    expect(await repo.barsBetween([a, b], starts[0], starts[3], '5m')).toEqual([bars[3], bars[4], bars[1], bars[2], bars[0]]);
    // to is exclusive, from inclusive; other symbols and intervals are not returned
    expect((await repo.barsBetween([a], starts[1] + 123, starts[2], '5m')).map((x) => x.ts)).toEqual([starts[1] + 123]);
    expect(await repo.barsBetween([a], starts[0], starts[3], '1m')).toEqual([]);
    expect(await repo.barsBetween([], starts[0], starts[3], '5m')).toEqual([]);
  });

  it('is idempotent: the same bars again write nothing; a changed bar or source rewrites just that row', async () => {
    const s = sym();
    const bars = starts.slice(0, 10).map((t, i) => bar(s, t, 50 + i));
    expect(await repo.upsertBars('yahoo', '5m', bars)).toEqual({ written: 10, unchanged: 0 });
    expect(await repo.upsertBars('yahoo', '5m', bars)).toEqual({ written: 0, unchanged: 10 });
    const changed = [...bars];
    changed[3] = { ...bars[3], close: 99, high: 99.5 };
    expect(await repo.upsertBars('yahoo', '5m', changed)).toEqual({ written: 1, unchanged: 9 });
    expect((await repo.barsBetween([s], starts[3], starts[4], '5m'))[0]).toEqual(changed[3]);
    // Another source for the same key replaces the row (source is not in the key).
    expect(await repo.upsertBars('file', '5m', changed.slice(0, 2))).toEqual({ written: 2, unchanged: 0 });
    expect(await rowsOf(s)).toEqual([
      ['5m', 'file', 2],
      ['5m', 'yahoo', 8],
    ]);
  });

  it('keeps intervals apart and stores a (symbol, ts) repeated in one call once, with its last values', async () => {
    const s = sym();
    await repo.upsertBars('synthetic', '1m', [bar(s, starts[0], 1), bar(s, starts[0], 2), bar(s, starts[0] + 60_000, 3)]);
    await repo.upsertBars('synthetic', '15m', [bar(s, starts[0], 4)]);
    expect((await repo.barsBetween([s], starts[0], starts[1], '1m')).map((x) => x.close)).toEqual([2, 3]);
    expect((await repo.barsBetween([s], starts[0], starts[1], '15m')).map((x) => x.close)).toEqual([4]);
    expect(await rowsOf(s)).toEqual([
      ['15m', 'synthetic', 1],
      ['1m', 'synthetic', 2],
    ]);
    await expect(repo.upsertBars('synthetic', '2m' as never, [bar(s, starts[0], 1)])).rejects.toThrow(/interval must be/);
  });

  it('writes more than one chunk in one call, and a failing chunk leaves none of the call', async () => {
    const s = sym();
    const many = Array.from({ length: 12_001 }, (_, i) => bar(s, starts[0] + i * 60_000, 100 + (i % 50)));
    expect(await repo.upsertBars('synthetic', '1m', many)).toEqual({ written: 12_001, unchanged: 0 });
    expect(await repo.barsBetween([s], starts[0], starts[0] + 12_001 * 60_000, '1m')).toHaveLength(12_001);

    const t = sym();
    const bad = Array.from({ length: 11_000 }, (_, i) => bar(t, starts[0] + i * 60_000, 5));
    bad[10_500] = { ...bad[10_500], symbol: null as unknown as string }; // NOT NULL violation in the third chunk
    await expect(repo.upsertBars('synthetic', '1m', bad)).rejects.toThrow(/null value/);
    expect(await rowsOf(t)).toEqual([]);
  });

  it('deletes bars older than the cutoff (every interval) and tells the latest bar of an interval', async () => {
    // This file's database is its own, so these counts see only what the tests above and this one wrote.
    const s = sym();
    const old = Date.parse('2001-01-02T15:00:00Z');
    await repo.upsertBars('synthetic', '5m', [bar(s, old, 1), bar(s, old + 300_000, 1)]);
    await repo.upsertBars('synthetic', '15m', [bar(s, old, 1)]);
    const future = Date.parse('2031-06-02T14:30:00Z');
    await repo.upsertBars('synthetic', '15m', [bar(s, future, 2)]);
    expect(await repo.latestBarTs('15m')).toBe(future);
    expect(await repo.latestBarTs('5m')).toBe(starts[9]);

    expect(await repo.deleteOlderThan(old + 300_000)).toBe(2); // the 5m and the 15m bar at `old`
    expect(await repo.barsBetween([s], old, future + 1, '5m')).toEqual([bar(s, old + 300_000, 1)]);
    expect(await repo.deleteOlderThan(old + 300_000)).toBe(0);
    const before = Number((await db.query('SELECT count(*) AS n FROM intraday_bars WHERE ts < $1', [new Date(future)])).rows[0].n);
    expect(await repo.deleteOlderThan(future)).toBe(before);
    expect(await repo.latestBarTs('5m')).toBeNull();
    expect(await repo.latestBarTs('15m')).toBe(future);
  });
});
