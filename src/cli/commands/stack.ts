/**
 * `quant stack up|down|status`, `quant db migrate` and `quant cluster init`:
 * bring up (or find) the services, and put the schema and the search
 * attributes in place.
 */
import type { Config } from '../../config/schema';
import { stackDown, stackEndpoints, stackStatus, stackUp } from '../../stack/stack';
import { createPool, describeDatabaseUrl } from '../../adapters/postgres/pool';
import { prepareDatabase } from '../database';
import { registerSearchAttributes } from '../../stack/temporal-server';
import { connectClient } from '../fanout-client';
import { applyConfiguredSchedules } from './schedules';
import { err, out } from '../output';
import { workerStatusLines } from '../worker-check';

/**
 * Apply the migrations on `databaseUrl` and register the built-in models
 * (idempotent: a name that exists is left as its owner made it) and the
 * strategies' models (idempotent: an unchanged config is its version); the
 * numbers of the migrations applied now.
 */
async function migrateDatabase(databaseUrl: string): Promise<number[]> {
  const db = createPool(databaseUrl, 2);
  try {
    const { applied, builtInModels, strategyModels, problems } = await prepareDatabase(db);
    if (builtInModels.length) out(`registered built-in models: ${builtInModels.join(', ')}`);
    if (strategyModels.length) out(`registered strategy models: ${strategyModels.join(', ')}`);
    for (const p of problems) err(`not registered as a model: ${p}`);
    return applied;
  } finally {
    await db.end();
  }
}

export async function stackUpCommand(config: Config): Promise<void> {
  const e = await stackUp(config, err);
  out(`Temporal: ${e.temporalAddress}${e.uiUrl ? `  Web UI: ${e.uiUrl}` : ''}`);
  out(`Postgres: ${describeDatabaseUrl(e.databaseUrl)}`);
  const applied = await migrateDatabase(e.databaseUrl);
  out(`migrations: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
}

export async function stackDownCommand(config: Config): Promise<void> {
  const stopped = await stackDown(config);
  out(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
}

/** The stack's processes, then the workers polling the task queue (when the server answers). */
export async function stackStatusCommand(config: Config): Promise<void> {
  const status = stackStatus(config);
  for (const [k, v] of Object.entries(status)) out(`${k.padEnd(12)} ${v}`);
  if (status.temporal === 'stopped') return;
  try {
    const client = await connectClient(stackEndpoints(config).temporalAddress, config.temporal.namespace);
    try {
      for (const line of await workerStatusLines(client, config.temporal.taskQueue)) out(line);
    } finally {
      await client.connection.close();
    }
  } catch (e) {
    out(`${'workers'.padEnd(12)} unknown (${(e as Error).message})`);
  }
}

export async function dbMigrateCommand(config: Config): Promise<void> {
  const applied = await migrateDatabase(stackEndpoints(config).databaseUrl);
  out(applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date');
}

/** The Helm post-install hook: migrations, search attributes, and the schedules file when one is configured. */
export async function clusterInitCommand(config: Config): Promise<void> {
  const e = stackEndpoints(config);
  const applied = await migrateDatabase(e.databaseUrl);
  out(applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date');
  await registerSearchAttributes(e.temporalAddress, config.temporal.namespace);
  out(`search attributes registered on ${e.temporalAddress} (${config.temporal.namespace})`);
  if (config.schedulesFile) {
    const client = await connectClient(e.temporalAddress, config.temporal.namespace);
    await applyConfiguredSchedules(config, client, out).finally(() => client.connection.close());
  }
}
