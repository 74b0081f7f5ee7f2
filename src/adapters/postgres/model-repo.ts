/**
 * The model registry (`models`, with the runs and rankings that mention a
 * model): register a version, retire versions, list them with their last run
 * and rank, show one name's versions and recent performance.
 *
 * A version is one config of a name. Registering the config a name already
 * has (same canonical hash, so key order and defaults do not matter) returns
 * that version and writes nothing; a changed config is the next version. A
 * retired config is never brought back by re-registering it, and every
 * version of a name has the same kind: both are refused with the reason.
 * Registrations of one name serialise on an advisory lock, so two callers
 * cannot both create "version 3".
 *
 * An intraday strategy of a cross-registered kind is a model named after the
 * strategy, its config the strategy's params with the kind's defaults
 * (`registerStrategy`): `quant db migrate` registers every such strategy,
 * and each strategy cycle asks for its current config's version, so every
 * signal names the version that made it.
 */
import { stableHash } from '../../config/load';
import { BUILT_IN_MODELS, checkModelName, ModelRegistrationError, parseModelConfig } from '../../config/model-kinds';
import { isCrossRegistered } from '../../domain/strategies/daily-bars';
import { inTransaction, type Db } from './pool';

export interface ModelRow {
  id: number;
  name: string;
  version: number;
  kind: string;
  config: Record<string, unknown>;
  configHash: string;
  status: 'active' | 'retired';
  builtIn: boolean;
  createdAt: string;
  retiredAt: string | null;
}

export interface ModelListRow extends ModelRow {
  /** Date (YYYY-MM-DD) of the version's latest run, and its status. */
  lastRunDate: string | null;
  lastRunStatus: string | null;
  /** Rank in the latest performance report that ranked this version (1 = best). */
  lastRank: number | null;
  lastRankDate: string | null;
}

export interface ModelPerformanceRow {
  modelId: number;
  date: string;
  holdingPeriodDays: number;
  totalReturn: number | null;
  winRate: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number | null;
  signalCount: number;
}

const COLUMNS = 'id, name, version, kind, config, config_hash, status, built_in, created_at, retired_at';
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

const fromRow = (x: Record<string, any>): ModelRow => ({
  id: Number(x.id),
  name: x.name,
  version: Number(x.version),
  kind: x.kind,
  config: x.config,
  configHash: x.config_hash,
  status: x.status,
  builtIn: x.built_in,
  createdAt: iso(x.created_at)!,
  retiredAt: iso(x.retired_at),
});

/** `NAME` or `NAME@VERSION`, as the CLI takes it. */
export function parseModelRef(ref: string): { name: string; version?: number } {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: ref };
  const version = Number(ref.slice(at + 1));
  if (!Number.isInteger(version) || version < 1)
    throw new ModelRegistrationError(`"${ref}": the version after "@" must be a positive whole number`);
  return { name: ref.slice(0, at), version };
}

/** What a registration gives: the version, and whether it was created now. */
export interface Registered {
  model: ModelRow;
  created: boolean;
}

interface RegistrationInput {
  name: string;
  kind: string;
  config?: unknown;
  builtIn?: boolean;
}

export function createModelRepo(db: Db) {
  /**
   * `register`, and with `answerRetired` a retired version of the same config is the answer rather than a refusal
   * (what a strategy's signals are traced to: the config that made them, whatever has been retired since).
   */
  async function registerVersion(input: RegistrationInput, answerRetired: boolean): Promise<Registered> {
    checkModelName(input.name);
    const config = parseModelConfig(input.kind, input.config);
    const configHash = stableHash(config);
    return inTransaction(db, async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('models:' || $1))", [input.name]);
      const versions = (await c.query(`SELECT ${COLUMNS} FROM models WHERE name = $1 ORDER BY version`, [input.name])).rows.map(fromRow);
      const otherKind = versions.find((v) => v.kind !== input.kind);
      if (otherKind)
        throw new ModelRegistrationError(
          `model ${input.name} is of kind ${otherKind.kind} (version ${otherKind.version}); a model of kind ${input.kind} needs another name`,
        );
      const same = versions.find((v) => v.configHash === configHash);
      if (same?.status === 'retired' && !answerRetired)
        throw new ModelRegistrationError(
          `this config of ${input.name} is version ${same.version}, retired on ${same.retiredAt}; a retired version is not brought back: change the config to register a new version`,
        );
      if (same) return { model: same, created: false };
      const version = versions.length === 0 ? 1 : versions[versions.length - 1].version + 1;
      const r = await c.query(
        `INSERT INTO models (name, version, kind, config, config_hash, built_in) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [input.name, version, input.kind, JSON.stringify(config), configHash, input.builtIn ?? false],
      );
      return { model: fromRow(r.rows[0]), created: true };
    });
  }

  const register = (input: RegistrationInput): Promise<Registered> => registerVersion(input, false);

  return {
    register,

    /**
     * The version of a strategy's current config, registered now when there is none: the model named after the
     * strategy, of its kind, config = its params with the kind's defaults. Unchanged params are the same version (a
     * no-op); changed params (`quant strategies set`, PATCH /strategies) are the next version; a config that was
     * retired is answered as it is, not refused (its signals are still that version's). Refused with a
     * ModelRegistrationError for a kind that is not cross-registered, a strategy name that is not a model name, or a
     * name a model of another kind already has.
     *
     * @example
     *   await repo.registerStrategy({ name: 'moving_average_crossover', kind: 'movingAverageCrossover', params: { fastPeriod: 12 } })
     *   // { model: { name: 'moving_average_crossover', version: 2, config: { fastPeriod: 12, slowPeriod: 30, ... } }, created: true }
     */
    async registerStrategy(strategy: { name: string; kind: string | null; params: Record<string, unknown> }): Promise<Registered> {
      if (!isCrossRegistered(strategy.kind))
        throw new ModelRegistrationError(
          `strategy ${strategy.name} is of kind ${strategy.kind ?? 'external'}, which is not registered as a model`,
        );
      return registerVersion({ name: strategy.name, kind: strategy.kind, config: strategy.params }, true);
    },

    /** Register the built-in models unless their names already exist (a user's later versions or retirements stand). */
    async registerBuiltIns(): Promise<ModelRow[]> {
      const created: ModelRow[] = [];
      for (const m of BUILT_IN_MODELS) {
        const exists = await db.query('SELECT 1 FROM models WHERE name = $1 LIMIT 1', [m.name]);
        if (exists.rowCount) continue;
        const r = await register({ name: m.name, kind: m.kind, builtIn: true });
        if (r.created) created.push(r.model);
      }
      return created;
    },

    /** Retire one version, or every active version of the name; answers the versions retired now. */
    async retire(name: string, version?: number): Promise<ModelRow[]> {
      const known = await db.query<{ version: number; status: string }>('SELECT version, status FROM models WHERE name = $1', [name]);
      if (known.rowCount === 0) throw new ModelRegistrationError(`no model named "${name}"`);
      if (version !== undefined && !known.rows.some((r) => r.version === version))
        throw new ModelRegistrationError(
          `model ${name} has no version ${version} (versions: ${known.rows.map((r) => r.version).join(', ')})`,
        );
      const r = await db.query(
        `UPDATE models SET status = 'retired', retired_at = now()
          WHERE name = $1 AND status = 'active' AND ($2::int IS NULL OR version = $2) RETURNING ${COLUMNS}`,
        [name, version ?? null],
      );
      return r.rows.map(fromRow).sort((a, b) => a.version - b.version);
    },

    /** Every version of every model (retired too), by name then version: what the experiment tracker's registry mirrors. */
    async versions(): Promise<ModelRow[]> {
      const r = await db.query(`SELECT ${COLUMNS} FROM models ORDER BY name, version`);
      return r.rows.map(fromRow);
    },

    /** Every version, with its latest run and its rank in the latest report that ranked it. */
    async list(): Promise<ModelListRow[]> {
      const r = await db.query(
        `SELECT ${COLUMNS.split(', ')
          .map((c) => `m.${c}`)
          .join(', ')},
                to_char(run.run_date, 'YYYY-MM-DD') AS last_run_date, run.status AS last_run_status,
                rank.rank AS last_rank, to_char(rank.report_date, 'YYYY-MM-DD') AS last_rank_date
           FROM models m
           LEFT JOIN LATERAL (SELECT run_date, status FROM model_runs WHERE model_id = m.id ORDER BY run_date DESC LIMIT 1) run ON true
           LEFT JOIN LATERAL (
             SELECT (e->>'rank')::int AS rank, p.report_date
               FROM performance_reports p, jsonb_array_elements(p.rankings) e
              WHERE (e->>'model_id')::int = m.id
              ORDER BY p.report_date DESC LIMIT 1) rank ON true
          ORDER BY m.name, m.version`,
      );
      return r.rows.map((x) => ({
        ...fromRow(x),
        lastRunDate: x.last_run_date ?? null,
        lastRunStatus: x.last_run_status ?? null,
        lastRank: numOrNull(x.last_rank),
        lastRankDate: x.last_rank_date ?? null,
      }));
    },

    /** One name's versions (oldest first) and their latest `recent` performance rows each (newest first). */
    async show(name: string, recent = 10): Promise<{ versions: ModelRow[]; performance: ModelPerformanceRow[] }> {
      const versions = (await db.query(`SELECT ${COLUMNS} FROM models WHERE name = $1 ORDER BY version`, [name])).rows.map(fromRow);
      if (versions.length === 0) throw new ModelRegistrationError(`no model named "${name}"`);
      const perf = await db.query(
        `SELECT * FROM (
           SELECT p.*, to_char(p.date, 'YYYY-MM-DD') AS day, row_number() OVER (PARTITION BY p.model_id ORDER BY p.date DESC) AS n
             FROM model_performance p WHERE p.model_id = ANY($1::int[])) x
          WHERE n <= $2 ORDER BY model_id, date DESC`,
        [versions.map((v) => v.id), recent],
      );
      return {
        versions,
        performance: perf.rows.map((x) => ({
          modelId: Number(x.model_id),
          date: x.day,
          holdingPeriodDays: Number(x.holding_period_days),
          totalReturn: numOrNull(x.total_return),
          winRate: numOrNull(x.win_rate),
          sharpe: numOrNull(x.sharpe),
          sortino: numOrNull(x.sortino),
          maxDrawdown: numOrNull(x.max_drawdown),
          signalCount: Number(x.signal_count),
        })),
      };
    },
  };
}

export type ModelRepo = ReturnType<typeof createModelRepo>;
