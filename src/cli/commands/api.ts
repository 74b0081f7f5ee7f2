/**
 * `quant api`: the execution service on the configured venue (the local
 * paper venue by default, or Alpaca: src/api/venue.ts), and
 * `quant api keys create|list|revoke`. The hot path needs only Postgres, so
 * in the embedded profile it starts the embedded Postgres when it is not
 * running (not the Temporal dev server: no workflow sits on the hot path),
 * migrates, and listens on API_HOST:API_PORT.
 */
import { createApiKeyRepo, type ApiKeyRole } from '../../adapters/postgres/api-key-repo';
import { createPool, describeDatabaseUrl, type Db } from '../../adapters/postgres/pool';
import { startApiService } from '../../api/service';
import { openVenue } from '../../api/venue';
import { selectBroker } from '../../config/broker-select';
import type { Config } from '../../config/schema';
import { startEmbeddedPostgres } from '../../stack/postgres';
import { prepareDatabase, withPreparedDatabase } from '../database';

const out = (s: string) => process.stdout.write(`${s}\n`);
const err = (s: string) => process.stderr.write(`${s}\n`);

async function openDatabase(config: Config): Promise<{ db: Db; url: string }> {
  let url = config.postgres.url;
  if (!url) {
    const p = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.postgres.embeddedPort, log: err });
    err(`${p.started ? 'started' : 'reusing'} embedded Postgres on 127.0.0.1:${config.postgres.embeddedPort}`);
    url = p.url;
  }
  const db = createPool(url, 20);
  const { applied } = await prepareDatabase(db);
  err(`Postgres ${describeDatabaseUrl(url)}: ${applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date'}`);
  return { db, url };
}

/**
 * Serve until SIGINT/SIGTERM. `demoKey`: create a trading key of that name and print it (the dashboard demo
 * hands the user a key to sign in with, whatever keys exist already).
 */
export async function serve(config: Config, o: { demoKey?: string } = {}): Promise<void> {
  const venueChoice = selectBroker(config); // throws BrokerConfigError, naming each setting, before anything starts
  const { db } = await openDatabase(config);
  const keys = createApiKeyRepo(db);
  const live = (await keys.list()).filter((k) => !k.revokedAt);
  const venue = await openVenue(config, db, venueChoice).catch(async (e: unknown) => {
    await db.end();
    throw e;
  });
  const service = await startApiService({ config, db, broker: venue.broker, quotes: venue.quotes });
  out(`quant api listening on ${service.url} (${venue.description})`);
  out(`  dashboard: ${service.url}/  OpenAPI: ${service.url}/openapi.json  docs: ${service.url}/docs`);
  out(`  live events: ${service.url.replace(/^http/, 'ws')}/ws`);
  if (o.demoKey) {
    const created = await keys.create(o.demoKey, 'trade');
    out(
      `  API key for the dashboard (a trading key "${o.demoKey}", shown this once; revoke it with "quant api keys revoke ${created.row.prefix}"):`,
    );
    out(`    ${created.key}`);
  } else if (live.length === 0) {
    const created = await keys.create('default', 'trade');
    out(`  API key: none existed, so a trading key was created; it is shown this once, store it now:`);
    out(`    ${created.key}`);
  } else {
    out(
      `  API keys: ${live.length} live key(s) in the api_keys table (create one with "quant api keys create --name NAME --role trade|read")`,
    );
  }
  out(
    `  try: curl -H "Authorization: Bearer $KEY" -X POST ${service.url}/signals/execute -d '{"symbol":"AAPL","action":"BUY","confidence":0.9,"strategy_id":"moving_average_crossover"}'`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  err('quant api: shutting down');
  await service.close();
  await venue.close();
  await db.end();
}

/** The api_keys table, migrated (the embedded Postgres started when it is not running). */
const withKeys = <T>(config: Config, fn: (keys: ReturnType<typeof createApiKeyRepo>) => Promise<T>): Promise<T> =>
  withPreparedDatabase(config, (db) => fn(createApiKeyRepo(db)));

/** `quant api keys create --name N [--role trade|read]`. */
export async function apiKeysCreateCommand(o: { name: string; role: ApiKeyRole }, config: Config): Promise<void> {
  await withKeys(config, async (keys) => {
    const { key, row } = await keys.create(o.name, o.role);
    out(`created ${o.role} key ${row.id} "${row.name}" (prefix ${row.prefix}); shown this once, store it now:`);
    out(key);
  });
}

/** `quant api keys list`. */
export async function apiKeysListCommand(config: Config): Promise<void> {
  await withKeys(config, async (keys) => {
    const rows = await keys.list();
    if (rows.length === 0) out('no API keys');
    for (const k of rows)
      out(
        `${String(k.id).padStart(4)}  ${k.prefix}  ${k.role.padEnd(5)}  ${k.name.padEnd(20)}  created ${k.createdAt}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ''}`,
      );
  });
}

/** `quant api keys revoke <id or prefix>`. */
export async function apiKeysRevokeCommand(idOrPrefix: string, config: Config): Promise<void> {
  await withKeys(config, async (keys) => out((await keys.revoke(idOrPrefix)) ? `revoked ${idOrPrefix}` : `no live key ${idOrPrefix}`));
}

/** `quant api`: serve until SIGINT/SIGTERM. */
export async function apiCommand(config: Config): Promise<void> {
  await serve(config);
}
