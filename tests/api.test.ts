/**
 * The execution service end to end over real HTTP and WebSocket: the service
 * as `quant api` builds it (Fastify, risk cache, executor) on the local paper
 * venue and this file's own Postgres database. Expected quantities are hand
 * arithmetic from the sizing rule (min(max_position_size, 10 % of
 * equity) / price, floored): equity 1,000,000, price 100, the seeded
 * strategy's max_position_size 10,000 -> 100 shares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/adapters/postgres/pool';
import { createApiKeyRepo } from '../src/adapters/postgres/api-key-repo';
import { call, createKey, eventually, openEvents, signal, startTestService, type TestService } from './api-support';
import { testDb, uniqueName } from './helpers';

let db: Db;
let svc: TestService;
let trade: string;
let read: string;

beforeAll(async () => {
  db = testDb();
  svc = await startTestService(db);
  trade = await createKey(db, 'trade');
  read = await createKey(db, 'read');
});
afterAll(async () => {
  await svc?.close();
  await db?.end();
});

const post = (body: unknown, key = trade) => call(svc.url, key, 'POST', '/signals/execute', body);

async function counts(): Promise<{ signals: number; orders: number; violations: number }> {
  const r = await db.query(
    `SELECT (SELECT count(*) FROM trading_signals) AS s, (SELECT count(*) FROM trading_orders) AS o, (SELECT count(*) FROM risk_violations) AS v`,
  );
  return { signals: Number(r.rows[0].s), orders: Number(r.rows[0].o), violations: Number(r.rows[0].v) };
}

describe('POST /signals/execute', () => {
  it('executes a BUY: sized order recorded with its signal, acknowledged by the venue', async () => {
    const body = signal({ symbol: 'MSFT' });
    const r = await post(body);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'executed', quantity: 100, side: 'buy', duplicate: false });
    expect(r.body.latency_ms).toBeGreaterThan(0); // measured from the request's arrival (0 was a timer that never started)
    const row = await db.query(
      `SELECT o.client_order_id, o.broker_order_id, o.qty, o.stop_loss, s.outcome, s.idempotency_key FROM trading_orders o JOIN trading_signals s ON s.id = o.signal_id WHERE o.id = $1`,
      [r.body.order_id],
    );
    expect(row.rows[0]).toMatchObject({
      client_order_id: r.body.client_order_id,
      qty: 100,
      stop_loss: 98,
      outcome: 'executed',
      idempotency_key: body.idempotency_key,
    });
    await eventually('the broker order id stored', async () => {
      const b = await db.query(`SELECT broker_order_id FROM trading_orders WHERE id = $1`, [r.body.order_id]);
      return b.rows[0].broker_order_id === r.body.broker_order_id ? true : undefined;
    });
    const atVenue = await svc.broker.getOrderByClientId(r.body.client_order_id);
    expect(atVenue?.qty).toBe(100);
  });

  it('rejects below the confidence threshold, naming the rule, and records the violation', async () => {
    const r = await post(signal({ confidence: 0.5 }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'rejected', rule: 'confidence_threshold' });
    const v = await db.query(
      `SELECT v.rule, s.outcome FROM risk_violations v JOIN trading_signals s ON s.id = v.signal_id ORDER BY v.id DESC LIMIT 1`,
    );
    expect(v.rows[0]).toEqual({ rule: 'confidence_threshold', outcome: 'rejected' });
  });

  it('records a HOLD and places no order', async () => {
    const before = await counts();
    const r = await post(signal({ action: 'HOLD' }));
    expect(r.body).toMatchObject({ status: 'held' });
    const after = await counts();
    expect(after).toEqual({ ...before, signals: before.signals + 1 });
  });

  it('a max-single-position breach is rejected with its rule', async () => {
    const r = await post(signal({ symbol: 'XOM', quantity: 1001 })); // 1001 x 100 > 10% of 1,000,000
    expect(r.body).toMatchObject({ status: 'rejected', rule: 'max_single_position' });
  });
});

describe('bad input: 400 naming the field, nothing written', () => {
  const cases: [string, unknown, string][] = [
    ['unknown symbol', signal({ symbol: 'ZZZZ' }), 'symbol'],
    ['action not BUY/SELL/HOLD', signal({ action: 'BUYX' }), 'action'],
    ['confidence above 1', signal({ confidence: 1.5 }), 'confidence'],
    ['confidence below 0', signal({ confidence: -0.1 }), 'confidence'],
    ['confidence "NaN"', signal({ confidence: 'NaN' }), 'confidence'],
    ['negative quantity', signal({ quantity: -5 }), 'quantity'],
    ['fractional quantity', signal({ quantity: 1.5 }), 'quantity'],
    ['stop loss above the price for a buy', signal({ stop_loss: 150 }), 'stop_loss'],
    ['unknown field', { ...signal(), leverage: 10 }, 'leverage'],
    ['timestamp far in the future', signal({ timestamp: new Date(Date.now() + 3_600_000).toISOString() }), 'timestamp'],
    ['timestamp older than the staleness limit', signal({ timestamp: new Date(Date.now() - 3_600_000).toISOString() }), 'timestamp'],
    ['unknown strategy', signal({ strategy_id: 'no_such_strategy' }), 'strategy_id'],
    ['missing confidence', { symbol: 'AAPL', action: 'BUY', strategy_id: 'moving_average_crossover' }, 'confidence'],
  ];
  for (const [what, body, field] of cases) {
    it(what, async () => {
      const before = await counts();
      const r = await post(body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.field).toBe(field);
      expect(r.body.message).toBeTruthy();
      expect(await counts()).toEqual(before);
    });
  }

  it('malformed JSON (and a bare NaN) is 400 on the body', async () => {
    const before = await counts();
    for (const raw of [
      '{"symbol": "AAPL",',
      '{"symbol":"AAPL","action":"BUY","confidence":NaN,"strategy_id":"moving_average_crossover"}',
    ]) {
      const r = await call(svc.url, trade, 'POST', '/signals/execute', undefined, raw);
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('body');
    }
    expect(await counts()).toEqual(before);
  });

  it('a 10 MB body is refused before it is read (413 on the body)', async () => {
    const before = await counts();
    const raw = JSON.stringify({ ...signal(), metadata: { pad: 'x'.repeat(10 * 1024 * 1024) } });
    const r = await call(svc.url, trade, 'POST', '/signals/execute', undefined, raw);
    expect(r.status).toBe(413);
    expect(r.body.field).toBe('body');
    expect(await counts()).toEqual(before);
  });

  it('a disabled strategy is refused (422, rule strategy_disabled) and only the rejection is recorded', async () => {
    const name = uniqueName('off').replace(/-/g, '_');
    await db.query(`INSERT INTO strategy_config (name, enabled, confidence_threshold, max_position_size) VALUES ($1, false, 0.5, 1000)`, [
      name,
    ]);
    await svc.service.cache.refresh();
    const before = await counts();
    const r = await post(signal({ strategy_id: name }));
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ status: 'rejected', rule: 'strategy_disabled' });
    expect(await counts()).toEqual({ signals: before.signals + 1, orders: before.orders, violations: before.violations + 1 });
  });

  it('a PATCH that would set a negative threshold is 400 naming it, and changes nothing', async () => {
    const r = await call(svc.url, trade, 'PATCH', '/strategies/moving_average_crossover', { confidence_threshold: -0.1 });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('confidence_threshold');
    const s = await db.query(`SELECT confidence_threshold FROM strategy_config WHERE name = 'moving_average_crossover'`);
    expect(s.rows[0].confidence_threshold).toBe(0.75);
  });
});

describe('idempotency', () => {
  it('50 concurrent duplicates give one order', async () => {
    const body = signal({ symbol: 'JPM', quantity: 3 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const ids = new Set(answers.map((a) => a.body.order_id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    const rows = await db.query(
      `SELECT count(*) AS n FROM trading_orders o JOIN trading_signals s ON s.id = o.signal_id WHERE s.idempotency_key = $1`,
      [body.idempotency_key],
    );
    expect(Number(rows.rows[0].n)).toBe(1);
    const atVenue = (await svc.broker.listOrders({ status: 'all', limit: 500 })).filter(
      (o) => o.clientOrderId === answers[0].body.client_order_id,
    );
    expect(atVenue).toHaveLength(1);
    // and a later repeat still answers with the same order
    const again = await post(body);
    expect(again.body).toMatchObject({ order_id: answers[0].body.order_id, duplicate: true });
  });

  it('without a key, strategy + symbol + action + timestamp is the key', async () => {
    const ts = new Date().toISOString();
    const body = { symbol: 'KO', action: 'BUY', confidence: 0.9, strategy_id: 'moving_average_crossover', quantity: 2, timestamp: ts };
    const a = await post(body);
    const b = await post(body);
    expect(a.body.status).toBe('executed');
    expect(b.body).toMatchObject({ order_id: a.body.order_id, duplicate: true });
  });
});

describe('strategies', () => {
  it('a PATCH takes effect on the next signal', async () => {
    const up = await call(svc.url, trade, 'PATCH', '/strategies/ml_strategy', { confidence_threshold: 0.95 });
    expect(up.status).toBe(200);
    expect(up.body.confidence_threshold).toBe(0.95);
    expect((await post(signal({ strategy_id: 'ml_strategy', quantity: 1, symbol: 'PG' }))).body).toMatchObject({
      status: 'rejected',
      rule: 'confidence_threshold',
    });
    await call(svc.url, trade, 'PATCH', '/strategies/ml_strategy', { confidence_threshold: 0.5 });
    expect((await post(signal({ strategy_id: 'ml_strategy', quantity: 1, symbol: 'PG', confidence: 0.6 }))).body.status).toBe('executed');
    await call(svc.url, trade, 'PATCH', '/strategies/ml_strategy', { enabled: false });
    expect((await post(signal({ strategy_id: 'ml_strategy', quantity: 1, symbol: 'PG' }))).body.rule).toBe('strategy_disabled');
    await call(svc.url, trade, 'PATCH', '/strategies/ml_strategy', { enabled: true, confidence_threshold: 0.8 });
    const list = await call(svc.url, read, 'GET', '/strategies');
    expect(list.body.find((s: { name: string }) => s.name === 'ml_strategy')).toMatchObject({ enabled: true, confidence_threshold: 0.8 });
  });

  it("GET shows each strategy's kind and params; a PATCH merges params (null removes one), and one its kind refuses is 400 naming params.<setting> with nothing written", async () => {
    const patch = (name: string, body: unknown) => call(svc.url, trade, 'PATCH', `/strategies/${name}`, body);
    const byName = async () =>
      Object.fromEntries(((await call(svc.url, read, 'GET', '/strategies')).body as { name: string }[]).map((s) => [s.name, s])) as Record<
        string,
        Record<string, unknown>
      >;
    const seeded = await byName();
    expect(seeded.moving_average_crossover).toMatchObject({ kind: 'movingAverageCrossover', params: {} });
    expect(seeded.ml_strategy).toMatchObject({ kind: 'modelSignals', params: { model: 'combined-score' } });
    expect(seeded.rsi_mean_reversion).toMatchObject({
      kind: 'rsiMeanReversion',
      enabled: true,
      confidence_threshold: 0.6,
      max_position_size: 10000,
    });
    expect(seeded.pairs_aten_ingm).toMatchObject({
      kind: 'pairsTrading',
      enabled: true,
      confidence_threshold: 0.5,
      params: { mode: 'fixed', symbolA: 'ATEN', symbolB: 'INGM', hedgeRatio: 1, entry: 2, exit: 0.5, stop: 3, riskPerTrade: 0.03 },
    });
    expect(seeded.pairs_statistical).toMatchObject({ kind: 'pairsTrading', enabled: false, params: { mode: 'statistical' } });

    const set = await patch('moving_average_crossover', { params: { fastPeriod: 12, slowPeriod: 40 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.params).toEqual({ fastPeriod: 12, slowPeriod: 40 });
    const merged = await patch('moving_average_crossover', { params: { slowPeriod: null, volatilityBars: 15 } });
    expect(merged.body.params).toEqual({ fastPeriod: 12, volatilityBars: 15 });

    // fastPeriod 30 against the default slowPeriod 30: refused, and the threshold given beside it is not written either.
    const bad = await patch('moving_average_crossover', { params: { fastPeriod: 30 }, confidence_threshold: 0.9 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_strategy_config', field: 'params.fastPeriod' });
    expect(bad.body.message).toMatch(/strategy "moving_average_crossover": fastPeriod: .*slowPeriod/);
    const typo = await patch('moving_average_crossover', { params: { fastPeriode: 5 } });
    expect([typo.status, typo.body.field]).toEqual([400, 'params.fastPeriode']);
    const row = await db.query(`SELECT params, confidence_threshold FROM strategy_config WHERE name = 'moving_average_crossover'`);
    expect(row.rows[0]).toEqual({ params: { fastPeriod: 12, volatilityBars: 15 }, confidence_threshold: 0.75 });

    // An external strategy (kind NULL: signals over HTTP only) takes no params.
    const external = uniqueName('ext').replace(/-/g, '_');
    await db.query(`INSERT INTO strategy_config (name, enabled, confidence_threshold, max_position_size) VALUES ($1, true, 0.5, 1000)`, [
      external,
    ]);
    expect((await byName())[external]).toMatchObject({ kind: null, params: {} });
    const refused = await patch(external, { params: { fastPeriod: 5 } });
    expect([refused.status, refused.body.field]).toEqual([400, 'params']);
    const unknownKind = await patch(external, { kind: 'noSuchKind' });
    expect([unknownKind.status, unknownKind.body.field]).toEqual([400, 'kind']);
    expect((await byName())[external]).toMatchObject({ kind: null, params: {} });

    const back = await patch('moving_average_crossover', { params: { fastPeriod: null, volatilityBars: null } });
    expect(back.body.params).toEqual({});
  });

  it('PATCH of an unknown strategy is 404', async () => {
    expect((await call(svc.url, trade, 'PATCH', '/strategies/nope', { enabled: true })).status).toBe(404);
  });
});

describe('authentication', () => {
  it('401 without a key, with a wrong key and with a revoked key; no detail', async () => {
    const none = await call(svc.url, undefined, 'POST', '/signals/execute', signal());
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: 'unauthorized', message: 'unauthorized' });
    expect((await call(svc.url, undefined, 'GET', '/orders')).status).toBe(401);
    expect((await call(svc.url, `${trade.slice(0, 8)}wrong-wrong-wrong`, 'GET', '/orders')).status).toBe(401);
    const repo = createApiKeyRepo(db);
    const { key, row } = await repo.create('to-revoke', 'trade');
    expect((await call(svc.url, key, 'GET', '/orders')).status).toBe(200);
    expect(await repo.revoke(String(row.id))).toBe(true);
    // The service trusts a verified key for API_KEY_RECHECK_MS (default 1000) before reading its row again.
    const revokedAt = Date.now();
    const revoked = await eventually(
      'the revoked key refused',
      async () => {
        const r = await call(svc.url, key, 'GET', '/orders');
        return r.status === 401 ? r : undefined;
      },
      3_000,
    );
    expect(Date.now() - revokedAt).toBeLessThan(1_000 + 500);
    expect(revoked.body).toEqual({ error: 'unauthorized', message: 'unauthorized' });
  });

  it('a verified key is re-read after the recheck window: a revocation is seen within it, and at once with a window of 0', async () => {
    let clock = 1_000_000;
    const windowed = createApiKeyRepo(db, { recheckMs: 1_000, now: () => clock });
    const everyTime = createApiKeyRepo(db, { recheckMs: 0 });
    const { key, row } = await windowed.create('recheck', 'read');
    expect(await windowed.verify(key)).toEqual({ id: row.id, role: 'read' });
    expect(await everyTime.verify(key)).toEqual({ id: row.id, role: 'read' });
    await windowed.revoke(row.prefix);
    expect(await everyTime.verify(key)).toBeNull();
    clock += 999;
    expect(await windowed.verify(key)).toEqual({ id: row.id, role: 'read' }); // still inside the window
    clock += 1;
    expect(await windowed.verify(key)).toBeNull();
    expect(await windowed.verify(`${key.slice(0, -1)}x`)).toBeNull(); // a wrong key with a known prefix
  });

  it('concurrent checks of one key share a single check (one row read, one scrypt); a wrong key sharing its prefix is checked on its own', async () => {
    let reads = 0;
    // The real pool, counting the key-row reads that reach it.
    const counting = {
      ...db,
      query: (...args: Parameters<Db['query']>) => {
        const q = args[0] as { name?: string };
        if (q?.name === 'api-key-by-prefix') reads++;
        return db.query(...args);
      },
    } as Db;
    const keys = createApiKeyRepo(counting, { recheckMs: 60_000 });
    const { key, row } = await keys.create('burst', 'trade');
    const answers = await Promise.all([
      ...Array.from({ length: 50 }, () => keys.verify(key)),
      keys.verify(`${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`),
    ]);
    expect(answers.slice(0, 50)).toEqual(Array.from({ length: 50 }, () => ({ id: row.id, role: 'trade' })));
    expect(answers[50]).toBeNull();
    expect(reads).toBe(2); // one for the 50 copies of the key, one for the wrong key
  });

  it('a read key reads but cannot trade; probes and docs need no key', async () => {
    expect((await call(svc.url, read, 'GET', '/portfolio')).status).toBe(200);
    expect((await post(signal(), read)).status).toBe(403);
    expect((await call(svc.url, undefined, 'GET', '/healthz')).status).toBe(200);
    expect((await call(svc.url, undefined, 'GET', '/readyz')).body).toMatchObject({ status: 'ready' });
    const doc = await call(svc.url, undefined, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/signals/execute', '/orders', '/orders/{id}', '/strategies/{name}', '/metrics/trading']),
    );
    expect(String((await call(svc.url, undefined, 'GET', '/docs')).body)).toContain('/signals/execute');
  });

  it('the WebSocket refuses a missing key', async () => {
    await expect(openEvents(svc.url, 'qk_nope')).rejects.toThrow(/401/);
  });
});

describe('WS /ws', () => {
  it('delivers the order and its fill within a second of the acknowledgement, and a risk violation', async () => {
    const client = await openEvents(svc.url, read);
    try {
      const r = await post(signal({ symbol: 'PEP', quantity: 5 }));
      const ackAt = Date.now();
      expect(r.body.status).toBe('executed');
      const cid = r.body.client_order_id;
      const order = await eventually(
        'order event',
        () => client.events.find((e) => e.event.type === 'order' && e.event.data.client_order_id === cid),
        1_000,
      );
      const fill = await eventually(
        'fill event',
        () => client.events.find((e) => e.event.type === 'fill' && e.event.data.client_order_id === cid),
        1_000,
      );
      expect(order.at - ackAt).toBeLessThan(1_000);
      expect(fill.at - ackAt).toBeLessThan(1_000);
      expect(fill.event.data).toMatchObject({ symbol: 'PEP', side: 'buy', qty: 5 });
      expect(fill.event.data.price).toBeCloseTo(100, 2); // the cost model's impact moves it by hundredths of a cent
      await eventually(
        'position event',
        () => client.events.find((e) => e.event.type === 'position' && e.event.data.symbol === 'PEP'),
        2_000,
      );
      await post(signal({ confidence: 0.1 }));
      const v = await eventually('risk violation event', () => client.events.find((e) => e.event.type === 'risk_violation'), 1_000);
      expect(v.event.data.rule).toBe('confidence_threshold');
    } finally {
      client.close();
    }
  });
});

describe('orders, positions, portfolio, metrics', () => {
  it('lists with filters, reads one, cancels a resting limit order and refuses to cancel a filled one', async () => {
    const filled = await post(signal({ symbol: 'CAT', quantity: 4 }));
    const resting = await post(signal({ symbol: 'CAT', quantity: 4, price_target: 90, stop_loss: 85 })); // below the price: rests
    expect(resting.body.order_status).not.toBe('filled');
    const bySymbol = await call(svc.url, read, 'GET', '/orders?symbol=CAT');
    expect(bySymbol.body.map((o: { id: number }) => o.id).sort()).toEqual([filled.body.order_id, resting.body.order_id].sort());
    const byStatus = await call(
      svc.url,
      read,
      'GET',
      `/orders?symbol=CAT&status=filled&strategy=moving_average_crossover&since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`,
    );
    expect(byStatus.body.map((o: { id: number }) => o.id)).toEqual([filled.body.order_id]);
    expect((await call(svc.url, read, 'GET', '/orders?colour=red')).body.field).toBe('colour');
    const one = await call(svc.url, read, 'GET', `/orders/${resting.body.order_id}`);
    expect(one.body).toMatchObject({ order_type: 'limit', limit_price: 90, stop_loss: 85 });
    expect((await call(svc.url, read, 'GET', '/orders/999999')).status).toBe(404);
    expect((await call(svc.url, read, 'DELETE', `/orders/${resting.body.order_id}`)).status).toBe(403);
    const cancel = await call(svc.url, trade, 'DELETE', `/orders/${resting.body.order_id}`);
    expect(cancel.status).toBe(202);
    await eventually('canceled status', async () =>
      (await call(svc.url, read, 'GET', `/orders/${resting.body.order_id}`)).body.status === 'canceled' ? true : undefined,
    );
    expect((await call(svc.url, trade, 'DELETE', `/orders/${filled.body.order_id}`)).status).toBe(409);
  });

  it('positions and portfolio come from the venue; the mirror follows', async () => {
    const positions = await call(svc.url, read, 'GET', '/positions');
    const cat = positions.body.find((p: { symbol: string }) => p.symbol === 'CAT');
    expect(cat.qty).toBe(4);
    expect(cat.avg_entry_price).toBeCloseTo(100, 2);
    const p = await call(svc.url, read, 'GET', '/portfolio');
    expect(p.body).toMatchObject({ broker: 'paper', halted: false });
    expect(p.body.positions.length).toBe(positions.body.length);
    await eventually('mirrored position', async () => {
      const r = await db.query(`SELECT qty FROM broker_positions WHERE symbol = 'CAT'`);
      return r.rows[0]?.qty === 4 ? true : undefined;
    });
  });

  it('max_correlation uses the cached correlation matrix: above 0.7 with a held symbol rejects, 0.7 passes', async () => {
    expect((await post(signal({ symbol: 'WMT', quantity: 2 }))).body.status).toBe('executed');
    await db.query(
      `INSERT INTO symbol_correlations (symbol_a, symbol_b, correlation, observations, as_of) VALUES ('NEE', 'WMT', 0.71, 60, CURRENT_DATE)`,
    );
    await svc.service.cache.refresh();
    const r = await post(signal({ symbol: 'NEE', quantity: 2 }));
    expect(r.body).toMatchObject({ status: 'rejected', rule: 'max_correlation' });
    expect(r.body.reason).toContain('WMT');
    await db.query(`UPDATE symbol_correlations SET correlation = 0.7 WHERE symbol_a = 'NEE' AND symbol_b = 'WMT'`);
    await svc.service.cache.refresh();
    expect((await post(signal({ symbol: 'NEE', quantity: 2 }))).body.status).toBe('executed');
  });

  it('the trading halt rejects new orders with its rule', async () => {
    await db.query(`UPDATE trading_state SET halted = true, halt_reason = 'test halt'`);
    await svc.service.cache.refresh();
    try {
      const r = await post(signal({ symbol: 'HON', quantity: 1 }));
      expect(r.body).toMatchObject({ status: 'rejected', rule: 'trading_halted' });
      expect(r.body.reason).toContain('test halt');
    } finally {
      await db.query(`UPDATE trading_state SET halted = false, halt_reason = NULL`);
      await svc.service.cache.refresh();
    }
  });

  it('GET /metrics/trading summarises latency, success per strategy, rejections by rule and orders per second; Prometheus has the same', async () => {
    await svc.service.cache.refresh();
    await new Promise((r) => setTimeout(r, 400)); // latency rows are written in batches every 250 ms
    const m = await call(svc.url, read, 'GET', '/metrics/trading');
    expect(m.status).toBe(200);
    expect(m.body.latency_ms.samples).toBeGreaterThan(0);
    expect(m.body.latency_ms.p50).toBeLessThanOrEqual(m.body.latency_ms.p95);
    expect(m.body.latency_ms.p95).toBeLessThanOrEqual(m.body.latency_ms.p99);
    const ma = m.body.strategies.find((s: { strategy: string }) => s.strategy === 'moving_average_crossover');
    expect(ma.executed).toBeGreaterThan(0);
    expect(ma.success_rate).toBeCloseTo(ma.executed / (ma.executed + ma.rejected), 12);
    expect(m.body.rejections_by_rule.confidence_threshold).toBeGreaterThan(0);
    expect(m.body.orders_per_second).toBeGreaterThan(0);
    const prom = await call(svc.url, read, 'GET', '/metrics');
    expect(String(prom.body)).toContain('quant_signal_latency_seconds_bucket');
    expect(String(prom.body)).toMatch(/quant_risk_rejections_total\{rule="confidence_threshold"\} [1-9]/);
  });
});
