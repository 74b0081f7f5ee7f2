/**
 * `quant api`: the execution service on the local paper venue, and
 * `quant api keys create|list|revoke`. The hot path needs only Postgres, so
 * in the embedded profile it starts the embedded Postgres when it is not
 * running (not the Temporal dev server: no workflow sits on the hot path),
 * migrates, and listens on API_HOST:API_PORT.
 *
 * Prices of the paper venue: the latest close of every symbol in
 * `market_data` (after `quant run pipeline` or an ingest), else the seeded
 * synthetic market's last close before today for its 49-name universe, so a
 * fresh clone can trade at once. They stay put until a feed moves them (a
 * live quote feed would replace the manual one here).
 */
import { createSyntheticProvider } from '../../adapters/market-data/synthetic';
import { DAILY_UNIVERSE } from '../../adapters/hourly-dataset/universe';
import { createPaperBroker, paperBrokerOptionsFromConfig } from '../../adapters/broker/paper';
import { createManualPriceFeed } from '../../adapters/price-feed/manual';
import { createApiKeyRepo, type ApiKeyRole } from '../../adapters/postgres/api-key-repo';
import { migrate } from '../../adapters/postgres/migrate';
import { createPool, describeDatabaseUrl, type Db } from '../../adapters/postgres/pool';
import { createTradingRepo } from '../../adapters/postgres/trading-repo';
import { createFeedQuoteSource } from '../../api/quotes';
import { startApiService } from '../../api/service';
import type { Config } from '../../config/schema';
import { addDays, formatIsoDate } from '../../domain/dates';
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

/** Starting prices of the paper venue (see the top of this file) and where they came from. */
async function startingPrices(config: Config, db: Db): Promise<{ prices: Map<string, number>; source: string }> {
  const stored = await createTradingRepo(db).latestCloses();
  if (stored.size > 0) return { prices: stored, source: `latest closes of ${stored.size} symbols in market_data` };
  const today = formatIsoDate(new Date());
  const symbols = DAILY_UNIVERSE.map((c) => c.symbol);
  const r = await createSyntheticProvider({ seed: config.data.seed }).fetchEod(symbols, addDays(today, -10), addDays(today, -1));
  const prices = new Map<string, number>();
  for (const b of r.bars) prices.set(b.symbol, b.close); // bars come in date order: the last one wins
  return { prices, source: `the synthetic market's last close of ${prices.size} symbols (market_data is empty)` };
}

async function serve(config: Config): Promise<void> {
  const { db } = await openDatabase(config);
  const keys = createApiKeyRepo(db);
  const live = (await keys.list()).filter((k) => !k.revokedAt);
  const { prices, source } = await startingPrices(config, db);
  const feed = createManualPriceFeed({ initial: Object.fromEntries(prices) });
  const broker = await createPaperBroker(paperBrokerOptionsFromConfig(config.paper, { db, feed }));
  const service = await startApiService({ config, db, broker, quotes: createFeedQuoteSource(feed) });
  out(`quant api listening on ${service.url} (broker: paper account "${config.paper.account}", prices: ${source})`);
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
  await broker.close();
  await feed.close();
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
