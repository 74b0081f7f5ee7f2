import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../errors';
import { prepareCycleSignals, signalIdempotencyKey, type StrategyOutput } from './cycle';
import type { StrategySignal } from './types';

const AT = Date.UTC(2025, 0, 2, 15, 30);
const PRICES = new Map([
  ['AAPL', 190],
  ['MSFT', 420],
  ['ATEN', 25],
  ['INGM', 20],
  ['BAD', NaN],
]);
const sig = (symbol: string, over: Partial<StrategySignal> = {}): StrategySignal => ({
  symbol,
  action: 'BUY',
  confidence: 0.8,
  reason: 'r',
  ...over,
});
const leg = (symbol: string, action: 'BUY' | 'SELL', n: 1 | 2, id = 'pairs:ATEN/INGM:enter_short:2025-01-02T15:25:00.000Z') =>
  sig(symbol, { action, quantity: 100, group: { id, leg: n } });
const run = (outputs: StrategyOutput[]) => prepareCycleSignals(AT, outputs, PRICES);

describe('signalIdempotencyKey', () => {
  it('is strategy:<name>:<symbol>:<ISO of the cycle>', () => {
    expect(signalIdempotencyKey('ma', 'AAPL', AT)).toBe('strategy:ma:AAPL:2025-01-02T15:30:00.000Z');
  });
  it('a non-finite cycle time throws DomainInputError', () => {
    expect(() => signalIdempotencyKey('ma', 'AAPL', NaN)).toThrow(DomainInputError);
  });
});

describe('prepareCycleSignals', () => {
  it('stamps strategy, signalTs and idempotency key', () => {
    const { accepted, dropped } = run([{ strategy: 'ma', signals: [sig('AAPL')] }]);
    expect(dropped).toEqual([]);
    expect(accepted).toEqual([
      { ...sig('AAPL'), strategy: 'ma', signalTs: '2025-01-02T15:30:00.000Z', idempotencyKey: 'strategy:ma:AAPL:2025-01-02T15:30:00.000Z' },
    ]);
  });

  it('drops a confidence outside [0, 1] or NaN, an unknown symbol, a price that is NaN, a fractional quantity', () => {
    const { accepted, dropped } = run([
      {
        strategy: 'ma',
        signals: [
          sig('AAPL', { confidence: 1.2 }),
          sig('MSFT', { confidence: NaN }),
          sig('ZZZ'),
          sig('BAD'),
          sig('ATEN', { quantity: 2.5 }),
          sig('INGM', { confidence: 0 }),
        ],
      },
    ]);
    expect(accepted.map((s) => s.symbol)).toEqual(['INGM']);
    expect(dropped).toEqual([
      { strategy: 'ma', symbol: 'AAPL', action: 'BUY', reason: 'confidence 1.2 is not in [0, 1]' },
      { strategy: 'ma', symbol: 'ATEN', action: 'BUY', reason: 'quantity 2.5 is not a whole number >= 1' },
      { strategy: 'ma', symbol: 'BAD', action: 'BUY', reason: 'no known price for BAD' },
      { strategy: 'ma', symbol: 'MSFT', action: 'BUY', reason: 'confidence NaN is not in [0, 1]' },
      { strategy: 'ma', symbol: 'ZZZ', action: 'BUY', reason: 'no known price for ZZZ' },
    ]);
  });

  it('duplicates of one strategy and symbol: the highest confidence is kept', () => {
    const { accepted, dropped } = run([
      { strategy: 'ma', signals: [sig('AAPL', { confidence: 0.6 }), sig('AAPL', { confidence: 0.9, reason: 'best' })] },
    ]);
    expect(accepted.map((s) => [s.symbol, s.reason])).toEqual([['AAPL', 'best']]);
    expect(dropped).toEqual([
      { strategy: 'ma', symbol: 'AAPL', action: 'BUY', reason: 'duplicate: a BUY for AAPL with confidence 0.9 is kept' },
    ]);
  });

  it('a BUY and a SELL of one strategy on one symbol: both dropped; other strategies unaffected', () => {
    const { accepted, dropped } = run([
      { strategy: 'ma', signals: [sig('AAPL'), sig('AAPL', { action: 'SELL' })] },
      { strategy: 'rsi', signals: [sig('AAPL', { action: 'SELL' })] },
    ]);
    expect(accepted.map((s) => `${s.strategy}:${s.action}`)).toEqual(['rsi:SELL']);
    expect(dropped.map((d) => d.reason)).toEqual([
      'conflicting BUY and SELL signals for AAPL (2 signals)',
      'conflicting BUY and SELL signals for AAPL (2 signals)',
    ]);
  });

  it('a pair group is kept whole, legs in leg order, its id prefixed with the strategy', () => {
    const { accepted, dropped } = run([{ strategy: 'pairs', signals: [leg('INGM', 'BUY', 2), leg('ATEN', 'SELL', 1)] }]);
    expect(dropped).toEqual([]);
    expect(accepted.map((s) => [s.symbol, s.group])).toEqual([
      ['ATEN', { id: 'pairs:pairs:ATEN/INGM:enter_short:2025-01-02T15:25:00.000Z', leg: 1 }],
      ['INGM', { id: 'pairs:pairs:ATEN/INGM:enter_short:2025-01-02T15:25:00.000Z', leg: 2 }],
    ]);
  });

  it('a pair group loses both legs when one is dropped, the reason naming the leg', () => {
    const prices = new Map([['ATEN', 25]]);
    const { accepted, dropped } = prepareCycleSignals(
      AT,
      [{ strategy: 'pairs', signals: [leg('ATEN', 'SELL', 1), leg('INGM', 'BUY', 2)] }],
      prices,
    );
    expect(accepted).toEqual([]);
    expect(dropped).toEqual([
      {
        strategy: 'pairs',
        symbol: 'ATEN',
        action: 'SELL',
        reason: 'pair group pairs:ATEN/INGM:enter_short:2025-01-02T15:25:00.000Z: leg 2 (INGM) was dropped: no known price for INGM',
      },
      { strategy: 'pairs', symbol: 'INGM', action: 'BUY', reason: 'no known price for INGM' },
    ]);
  });

  it('a group that is not one leg 1 and one leg 2 is dropped; a duplicate that beats a leg drops the group', () => {
    expect(run([{ strategy: 'p', signals: [leg('ATEN', 'SELL', 1)] }]).dropped[0].reason).toMatch(
      /is not one leg 1 and one leg 2 \(legs: 1\)$/,
    );
    const r = run([{ strategy: 'p', signals: [leg('ATEN', 'SELL', 1), leg('INGM', 'BUY', 2), sig('INGM', { confidence: 0.95 })] }]);
    expect(r.accepted.map((s) => [s.symbol, s.group])).toEqual([['INGM', undefined]]);
    expect(r.dropped.map((d) => d.symbol)).toEqual(['ATEN', 'INGM']);
    expect(r.dropped[0].reason).toContain('leg 2 (INGM) was dropped: duplicate');
  });

  it('order: strategies by name, then symbol, a group at its leg 1; the input order does not matter', () => {
    const outputs: StrategyOutput[] = [
      { strategy: 'rsi', signals: [sig('MSFT'), sig('AAPL')] },
      { strategy: 'pairs', signals: [leg('INGM', 'BUY', 2), sig('MSFT'), leg('ATEN', 'SELL', 1)] },
      { strategy: 'ma', signals: [sig('MSFT')] },
    ];
    const order = (o: StrategyOutput[]) => run(o).accepted.map((s) => `${s.strategy}:${s.symbol}`);
    expect(order(outputs)).toEqual(['ma:MSFT', 'pairs:ATEN', 'pairs:INGM', 'pairs:MSFT', 'rsi:AAPL', 'rsi:MSFT']);
    expect(order([...outputs].reverse())).toEqual(order(outputs));
  });

  it("stamps the output's model version on each signal that names none; a signal's own model stays", () => {
    const r = run([
      { strategy: 'ma', model: 'ma@2', signals: [sig('AAPL')] },
      { strategy: 'follow', model: 'follow@1', signals: [sig('MSFT', { model: 'combined-score@3' })] },
      { strategy: 'ext', signals: [sig('ATEN')] },
    ]);
    expect(r.accepted.map((s) => [s.strategy, s.model])).toEqual([
      ['ext', undefined],
      ['follow', 'combined-score@3'],
      ['ma', 'ma@2'],
    ]);
    expect(r.accepted[0]).not.toHaveProperty('model');
  });

  it('outputs of one strategy name are merged (and deduplicated together)', () => {
    const r = run([
      { strategy: 'ma', signals: [sig('AAPL', { confidence: 0.5 })] },
      { strategy: 'ma', signals: [sig('AAPL', { confidence: 0.7 })] },
    ]);
    expect(r.accepted.map((s) => s.confidence)).toEqual([0.7]);
    expect(r.dropped).toHaveLength(1);
  });
});
