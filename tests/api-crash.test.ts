/**
 * Nothing acknowledged is lost: `quant api` runs as a child process (the real
 * CLI entry, on this file's Postgres database and the paper venue), we send
 * signals and SIGKILL the process the moment the last "executed" answer
 * arrives. Every acknowledged order must be in `trading_orders` with its
 * signal, and known to the venue; a restarted service answers a repeat of the
 * same idempotency key with the same order and places no second one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/adapters/postgres/pool';
import { call, createKey, exited, signal, spawnApi } from './api-support';
import { testDb, testEnv, uniqueName } from './helpers';

let db: Db;
let key: string;
const account = uniqueName('crash');

beforeAll(async () => {
  db = testDb();
  key = await createKey(db, 'trade');
});
afterAll(async () => {
  await db?.end();
});

/** `quant api` on this file's database and its own paper account. */
const startApi = () =>
  spawnApi({
    DATABASE_URL: testEnv().databaseUrl,
    QUANT_DATA_DIR: testEnv().dataDir,
    API_MARKET_HOURS: 'always',
    PAPER_MARKET_HOURS: 'always',
    PAPER_ACCOUNT: account,
  });

describe('SIGKILL after an acknowledged order', () => {
  it('loses nothing, and the restarted service keeps idempotency', async () => {
    const first = await startApi();
    const bodies = ['AAPL', 'MSFT', 'JPM', 'XOM', 'KO'].map((symbol) => signal({ symbol, quantity: 1 }));
    const answers = await Promise.all(bodies.map((b) => call(first.url, key, 'POST', '/signals/execute', b)));
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');

    for (const [i, a] of answers.entries()) {
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.status).toBe('executed');
      const r = await db.query(
        `SELECT o.client_order_id, o.qty, s.outcome FROM trading_orders o JOIN trading_signals s ON s.id = o.signal_id WHERE o.id = $1 AND s.idempotency_key = $2`,
        [a.body.order_id, bodies[i].idempotency_key],
      );
      expect(r.rows[0]).toEqual({ client_order_id: a.body.client_order_id, qty: 1, outcome: 'executed' });
    }

    const second = await startApi();
    try {
      for (const [i, a] of answers.entries()) {
        const again = await call(second.url, key, 'POST', '/signals/execute', bodies[i]);
        expect(again.body).toMatchObject({
          status: 'executed',
          order_id: a.body.order_id,
          client_order_id: a.body.client_order_id,
          duplicate: true,
        });
      }
      const orders = await call(second.url, key, 'GET', '/orders?limit=100');
      expect(orders.body).toHaveLength(answers.length);
      // the venue (restarted from its own tables) holds each order once, entry legs only
      const venue = await db.query(
        `SELECT client_order_id, count(*) AS n FROM paper_venue_orders WHERE account = $1 AND client_order_id = ANY($2::text[]) GROUP BY client_order_id`,
        [account, answers.map((a) => a.body.client_order_id)],
      );
      expect(venue.rows.map((r) => Number(r.n))).toEqual(answers.map(() => 1));
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
