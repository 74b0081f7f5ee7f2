/**
 * The feature store (`feature_sets`, `feature_store`): the versions of each
 * feature set's definition, and the features of each (symbol, date) under a
 * version. A definition is known by its canonical hash, so registering the
 * same parameters again is the same version and changed parameters are the
 * next one; rows written under an old version stay readable under it.
 * A day's rows are written in one transaction (all or none), UPSERT by
 * (symbol, date, set, version), so a re-run replaces rather than duplicates.
 */
import { stableHash } from '../../config/load';
import type { Features } from '../../domain/features';
import { inTransaction, type Db } from './pool';

export interface FeatureSetVersion {
  name: string;
  version: number;
  definition: unknown;
  created: boolean;
}

export interface FeatureRow {
  symbol: string;
  date: string;
  features: Features;
}

/** Rows per INSERT statement. */
const BATCH = 2000;

export function createFeatureStoreRepo(db: Db) {
  return {
    /** The version of `name` whose definition this is, registered now when it is new. */
    async ensureFeatureSet(name: string, definition: unknown): Promise<FeatureSetVersion> {
      const hash = stableHash(definition);
      // The common case (every model run asks) is a known definition: one read, no lock.
      const known = await db.query<{ version: number }>('SELECT version FROM feature_sets WHERE name = $1 AND definition_hash = $2', [
        name,
        hash,
      ]);
      if (known.rowCount) return { name, version: known.rows[0].version, definition, created: false };
      return inTransaction(db, async (c) => {
        await c.query("SELECT pg_advisory_xact_lock(hashtext('feature_sets:' || $1))", [name]);
        const same = await c.query<{ version: number }>('SELECT version FROM feature_sets WHERE name = $1 AND definition_hash = $2', [
          name,
          hash,
        ]);
        if (same.rowCount) return { name, version: same.rows[0].version, definition, created: false };
        const r = await c.query<{ version: number }>(
          `INSERT INTO feature_sets (name, version, definition, definition_hash)
           SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM feature_sets WHERE name = $1 RETURNING version`,
          [name, JSON.stringify(definition), hash],
        );
        return { name, version: r.rows[0].version, definition, created: true };
      });
    },

    /** Every version of a set, oldest first. */
    async featureSetVersions(name: string): Promise<{ version: number; definition: unknown; createdAt: string }[]> {
      const r = await db.query('SELECT version, definition, created_at FROM feature_sets WHERE name = $1 ORDER BY version', [name]);
      return r.rows.map((x) => ({ version: x.version, definition: x.definition, createdAt: new Date(x.created_at).toISOString() }));
    },

    /** Write rows under one version, all or none; answers how many were written. */
    async upsertFeatures(set: { name: string; version: number }, rows: readonly FeatureRow[]): Promise<number> {
      return inTransaction(db, async (c) => {
        for (let i = 0; i < rows.length; i += BATCH) {
          const part = rows.slice(i, i + BATCH);
          await c.query(
            `INSERT INTO feature_store (symbol, date, feature_set, feature_set_version, features)
             SELECT s, d, $4, $5, f FROM unnest($1::text[], $2::date[], $3::jsonb[]) AS t(s, d, f)
             ON CONFLICT (symbol, date, feature_set, feature_set_version) DO UPDATE SET features = EXCLUDED.features, created_at = now()`,
            [part.map((r) => r.symbol), part.map((r) => r.date), part.map((r) => JSON.stringify(r.features)), set.name, set.version],
          );
        }
        return rows.length;
      });
    },

    /** The features of every symbol (or those listed) on `date` under one version. */
    async featuresOn(set: { name: string; version: number }, date: string, symbols?: readonly string[]): Promise<Map<string, Features>> {
      const r = await db.query<{ symbol: string; features: Features }>(
        `SELECT symbol, features FROM feature_store
          WHERE feature_set = $1 AND feature_set_version = $2 AND date = $3::date AND ($4::text[] IS NULL OR symbol = ANY($4))
          ORDER BY symbol`,
        [set.name, set.version, date, symbols ?? null],
      );
      return new Map(r.rows.map((x) => [x.symbol, x.features]));
    },
  };
}

export type FeatureStoreRepo = ReturnType<typeof createFeatureStoreRepo>;
