/**
 * The feature store on the test Postgres: feature-set versions by definition
 * (same parameters in another key order: same version; changed: the next;
 * concurrent first registrations: one), rows under two versions side by
 * side, a re-run replacing rows, and a failing write leaving none. Expected
 * values are what the test itself writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatureStoreRepo } from '../src/adapters/postgres/feature-store-repo';
import { createUniverseRepo } from '../src/adapters/postgres/universe-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { DAILY_FEATURE_SET } from '../src/domain/features';
import { testDb, uniqueName } from './helpers';

let db: Db;
let repo: ReturnType<typeof createFeatureStoreRepo>;
beforeAll(() => {
  db = testDb();
  repo = createFeatureStoreRepo(db);
});
afterAll(async () => {
  await db.end();
});

const rowCount = async (set: string) =>
  Number((await db.query('SELECT count(*) AS n FROM feature_store WHERE feature_set = $1', [set])).rows[0].n);

describe('feature store', () => {
  it('numbers definitions: the same parameters are the same version, changed ones the next', async () => {
    const name = uniqueName('fs');
    const def = DAILY_FEATURE_SET.definition;
    const v1 = await repo.ensureFeatureSet(name, def);
    expect(v1).toMatchObject({ version: 1, created: true });
    const reordered = Object.fromEntries(Object.entries(def).reverse());
    expect(await repo.ensureFeatureSet(name, reordered)).toMatchObject({ version: 1, created: false });
    const v2 = await repo.ensureFeatureSet(name, { ...def, rsiPeriod: 10 });
    expect(v2).toMatchObject({ version: 2, created: true });
    expect((await repo.featureSetVersions(name)).map((v) => [v.version, (v.definition as { rsiPeriod: number }).rsiPeriod])).toEqual([
      [1, 14],
      [2, 10],
    ]);
  });

  it('gives concurrent first registrations of a definition one version', async () => {
    const name = uniqueName('fsc');
    const all = await Promise.all(Array.from({ length: 8 }, () => repo.ensureFeatureSet(name, DAILY_FEATURE_SET.definition)));
    expect(all.filter((v) => v.created)).toHaveLength(1);
    expect(new Set(all.map((v) => v.version))).toEqual(new Set([1]));
  });

  it('keeps rows of two versions apart, replaces on re-run, and reads by date and symbols', async () => {
    const name = uniqueName('fsr');
    const v1 = await repo.ensureFeatureSet(name, DAILY_FEATURE_SET.definition);
    const v2 = await repo.ensureFeatureSet(name, { ...DAILY_FEATURE_SET.definition, rsiPeriod: 10 });
    await repo.upsertFeatures(v1, [
      { symbol: 'AAPL', date: '2025-03-14', features: { rsi_14: 61.5, sma_200: null } },
      { symbol: 'MSFT', date: '2025-03-14', features: { rsi_14: 40 } },
    ]);
    await repo.upsertFeatures(v2, [{ symbol: 'AAPL', date: '2025-03-14', features: { rsi_10: 70 } }]);
    expect(Object.fromEntries(await repo.featuresOn(v1, '2025-03-14'))).toEqual({
      AAPL: { rsi_14: 61.5, sma_200: null },
      MSFT: { rsi_14: 40 },
    });
    expect(Object.fromEntries(await repo.featuresOn(v2, '2025-03-14'))).toEqual({ AAPL: { rsi_10: 70 } });
    await repo.upsertFeatures(v1, [{ symbol: 'AAPL', date: '2025-03-14', features: { rsi_14: 62 } }]);
    expect(Object.fromEntries(await repo.featuresOn(v1, '2025-03-14', ['AAPL']))).toEqual({ AAPL: { rsi_14: 62 } });
    expect(await rowCount(name)).toBe(3);
  });

  it('writes a day all or none: a bad row leaves nothing of the call behind', async () => {
    const name = uniqueName('fsx');
    const v1 = await repo.ensureFeatureSet(name, DAILY_FEATURE_SET.definition);
    const rows = Array.from({ length: 2500 }, (_, i) => ({ symbol: `S${i}`, date: '2025-03-14', features: { x: i } }));
    rows[2400] = { ...rows[2400], date: '2025-02-30' };
    await expect(repo.upsertFeatures(v1, rows)).rejects.toThrow(/2025-02-30|date/);
    expect(await rowCount(name)).toBe(0);
  });
});

describe('trading universe', () => {
  it('keeps spells per symbol: added when listed, removed when no longer listed, point in time', async () => {
    const u = createUniverseRepo(db);
    const [a, b, c] = [uniqueName('A'), uniqueName('B'), uniqueName('C')];
    const mine = (symbols: string[]) => symbols.filter((s) => [a, b, c].includes(s));
    expect(
      await u.refresh('2025-01-02', [
        { symbol: a, sector: 'Technology' },
        { symbol: b, sector: null },
      ]),
    ).toEqual({
      added: [a, b].sort(),
      removed: [],
    });
    const later = await u.refresh('2025-02-03', [
      { symbol: b, sector: null },
      { symbol: c, sector: 'Energy' },
    ]);
    expect(later.added).toEqual([c]);
    expect(mine(later.removed)).toEqual([a]);
    expect(mine(await u.activeOn('2025-01-15'))).toEqual([a, b].sort());
    expect(mine(await u.activeOn('2025-02-03'))).toEqual([b, c].sort());
    expect(mine(await u.activeOn('2025-01-01'))).toEqual([]);
    // Re-listing A opens a second spell; the first stays closed.
    await u.refresh('2025-03-03', [{ symbol: a, sector: 'Technology' }]);
    const spells = await db.query(
      "SELECT status, to_char(added_on, 'YYYY-MM-DD') AS added, to_char(removed_on, 'YYYY-MM-DD') AS removed FROM trading_universe WHERE symbol = $1 ORDER BY added_on",
      [a],
    );
    expect(spells.rows).toEqual([
      { status: 'removed', added: '2025-01-02', removed: '2025-02-03' },
      { status: 'active', added: '2025-03-03', removed: null },
    ]);
  });
});
