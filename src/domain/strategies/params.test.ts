import { describe, expect, it } from 'vitest';
import { fmt, integerAtLeast, numberIn, oneOf, readParams, symbolList, symbolName, symbolsToScan } from './params';

describe('readParams', () => {
  const defaults = { period: 14, level: 30, names: [] as string[] };
  const checks = { period: integerAtLeast(2), level: numberIn(0, 100, { minExclusive: true }), names: symbolList };

  it('merges over the defaults; null and undefined take the default; arrays are copied', () => {
    const names = ['A'];
    const r = readParams({ period: 20, level: null, names }, defaults, checks);
    expect(r).toEqual({ config: { period: 20, level: 30, names: ['A'] }, problems: [] });
    expect(r.config.names).not.toBe(names);
    expect(readParams(null, defaults, checks).config).toEqual(defaults);
  });

  it('names each bad setting, in the order of the defaults, unknown settings last', () => {
    const r = readParams({ zeta: 1, level: 0, period: 1, alpha: 2 }, defaults, checks);
    expect(r.problems).toEqual([
      { setting: 'period', message: 'must be an integer >= 2, got 1' },
      { setting: 'level', message: 'must be a number in (0, 100], got 0' },
      { setting: 'alpha', message: 'unknown setting (known: period, level, names)' },
      { setting: 'zeta', message: 'unknown setting (known: period, level, names)' },
    ]);
    expect(r.config.period).toBe(14);
  });
});

describe('checks', () => {
  it('numberIn honours open and closed bounds and refuses NaN and strings', () => {
    const c = numberIn(0, 1, { maxExclusive: true });
    expect(c(0)).toBeNull();
    expect(c(1)).toBe('must be a number in [0, 1), got 1');
    expect(c(NaN)).not.toBeNull();
    expect(c('0.5')).not.toBeNull();
  });
  it('oneOf, symbolName and symbolList', () => {
    expect(oneOf('fixed', 'statistical')('stat')).toBe('must be one of fixed, statistical, got "stat"');
    expect(symbolName('BRK.B')).toBeNull();
    expect(symbolName('A B')).not.toBeNull();
    expect(symbolName('')).not.toBeNull();
    expect(symbolList(['A', 'B'])).toBeNull();
    expect(symbolList(['A', 'A'])).toBe('lists A twice');
    expect(symbolList('A')).not.toBeNull();
  });
});

describe('helpers', () => {
  it('fmt never prints -0.00', () => {
    expect(fmt(-0.001)).toBe('0.00');
    expect(fmt(-0.5)).toBe('-0.50');
    expect(fmt(1.23456, 3)).toBe('1.235');
  });
  it('symbolsToScan: the configured list, else every symbol with bars in sorted order', () => {
    expect(symbolsToScan(['Z', 'A'], new Map([['B', 1]]))).toEqual(['Z', 'A']);
    expect(
      symbolsToScan(
        [],
        new Map([
          ['B', 1],
          ['A', 2],
        ]),
      ),
    ).toEqual(['A', 'B']);
  });
});
