/**
 * `quant strategies list|enable|disable|set`: the rows of `strategy_config`
 * (the execution service's strategies, their intraday kind and params),
 * edited through the same repository and checked by the same schema and
 * kind parsers as `PATCH /strategies/:name`, so the CLI cannot store what the
 * API would refuse. Only Postgres is needed (the embedded one is started when
 * it is not running). A running `quant api` sees a change at its next
 * refresh (API_REFRESH_SECONDS).
 */
import { createStrategyRepo, type StrategyRepo, type StrategyRow } from '../../adapters/postgres/strategy-repo';
import { strategyPatchSchema } from '../../api/schemas';
import { strategyPatchFromWire, strategyToWire } from '../../api/wire';
import type { Config } from '../../config/schema';
import { QuantError } from '../../domain/errors';
import { StrategyConfigError } from '../../domain/strategies/registry';
import { UsageError, type OutputFormat } from '../args';
import { withPreparedDatabase } from '../database';
import { out, textTable } from '../output';

/** `set` keys that are columns of strategy_config (the PATCH body's names); every other key is a param of the kind. */
export const STRATEGY_COLUMN_KEYS = [
  'enabled',
  'confidence_threshold',
  'max_position_size',
  'stop_loss_pct',
  'max_single_position',
  'protective_stops',
  'kind',
] as const;

/** The strategy named does not exist (exit 1, with the names that do). */
export class UnknownStrategyError extends QuantError {
  readonly type = 'UnknownStrategy';
  readonly retryable = false;
  constructor(name: string, known: readonly string[]) {
    super(`unknown strategy "${name}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownStrategyError';
  }
}

/** A value as typed: JSON when it parses (12, 0.5, true, null, "x", [..]), else the text itself (ATEN). */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * `key=value` words -> a PATCH /strategies body: column keys as they are,
 * every other key under `params` (null removes that param). Malformed words
 * are usage errors; values the schema refuses are a StrategyConfigError
 * naming the strategy and the setting.
 *
 * @example
 *   strategySettings('moving_average_crossover', ['fastPeriod=12', 'confidence_threshold=0.7'])
 *   // { confidence_threshold: 0.7, params: { fastPeriod: 12 } }
 */
export function strategySettings(name: string, words: readonly string[]) {
  if (words.length === 0) throw new UsageError('give at least one setting to change', 'quant strategies set NAME key=value...');
  const body: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new UsageError(`"${word}" is not key=value`, 'quant strategies set NAME key=value...');
    const key = word.slice(0, eq);
    if (seen.has(key)) throw new UsageError(`${key} is given twice`);
    seen.add(key);
    const column = (STRATEGY_COLUMN_KEYS as readonly string[]).includes(snakeCase(key)) ? snakeCase(key) : undefined;
    // confidenceThreshold=0.9 would otherwise be stored as a param no strategy reads.
    if (column !== undefined && column !== key) throw new UsageError(`${key}: the column is spelled ${column}`);
    if (column) body[column] = parseValue(word.slice(eq + 1));
    else params[key] = parseValue(word.slice(eq + 1));
  }
  if (Object.keys(params).length > 0) body.params = params;
  const r = strategyPatchSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new StrategyConfigError(name, issue.path.map(String).join('.') || 'settings', issue.message);
  }
  return r.data;
}

/**
 * Change one strategy: `words` are `key=value` settings (see strategySettings);
 * the repo merges params, checks them with the kind's parser and writes
 * nothing when they are refused. Unknown name: UnknownStrategyError.
 *
 * @example
 *   await setStrategy(repo, 'moving_average_crossover', ['fastPeriod=12', 'slowPeriod=40'])
 */
export async function setStrategy(repo: StrategyRepo, name: string, words: readonly string[]): Promise<StrategyRow> {
  const updated = await repo.patch(name, strategyPatchFromWire(strategySettings(name, words)));
  if (!updated)
    throw new UnknownStrategyError(
      name,
      (await repo.list()).map((s) => s.name),
    );
  return updated;
}

/** The `list` table: name, kind (external when none), enabled, threshold, max position, params. */
export function strategiesTable(rows: readonly StrategyRow[]): string {
  return textTable(
    ['name', 'kind', 'enabled', 'threshold', 'max position', 'params'],
    rows.map((s) => [
      s.name,
      s.kind ?? 'external',
      s.enabled ? 'yes' : 'no',
      s.confidenceThreshold,
      s.maxPositionSize,
      Object.keys(s.params).length ? JSON.stringify(s.params) : '-',
    ]),
  );
}

const changed = (s: StrategyRow) => `${strategiesTable([s])}\n(a running quant api applies it at its next refresh, API_REFRESH_SECONDS)`;

export const strategiesCommands = {
  async list(o: { output: OutputFormat }, config: Config): Promise<void> {
    const rows = await withPreparedDatabase(config, (db) => createStrategyRepo(db).list());
    if (o.output === 'json') return out(JSON.stringify(rows.map(strategyToWire), null, 2));
    out(strategiesTable(rows));
  },

  async set(name: string, words: readonly string[], config: Config): Promise<void> {
    strategySettings(name, words); // a malformed setting is refused before the database is opened
    out(changed(await withPreparedDatabase(config, (db) => setStrategy(createStrategyRepo(db), name, words))));
  },

  async enable(name: string, config: Config): Promise<void> {
    await strategiesCommands.set(name, ['enabled=true'], config);
  },

  async disable(name: string, config: Config): Promise<void> {
    await strategiesCommands.set(name, ['enabled=false'], config);
  },
};
