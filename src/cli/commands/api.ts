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

/** The api_keys table, migrated (the embedded Postgres started when it is not running). */
async function withKeys<T>(config: Config, fn: (keys: ReturnType<typeof createApiKeyRepo>) => Promise<T>): Promise<T> {
  const db = createPool(
    config.postgres.url ?? (await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.postgres.embeddedPort })).url,
    2,
  );
  try {
    await migrate(db);
    return await fn(createApiKeyRepo(db));
  } finally {
    await db.end();
  }
}

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
