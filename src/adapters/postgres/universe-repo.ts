/**
 * The point-in-time trading universe (`trading_universe`): which symbols were
 * eligible on a date. A refresh for a date opens a spell for every listed
 * symbol without an open one, closes the open spells of symbols no longer
 * listed (removed on that date), and moves an open spell's start earlier when
 * an earlier date is refreshed later (a backfill), all in one transaction.
 */
import { inTransaction, type Db } from './pool';

export interface UniverseEntry {
  symbol: string;
  sector: string | null;
  listing?: string | null;
}

export function createUniverseRepo(db: Db) {
  return {
    async refresh(date: string, entries: readonly UniverseEntry[]): Promise<{ added: string[]; removed: string[] }> {
      const symbols = entries.map((e) => e.symbol);
      return inTransaction(db, async (c) => {
        await c.query("SELECT pg_advisory_xact_lock(hashtext('trading_universe'))");
        const removed = await c.query<{ symbol: string }>(
          `UPDATE trading_universe SET status = 'removed', removed_on = greatest($1::date, added_on)
            WHERE removed_on IS NULL AND NOT (symbol = ANY($2::text[])) AND added_on <= $1::date RETURNING symbol`,
          [date, symbols],
        );
        await c.query(
          'UPDATE trading_universe SET added_on = $1::date WHERE removed_on IS NULL AND symbol = ANY($2::text[]) AND added_on > $1::date',
          [date, symbols],
        );
        const added = await c.query<{ symbol: string }>(
          `INSERT INTO trading_universe (symbol, sector, listing, added_on)
           SELECT s, sec, l, $4::date FROM unnest($1::text[], $2::text[], $3::text[]) AS t(s, sec, l)
            WHERE NOT EXISTS (SELECT 1 FROM trading_universe u WHERE u.symbol = t.s AND u.removed_on IS NULL)
           RETURNING symbol`,
          [symbols, entries.map((e) => e.sector), entries.map((e) => e.listing ?? null), date],
        );
        return { added: added.rows.map((r) => r.symbol).sort(), removed: removed.rows.map((r) => r.symbol).sort() };
      });
    },

    /** The symbols eligible on `date`: a spell that started on or before it and had not ended. */
    async activeOn(date: string): Promise<string[]> {
      const r = await db.query<{ symbol: string }>(
        `SELECT symbol FROM trading_universe WHERE added_on <= $1::date AND (removed_on IS NULL OR removed_on > $1::date) ORDER BY symbol`,
        [date],
      );
      return r.rows.map((x) => x.symbol);
    },
  };
}

export type UniverseRepo = ReturnType<typeof createUniverseRepo>;
