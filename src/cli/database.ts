/**
 * The database for a command that only needs Postgres (API keys, the model
 * registry): the configured one, or the embedded one started when it is not
 * running; migrated, with the built-in models and the strategies' models
 * registered, so the command works on a fresh checkout without
 * `quant stack up` first.
 */
import { migrate } from '../adapters/postgres/migrate';
import { createModelRepo, type ModelRow } from '../adapters/postgres/model-repo';
import { createPool, type Db } from '../adapters/postgres/pool';
import { createStrategyRepo } from '../adapters/postgres/strategy-repo';
import { ModelRegistrationError } from '../config/model-kinds';
import type { Config } from '../config/schema';
import { isCrossRegistered } from '../domain/strategies/daily-bars';
import { startEmbeddedPostgres } from '../stack/postgres';

export interface PreparedDatabase {
  applied: number[];
  /** Models registered now, `name@version (kind)`: built-ins first, then strategies' versions. */
  builtInModels: string[];
  strategyModels: string[];
  /** Strategies whose model could not be registered, with the reason (their cycles do not run them either). */
  problems: string[];
}

const describeModel = (m: ModelRow) => `${m.name}@${m.version} (${m.kind})`;

/**
 * Migrate `db`, register the built-in models (idempotent: a model name that
 * exists is left as its owner made it) and the model version of every
 * strategy of a cross-registered kind (idempotent: an unchanged config is
 * the version it already has). A strategy whose model is refused (its name
 * is not a model name, or a model of another kind has it) is reported, not
 * fatal: the schema is in place either way. Returns what it did.
 */
export async function prepareDatabase(db: Db): Promise<PreparedDatabase> {
  const applied = await migrate(db);
  const models = createModelRepo(db);
  const builtIns = await models.registerBuiltIns();
  const strategyModels: string[] = [];
  const problems: string[] = [];
  for (const s of await createStrategyRepo(db).list()) {
    if (!isCrossRegistered(s.kind)) continue;
    try {
      const r = await models.registerStrategy(s);
      if (r.created) strategyModels.push(describeModel(r.model));
    } catch (err) {
      if (!(err instanceof ModelRegistrationError)) throw err;
      problems.push(`strategy ${s.name}: ${err.message}`);
    }
  }
  return { applied, builtInModels: builtIns.map(describeModel), strategyModels, problems };
}

export async function withPreparedDatabase<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = createPool(
    config.postgres.url ?? (await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.postgres.embeddedPort })).url,
    2,
  );
  try {
    await prepareDatabase(db);
    return await fn(db);
  } finally {
    await db.end();
  }
}
