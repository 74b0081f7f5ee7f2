/**
 * `quant api`: the execution service on the configured venue (the local
 * paper venue by default, or Alpaca: src/api/venue.ts), and
 * `quant api keys create|list|revoke`. The hot path needs only Postgres, so
 * in the embedded profile it starts the embedded Postgres when it is not
 * running (not the Temporal dev server: no workflow sits on the hot path),
 * migrates, and listens on API_HOST:API_PORT.
 */
import { createApiKeyRepo, type ApiKeyRole } from '../../adapters/postgres/api-key-repo';
import { migrate } from '../../adapters/postgres/migrate';
import { createPool, describeDatabaseUrl, type Db } from '../../adapters/postgres/pool';
import { startApiService } from '../../api/service';
import { openVenue } from '../../api/venue';
import { selectBroker } from '../../config/broker-select';
import type { Config } from '../../config/schema';
import { startEmbeddedPostgres } from '../../stack/postgres';
import { parseCommandArgs, UsageError } from '../args';

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
  const applied = await migrate(db);
  err(`Postgres ${describeDatabaseUrl(url)}: ${applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date'}`);
  return { db, url };
}

async function serve(config: Config): Promise<void> {
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
  out(`  OpenAPI: ${service.url}/openapi.json  docs: ${service.url}/docs  live events: ${service.url.replace(/^http/, 'ws')}/ws`);
  if (live.length === 0) {
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

async function keysCommand(argv: string[], config: Config): Promise<void> {
  const [sub, ...rest] = argv;
  const usage = 'quant api keys create --name NAME [--role trade|read] | list | revoke <id or prefix>';
  const db = createPool(
    config.postgres.url ?? (await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.postgres.embeddedPort })).url,
    2,
  );
  try {
    await migrate(db);
    const keys = createApiKeyRepo(db);
    if (sub === 'create') {
      const o = parseCommandArgs(rest, { name: { type: 'string' }, role: { type: 'string' } }, usage);
      if (!o.name) throw new UsageError('--name is required', usage);
      const role = (o.role ?? 'trade') as ApiKeyRole;
      if (role !== 'trade' && role !== 'read') throw new UsageError(`--role must be trade or read, got "${o.role}"`, usage);
      const { key, row } = await keys.create(o.name, role);
      out(`created ${role} key ${row.id} "${row.name}" (prefix ${row.prefix}); shown this once, store it now:`);
      out(key);
    } else if (sub === 'list') {
      const rows = await keys.list();
      if (rows.length === 0) out('no API keys');
      for (const k of rows)
        out(
          `${String(k.id).padStart(4)}  ${k.prefix}  ${k.role.padEnd(5)}  ${k.name.padEnd(20)}  created ${k.createdAt}${k.revokedAt ? `  REVOKED ${k.revokedAt}` : ''}`,
        );
    } else if (sub === 'revoke') {
      if (!rest[0]) throw new UsageError('give the id or prefix of the key to revoke', usage);
      out((await keys.revoke(rest[0])) ? `revoked ${rest[0]}` : `no live key ${rest[0]}`);
    } else {
      throw new UsageError(`unknown subcommand "api keys ${sub ?? ''}"`, usage);
    }
  } finally {
    await db.end();
  }
}

/** `quant api` and `quant api keys ...`. */
export async function apiCommand(argv: string[], config: Config): Promise<void> {
  if (argv[0] === 'keys') return keysCommand(argv.slice(1), config);
  if (argv.length > 0) throw new UsageError(`unexpected argument "${argv[0]}"`, 'quant api | quant api keys create|list|revoke');
  await serve(config);
}
