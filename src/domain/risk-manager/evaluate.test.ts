/**
 * Every rule of the risk manager at its boundary, accepting and rejecting.
 * Expected numbers are hand arithmetic written beside each case (equity
 * 100,000, price 100 unless said otherwise); session times come from the
 * NYSE's published hours (09:30-16:00 New York) and the US DST dates of 2026
 * (8 March - 1 November).
 */
import { describe, expect, it } from 'vitest';
import { checkSignalLevels, evaluateSignal, portfolioRisk, sizePosition } from './evaluate';
import { SEED_RISK_LIMITS, type HeldPosition, type RiskLimits, type RiskSignal, type RiskState, type StrategyRisk } from './types';

const OPEN = Date.parse('2026-03-10T15:00:00Z'); // Tuesday 11:00 EDT
const strategy: StrategyRisk = {
  name: 'ma',
  enabled: true,
  confidenceThreshold: 0.75,
  maxPositionSize: 10_000,
  stopLossPct: null,
  maxSinglePosition: null,
};
const limits: RiskLimits = { ...SEED_RISK_LIMITS };

function state(
  over: Partial<RiskState> & { held?: HeldPosition[]; corr?: Record<string, number>; prices?: Map<string, number> } = {},
): RiskState {
  const { held = [], corr = {}, prices: priceMap, ...rest } = over;
  return {
    equity: 100_000,
    buyingPower: 200_000,
    positions: new Map(held.map((p) => [p.symbol, p])),
    price: (s) =>
      (
        priceMap ??
        new Map([
          ['AAPL', 100],
          ['MSFT', 100],
          ['X', 100],
        ])
      ).get(s),
    correlation: (a, b) => corr[`${a}/${b}`] ?? corr[`${b}/${a}`],
    halted: false,
    now: OPEN,
    ...rest,
  };
}
const buy = (over: Partial<RiskSignal> = {}): RiskSignal => ({ symbol: 'AAPL', action: 'BUY', strategyId: 'ma', confidence: 0.9, ...over });
const sell = (over: Partial<RiskSignal> = {}): RiskSignal => buy({ action: 'SELL', ...over });
const ruleOf = (d: ReturnType<typeof evaluateSignal>) => (d.kind === 'reject' ? d.rule : d.kind);

describe('sizePosition', () => {
  it('takes the smaller cap and floors to whole shares', () => {
    expect(sizePosition({ maxPositionSize: 10_000, maxSinglePositionPct: 0.1, equity: 50_000, price: 190 })).toBe(26); // min(10000, 5000)/190 = 26.3
    expect(sizePosition({ maxPositionSize: 3_000, maxSinglePositionPct: 0.1, equity: 100_000, price: 100 })).toBe(30); // min(3000, 10000)/100
    expect(sizePosition({ maxPositionSize: 10_000, maxSinglePositionPct: 0.1, equity: 30_000, price: 30 })).toBe(100); // 3000/30 exactly
    expect(sizePosition({ maxPositionSize: 10_000, maxSinglePositionPct: 0.1, equity: 100_000, price: 10_001 })).toBe(0);
    expect(sizePosition({ maxPositionSize: 10_000, maxSinglePositionPct: 0.1, equity: 100_000, price: 0 })).toBe(0);
  });
});

describe('portfolioRisk', () => {
  it('sums size x distance to stop over equity, default stop when none is recorded', () => {
    expect(portfolioRisk([], 0.02, 100_000)).toBe(0);
    // 100 x |50 - 45| = 500, plus 200 x 100 x 0.02 = 400 -> 900 / 10000
    expect(
      portfolioRisk(
        [
          { symbol: 'A', qty: 100, price: 50, stopPrice: 45 },
          { symbol: 'B', qty: -200, price: 100 },
        ],
        0.02,
        10_000,
      ),
    ).toBeCloseTo(0.09, 12);
    expect(portfolioRisk([{ symbol: 'A', qty: 1, price: 50 }], 0.02, 0)).toBe(Infinity);
  });
});

describe('checkSignalLevels', () => {
  it('wants a BUY stop below and take-profit above the price, a SELL the other way', () => {
    expect(checkSignalLevels({ action: 'BUY', stopLoss: 99.99 }, 100)).toBeNull();
    expect(checkSignalLevels({ action: 'BUY', stopLoss: 100 }, 100)?.field).toBe('stop_loss');
    expect(checkSignalLevels({ action: 'BUY', takeProfit: 100 }, 100)?.field).toBe('take_profit');
    expect(checkSignalLevels({ action: 'BUY', takeProfit: 100.01 }, 100)).toBeNull();
    expect(checkSignalLevels({ action: 'SELL', stopLoss: 100 }, 100)?.field).toBe('stop_loss');
    expect(checkSignalLevels({ action: 'SELL', stopLoss: 100.01, takeProfit: 99 }, 100)).toBeNull();
    expect(checkSignalLevels({ action: 'BUY', stopLoss: 96, priceTarget: 95 }, 100)?.field).toBe('stop_loss'); // judged at the limit price
  });
});

describe('evaluateSignal', () => {
  it('sizes a BUY without quantity, with the default 2% stop, as a market order', () => {
    expect(evaluateSignal(buy(), strategy, limits, state())).toEqual({
      kind: 'order',
      side: 'buy',
      qty: 100,
      orderType: 'market',
      price: 100,
      stopLoss: 98,
    });
  });

  it('turns a price target into a limit order sized at that price, and keeps the signal stop and take-profit', () => {
    const d = evaluateSignal(buy({ priceTarget: 95, stopLoss: 90, takeProfit: 120 }), strategy, limits, state());
    expect(d).toEqual({
      kind: 'order',
      side: 'buy',
      qty: 105,
      orderType: 'limit',
      limitPrice: 95,
      price: 95,
      stopLoss: 90,
      takeProfit: 120,
    }); // floor(10000/95)
  });

  it('uses the strategy stop override; a SELL stop sits above the price', () => {
    const d = evaluateSignal(buy(), { ...strategy, stopLossPct: 0.05 }, limits, state());
    expect(d.kind === 'order' && d.stopLoss).toBe(95);
    // A SELL that opens a short: its stop is 2 % (the default) above the price of 100.
    const s = evaluateSignal(sell({ quantity: 10 }), strategy, { ...limits, allowShortSelling: true }, state());
    expect(s.kind === 'order' && s.stopLoss).toBe(102);
  });

  it('a strategy without protective stops opens without one (a pair manages its exits as a whole)', () => {
    const d = evaluateSignal(buy(), { ...strategy, protectiveStops: false }, limits, state());
    expect(d).toMatchObject({ kind: 'order', side: 'buy', stopLoss: null });
    // A stop the signal gives is kept.
    const own = evaluateSignal(buy({ stopLoss: 90 }), { ...strategy, protectiveStops: false }, limits, state());
    expect(own).toMatchObject({ kind: 'order', stopLoss: 90 });
  });

  it('an order that only reduces a position carries no stop (a stop on it would open the opposite side)', () => {
    const s = evaluateSignal(sell({ quantity: 10 }), strategy, limits, state({ held: [{ symbol: 'AAPL', qty: 10, price: 100 }] }));
    expect(s).toMatchObject({ kind: 'order', side: 'sell', qty: 10, stopLoss: null });
    const partial = evaluateSignal(sell({ quantity: 4 }), strategy, limits, state({ held: [{ symbol: 'AAPL', qty: 10, price: 100 }] }));
    expect(partial).toMatchObject({ kind: 'order', qty: 4, stopLoss: null });
  });

  it('strategy_disabled rejects even a HOLD; HOLD is accepted without an order otherwise, even when halted', () => {
    expect(ruleOf(evaluateSignal(buy({ action: 'HOLD' }), { ...strategy, enabled: false }, limits, state()))).toBe('strategy_disabled');
    expect(evaluateSignal(buy({ action: 'HOLD' }), strategy, limits, state({ halted: true }))).toEqual({ kind: 'hold' });
  });

  it('trading_halted', () => {
    const d = evaluateSignal(buy(), strategy, limits, state({ halted: true, haltReason: 'reconciliation gap' }));
    expect(d).toEqual({ kind: 'reject', rule: 'trading_halted', reason: 'trading is halted: reconciliation gap' });
  });

  it('confidence_threshold: equal passes, below rejects', () => {
    expect(ruleOf(evaluateSignal(buy({ confidence: 0.75 }), strategy, limits, state()))).toBe('order');
    expect(ruleOf(evaluateSignal(buy({ confidence: 0.7499 }), strategy, limits, state()))).toBe('confidence_threshold');
  });

  it('market_hours on the NYSE session in New York time (EDT and EST), weekends and holidays; always means always', () => {
    const at = (iso: string) => ruleOf(evaluateSignal(buy(), strategy, limits, state({ now: Date.parse(iso) })));
    expect(at('2026-03-10T13:30:00Z')).toBe('order'); // 09:30 EDT
    expect(at('2026-03-10T13:29:59.999Z')).toBe('market_hours');
    expect(at('2026-03-10T19:59:59.999Z')).toBe('order'); // 15:59:59 EDT
    expect(at('2026-03-10T20:00:00Z')).toBe('market_hours'); // 16:00 EDT
    expect(at('2026-01-06T14:30:00Z')).toBe('order'); // 09:30 EST
    expect(at('2026-01-06T14:29:00Z')).toBe('market_hours');
    expect(at('2026-03-14T15:00:00Z')).toBe('market_hours'); // Saturday
    expect(at('2026-07-03T15:00:00Z')).toBe('market_hours'); // Independence Day observed (4 July is a Saturday)
    const always = evaluateSignal(
      buy(),
      strategy,
      { ...limits, marketHours: 'always' },
      state({ now: Date.parse('2026-03-14T15:00:00Z') }),
    );
    expect(ruleOf(always)).toBe('order');
  });

  it('no_price when the symbol has no last price and no limit', () => {
    expect(ruleOf(evaluateSignal(buy({ symbol: 'ZZZ' }), strategy, limits, state()))).toBe('no_price');
    expect(ruleOf(evaluateSignal(buy({ symbol: 'ZZZ', priceTarget: 50, quantity: 1 }), strategy, limits, state()))).toBe('order');
  });

  it('position_size when one share is above the cap', () => {
    const prices = new Map([['AAPL', 10_000]]);
    expect(ruleOf(evaluateSignal(buy(), strategy, limits, state({ prices })))).toBe('order'); // 10000/10000 = 1 share
    expect(ruleOf(evaluateSignal(buy(), strategy, limits, state({ prices: new Map([['AAPL', 10_000.01]]) })))).toBe('position_size');
  });

  it('short_selling: a SELL beyond the held long is a short, allowed only when configured', () => {
    const held = [{ symbol: 'AAPL', qty: 10, price: 100 }];
    expect(ruleOf(evaluateSignal(sell({ quantity: 10 }), strategy, limits, state({ held })))).toBe('order');
    expect(ruleOf(evaluateSignal(sell({ quantity: 11 }), strategy, limits, state({ held })))).toBe('short_selling');
    expect(ruleOf(evaluateSignal(sell({ quantity: 1 }), strategy, limits, state()))).toBe('short_selling');
    expect(ruleOf(evaluateSignal(sell({ quantity: 1 }), strategy, { ...limits, allowShortSelling: true }, state()))).toBe('order');
  });

  it('a SELL without quantity closes the held long', () => {
    const d = evaluateSignal(sell(), strategy, limits, state({ held: [{ symbol: 'AAPL', qty: 30, price: 100 }] }));
    expect(d.kind === 'order' && d.qty).toBe(30);
  });

  it('buying_power: cost equal passes, a cent more rejects', () => {
    expect(ruleOf(evaluateSignal(buy({ quantity: 100 }), strategy, limits, state({ buyingPower: 10_000 })))).toBe('order');
    expect(ruleOf(evaluateSignal(buy({ quantity: 100 }), strategy, limits, state({ buyingPower: 9_999.99 })))).toBe('buying_power');
  });

  it('max_single_position: 10% of equity passes, one share more rejects, counting the held shares', () => {
    expect(ruleOf(evaluateSignal(buy({ quantity: 100 }), strategy, limits, state()))).toBe('order');
    expect(ruleOf(evaluateSignal(buy({ quantity: 101 }), strategy, limits, state()))).toBe('max_single_position');
    const held = [{ symbol: 'AAPL', qty: 50, price: 100 }];
    expect(ruleOf(evaluateSignal(buy({ quantity: 50 }), strategy, limits, state({ held })))).toBe('order');
    expect(ruleOf(evaluateSignal(buy({ quantity: 51 }), strategy, limits, state({ held })))).toBe('max_single_position');
    expect(ruleOf(evaluateSignal(buy({ quantity: 100 }), { ...strategy, maxSinglePosition: 0.05 }, limits, state()))).toBe(
      'max_single_position',
    );
  });

  it('an order that only reduces a position passes the exposure limits', () => {
    const held = [{ symbol: 'AAPL', qty: 500, price: 100 }]; // 50% of equity, already above the limit
    expect(ruleOf(evaluateSignal(sell({ quantity: 100 }), strategy, limits, state({ held, buyingPower: 0 })))).toBe('order');
  });

  it('max_correlation: 0.7 passes, above rejects naming the held symbol; unknown pairs pass', () => {
    const held = [{ symbol: 'MSFT', qty: 10, price: 100 }];
    expect(ruleOf(evaluateSignal(buy(), strategy, limits, state({ held, corr: { 'AAPL/MSFT': 0.7 } })))).toBe('order');
    const d = evaluateSignal(buy(), strategy, limits, state({ held, corr: { 'AAPL/MSFT': 0.7001 } }));
    expect(d.kind === 'reject' && d.rule).toBe('max_correlation');
    expect(d.kind === 'reject' && d.reason).toContain('MSFT');
    expect(ruleOf(evaluateSignal(buy(), strategy, limits, state({ held })))).toBe('order');
  });

  it('max_portfolio_risk: 5% of equity at stake passes, a cent more rejects', () => {
    // held X: 1000 x |100 - 96| = 4000; new AAPL: 100 x |100 - 90| = 1000 -> 5000 = 5% of 100000
    const held = [{ symbol: 'X', qty: 1000, price: 100, stopPrice: 96 }];
    expect(ruleOf(evaluateSignal(buy({ quantity: 100, stopLoss: 90 }), strategy, limits, state({ held })))).toBe('order');
    expect(ruleOf(evaluateSignal(buy({ quantity: 100, stopLoss: 89.99 }), strategy, limits, state({ held })))).toBe('max_portfolio_risk');
  });
});
