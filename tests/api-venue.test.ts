/**
 * `quant api` trades on the venue the config names (src/api/venue.ts): with
 * BROKER=alpaca a signal becomes an order at Alpaca (the loopback fake of
 * Alpaca's API, our real adapter in the path), sized and risk-checked at the
 * latest close in market_data; TRADING_MODE=live without the confirmation
 * refuses to start, says why, and starts nothing (not even Postgres).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlpacaBroker } from '../src/adapters/broker/alpaca';
import { startFakeAlpacaServer, type FakeAlpacaServer } from '../src/adapters/broker/__fixtures__/alpaca-server';
import { migrate } from '../src/adapters/postgres/migrate';
import { createPool, type Db } from '../src/adapters/postgres/pool';
import { call, createKey, exited, signal, spawnApi } from './api-support';
import { testDb, testEnv, uniqueName } from './helpers';

const repoRoot = join(__dirname, '..');
let admin: Db;
let db: Db;
let url: string;
let fake: FakeAlpacaServer;

beforeAll(async () => {
  // A database of its own: the closes written below must not leak into other files' market_data.
  admin = testDb();
  const name = uniqueName('api_venue').replace('-', '_');
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(testEnv().databaseUrl);
  u.pathname = `/${name}`;
  url = u.toString();
  db = createPool(url, 2);
  await migrate(db);
  await db.query(
    `INSERT INTO market_data (symbol, date, open, high, low, close, adj_close, volume, source)
     VALUES ('AAPL', '2026-11-30', 200, 201, 199, 200, 200, 1000000, 'test')`,
  );
  fake = await startFakeAlpacaServer({ cash: 100_000 });
  fake.setPrice('AAPL', 200.5);
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await db?.end();
  await admin?.end();
});

describe('quant api with BROKER=alpaca', () => {
  it('executes a signal as an Alpaca order, with the broker named at start', async () => {
    const key = await createKey(db, 'trade');
    const api = await spawnApi({
      DATABASE_URL: url,
      QUANT_DATA_DIR: testEnv().dataDir,
      BROKER: 'alpaca',
      TRADING_MODE: 'paper',
      ALPACA_API_KEY: fake.keyId,
      ALPACA_SECRET_KEY: fake.secretKey,
      ALPACA_BASE_URL: fake.baseUrl,
      ALPACA_STREAM_URL: fake.streamUrl,
      API_MARKET_HOURS: 'always',
    });
    try {
      expect(api.output()).toContain(`broker: alpaca PAPER at ${fake.baseUrl}`);
      expect(api.output()).toContain('latest closes of 1 symbols in market_data');
      expect(api.output()).not.toContain(fake.secretKey);

      const answer = await call(api.url, key, 'POST', '/signals/execute', signal({ symbol: 'AAPL', quantity: 3 }));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({ status: 'executed', quantity: 3 });
      expect(fake.requests).toContain('POST /v2/orders');

      // Alpaca holds the order under our client order id (read back through the adapter, as the service would).
      const alpaca = createAlpacaBroker({ baseUrl: fake.baseUrl, streamUrl: fake.streamUrl, keyId: fake.keyId, secretKey: fake.secretKey });
      try {
        const atVenue = await alpaca.getOrderByClientId(answer.body.client_order_id);
        expect(atVenue).toMatchObject({ symbol: 'AAPL', side: 'buy', qty: 3 });
      } finally {
        await alpaca.close();
      }
      const row = await db.query('SELECT broker, symbol, qty FROM trading_orders WHERE id = $1', [answer.body.order_id]);
      expect(row.rows).toEqual([{ broker: 'alpaca', symbol: 'AAPL', qty: 3 }]);

      // A symbol with no close in market_data has no risk price: refused as unknown, nothing sent to Alpaca.
      const ordersBefore = fake.requests.filter((r) => r === 'POST /v2/orders').length;
      const unknown = await call(api.url, key, 'POST', '/signals/execute', signal({ symbol: 'MSFT', quantity: 1 }));
      expect(JSON.stringify(unknown.body)).toMatch(/MSFT/);
      expect(unknown.body.status).not.toBe('executed');
      expect(fake.requests.filter((r) => r === 'POST /v2/orders').length).toBe(ordersBefore);
    } finally {
      api.child.kill('SIGTERM');
      await exited(api.child);
    }
  }, 120_000);

  it('refuses TRADING_MODE=live without ALPACA_LIVE_CONFIRM, naming the setting, and starts nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'quant-live-refused-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      QUANT_DATA_DIR: dataDir,
      BROKER: 'alpaca',
      TRADING_MODE: 'live',
      ALPACA_API_KEY: 'AKLIVEKEYID',
      ALPACA_SECRET_KEY: 'live-secret-never-printed',
    };
    delete env.DATABASE_URL; // the embedded profile: a start would create the Postgres data dir
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'api'], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += String(d)));
    child.stderr!.on('data', (d) => (output += String(d)));
    await exited(child);
    expect(child.exitCode).not.toBe(0);
    expect(output).toContain('ALPACA_LIVE_CONFIRM=I_UNDERSTAND');
    expect(output).not.toContain('live-secret-never-printed');
    expect(output).not.toMatch(/listening on/);
    expect(existsSync(join(dataDir, 'pg'))).toBe(false);
  }, 60_000);
});
