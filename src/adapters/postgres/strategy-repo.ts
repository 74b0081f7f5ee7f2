/**
 * Per-strategy settings of the execution service (`strategy_config`): read by
 * the API's risk cache and changed by `PATCH /strategies/:name`. A change is
 * effective on the next signal because the API writes here and updates its
 * cache in the same request (and reloads the table on its refresh timer, for
 * changes made by other processes).
 */
import type { StrategyRisk } from '../../domain/risk-manager';
import type { Db } from './pool';

export interface StrategyRow extends StrategyRisk {
  updatedAt: string;
}

export type StrategyPatch = Partial<
  Pick<StrategyRisk, 'enabled' | 'confidenceThreshold' | 'maxPositionSize' | 'stopLossPct' | 'maxSinglePosition'>
>;

const COLUMNS = 'name, enabled, confidence_threshold, max_position_size, stop_loss_pct, max_single_position, updated_at';
const fromRow = (x: Record<string, any>): StrategyRow => ({
  name: x.name,
  enabled: x.enabled,
  confidenceThreshold: x.confidence_threshold,
  maxPositionSize: x.max_position_size,
  stopLossPct: x.stop_loss_pct,
  maxSinglePosition: x.max_single_position,
  updatedAt: new Date(x.updated_at).toISOString(),
});

/** Patch field -> column; one home for the mapping. */
const PATCH_COLUMNS: Record<keyof StrategyPatch, string> = {
  enabled: 'enabled',
  confidenceThreshold: 'confidence_threshold',
  maxPositionSize: 'max_position_size',
  stopLossPct: 'stop_loss_pct',
  maxSinglePosition: 'max_single_position',
};

export function createStrategyRepo(db: Db) {
  return {
    async list(): Promise<StrategyRow[]> {
      const r = await db.query(`SELECT ${COLUMNS} FROM strategy_config ORDER BY name`);
      return r.rows.map(fromRow);
    },

    async get(name: string): Promise<StrategyRow | null> {
      const r = await db.query(`SELECT ${COLUMNS} FROM strategy_config WHERE name = $1`, [name]);
      return r.rows[0] ? fromRow(r.rows[0]) : null;
    },

    /** Apply the given fields; null when the strategy does not exist. */
    async patch(name: string, patch: StrategyPatch): Promise<StrategyRow | null> {
      const sets: string[] = [];
      const params: unknown[] = [name];
      for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof StrategyPatch, string][]) {
        if (patch[field] === undefined) continue;
        params.push(patch[field]);
        sets.push(`${column} = $${params.length}`);
      }
      const r = await db.query(
        `UPDATE strategy_config SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE name = $1 RETURNING ${COLUMNS}`,
        params,
      );
      return r.rows[0] ? fromRow(r.rows[0]) : null;
    },

    /** Create or replace a strategy (tests, seeding). */
    async upsert(s: StrategyRisk): Promise<StrategyRow> {
      const r = await db.query(
        `INSERT INTO strategy_config (name, enabled, confidence_threshold, max_position_size, stop_loss_pct, max_single_position)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO UPDATE SET enabled = $2, confidence_threshold = $3, max_position_size = $4, stop_loss_pct = $5, max_single_position = $6, updated_at = now()
         RETURNING ${COLUMNS}`,
        [s.name, s.enabled, s.confidenceThreshold, s.maxPositionSize, s.stopLossPct, s.maxSinglePosition],
      );
      return fromRow(r.rows[0]);
    },
  };
}

export type StrategyRepo = ReturnType<typeof createStrategyRepo>;
