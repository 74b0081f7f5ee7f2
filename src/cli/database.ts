/**
 * The database for a command that only needs Postgres (API keys, the model
 * registry): the configured one, or the embedded one started when it is not
 * running; migrated, with the built-in models registered, so the command
 * works on a fresh checkout without `quant stack up` first.
 */
import { migrate } from '../adapters/postgres/migrate';
import { createModelRepo } from '../adapters/postgres/model-repo';
import { createPool, type Db } from '../adapters/postgres/pool';
import type { Config } from '../config/schema';
import { startEmbeddedPostgres } from '../stack/postgres';

/**
 * Migrate `db` and register the built-in models (idempotent: a model name
 * that exists is left as its owner made it). Returns what it did.
 */
export async function prepareDatabase(db: Db): Promise<{ applied: number[]; builtInModels: string[] }> {
  const applied = await migrate(db);
  const models = await createModelRepo(db).registerBuiltIns();
  return { applied, builtInModels: models.map((m) => `${m.name}@${m.version} (${m.kind})`) };
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
