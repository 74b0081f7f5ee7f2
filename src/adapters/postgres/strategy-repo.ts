/**
 * Per-strategy settings of the execution service (`strategy_config`): read by
 * the API's risk cache and the intraday cycle, changed by
 * `PATCH /strategies/:name` and `quant strategies set`. A change is
 * effective on the next signal because the API writes here and updates its
 * cache in the same request (and reloads the table on its refresh timer, for
 * changes made by other processes).
 *
 * A row's `kind` names the intraday strategy that makes its signals
 * (src/domain/strategies/registry.ts) and `params` holds that kind's settings,
 * partial (the kind's defaults fill the rest). `kind` null is an external
 * strategy: its signals come from outside over HTTP only, and it has no
 * params. Every write of kind or params is checked with the kind's parser
 * first, so a stored row always parses; a bad one is refused with a
 * StrategyConfigError naming the setting, and nothing is written.
 */
import type { StrategyRisk } from '../../domain/risk-manager';
import { parseStrategyConfig, StrategyConfigError } from '../../domain/strategies/registry';
import { inTransaction, type Db } from './pool';

/** The intraday strategy's params as stored (JSON values). */
export type StrategyParams = Record<string, unknown>;

export interface StrategyRow extends StrategyRisk {
  /** The intraday strategy kind, or null: an external strategy (signals over HTTP only). */
  kind: string | null;
  /** The kind's settings as stored, partial; {} for an external strategy. */
  params: StrategyParams;
  updatedAt: string;
}

export type StrategyPatch = Partial<
  Pick<StrategyRisk, 'enabled' | 'confidenceThreshold' | 'maxPositionSize' | 'stopLossPct' | 'maxSinglePosition' | 'protectiveStops'>
> & {
  /** A new kind (null: external). The params, merged as below, must parse for it. */
  kind?: string | null;
  /**
   * Merged shallowly over the stored params: a key given replaces that key,
   * a key given as null is removed (the kind's default applies again), a
   * key not given is kept. `{}` changes nothing.
   */
  params?: StrategyParams;
};

/** A new strategy: the risk settings, and optionally its kind and (partial) params. */
export type NewStrategy = StrategyRisk & { kind?: string | null; params?: StrategyParams };

const COLUMNS =
  'name, kind, params, enabled, confidence_threshold, max_position_size, stop_loss_pct, max_single_position, protective_stops, updated_at';
const fromRow = (x: Record<string, any>): StrategyRow => ({
  name: x.name,
  kind: x.kind ?? null,
  params: x.params ?? {},
  enabled: x.enabled,
  confidenceThreshold: x.confidence_threshold,
  maxPositionSize: x.max_position_size,
  stopLossPct: x.stop_loss_pct,
  maxSinglePosition: x.max_single_position,
  protectiveStops: x.protective_stops,
  updatedAt: new Date(x.updated_at).toISOString(),
});

/** Patch field -> column; one home for the mapping. */
const PATCH_COLUMNS: Record<Exclude<keyof StrategyPatch, 'params'>, string> = {
  kind: 'kind',
  enabled: 'enabled',
  confidenceThreshold: 'confidence_threshold',
  maxPositionSize: 'max_position_size',
  stopLossPct: 'stop_loss_pct',
  maxSinglePosition: 'max_single_position',
  protectiveStops: 'protective_stops',
};

/**
 * `patch` over `stored`, shallowly: given keys replace, null removes, the rest is kept.
 *
 * @example
 *   mergeParams({ fastPeriod: 10, slowPeriod: 30 }, { slowPeriod: 40, fastPeriod: null }) // { slowPeriod: 40 }
 */
export function mergeParams(stored: StrategyParams, patch: StrategyParams | undefined): StrategyParams {
  const merged: StrategyParams = { ...stored };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * Refuse a kind and params that cannot work together, naming the setting:
 * an external strategy (kind null) takes no params; a kind's params must
 * parse with its parser (unknown kind: setting `kind`).
 */
export function checkStrategyConfig(name: string, kind: string | null, params: StrategyParams): void {
  if (kind === null) {
    const keys = Object.keys(params);
    if (keys.length > 0)
      throw new StrategyConfigError(
        name,
        'params',
        `an external strategy (no kind) takes no params (has ${keys.join(', ')}): remove them or set a kind`,
      );
    return;
  }
  parseStrategyConfig(name, kind, params);
}

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

    /**
     * Apply the given fields; null when the strategy does not exist. A change
     * of kind or params is merged and checked under a row lock (two writers
     * cannot lose each other's keys) and refused with a StrategyConfigError
     * before anything is written.
     *
     * @example
     *   await repo.patch('moving_average_crossover', { params: { fastPeriod: 12, slowPeriod: 40 } })
     *   await repo.patch('moving_average_crossover', { params: { slowPeriod: null } }) // back to the kind's default
     */
    async patch(name: string, patch: StrategyPatch): Promise<StrategyRow | null> {
      return inTransaction(db, async (client) => {
        const current = await client.query(`SELECT ${COLUMNS} FROM strategy_config WHERE name = $1 FOR UPDATE`, [name]);
        if (!current.rows[0]) return null;
        const row = fromRow(current.rows[0]);
        const sets: string[] = [];
        const values: unknown[] = [name];
        const set = (column: string, value: unknown) => {
          values.push(value);
          sets.push(`${column} = $${values.length}`);
        };
        for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof typeof PATCH_COLUMNS, string][])
          if (patch[field] !== undefined) set(column, patch[field]);
        if (patch.kind !== undefined || patch.params !== undefined) {
          const kind = patch.kind === undefined ? row.kind : patch.kind;
          const params = mergeParams(row.params, patch.params);
          checkStrategyConfig(name, kind, params);
          set('params', JSON.stringify(params));
        }
        const r = await client.query(
          `UPDATE strategy_config SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE name = $1 RETURNING ${COLUMNS}`,
          values,
        );
        return fromRow(r.rows[0]);
      });
    },

    /** Create or replace a strategy (tests, seeding); kind and params are checked like a patch's. */
    async upsert(s: NewStrategy): Promise<StrategyRow> {
      const kind = s.kind ?? null;
      const params = s.params ?? {};
      checkStrategyConfig(s.name, kind, params);
      const r = await db.query(
        `INSERT INTO strategy_config (name, kind, params, enabled, confidence_threshold, max_position_size, stop_loss_pct, max_single_position,
           protective_stops)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (name) DO UPDATE SET kind = $2, params = $3, enabled = $4, confidence_threshold = $5, max_position_size = $6,
           stop_loss_pct = $7, max_single_position = $8, protective_stops = $9, updated_at = now()
         RETURNING ${COLUMNS}`,
        [
          s.name,
          kind,
          JSON.stringify(params),
          s.enabled,
          s.confidenceThreshold,
          s.maxPositionSize,
          s.stopLossPct,
          s.maxSinglePosition,
          s.protectiveStops !== false,
        ],
      );
      return fromRow(r.rows[0]);
    },
  };
}

export type StrategyRepo = ReturnType<typeof createStrategyRepo>;
