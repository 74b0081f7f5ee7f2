/** The CLI refuses a bad workflow input before starting anything, naming the option. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { checkedInput, dateArg, intArg, numberArg, UsageError } from './args';
import { ingestInputSchema, orchestratorInputSchema } from '../../workflows/inputs';

describe('checkedInput', () => {
  it('names the option of a bad field', () => {
    expect(() =>
      checkedInput('orchestrator', orchestratorInputSchema, { numContracts: 1e9 }, { numContracts: '--contracts' }),
    ).toThrowError(UsageError);
    expect(() =>
      checkedInput('orchestrator', orchestratorInputSchema, { numContracts: 1e9 }, { numContracts: '--contracts' }),
    ).toThrowError(/--contracts \(numContracts\)/);
    expect(() =>
      checkedInput('orchestrator', orchestratorInputSchema, { numContracts: 5, runKey: 'a b' }, { runKey: '--run-key' }),
    ).toThrowError(/--run-key/);
    expect(() => checkedInput('ingest', ingestInputSchema, { date: '2025-13-01' }, { date: '--date' })).toThrowError(
      /--date \(date\): must be a calendar date/,
    );
  });
  it('passes a good input through', () => {
    expect(checkedInput('ingest', ingestInputSchema, { date: '2025-03-14' })).toEqual({ date: '2025-03-14' });
  });
});

describe('argument parsers', () => {
  it('take calendar dates only', () => {
    expect(dateArg('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2025-13-45', '2025-02-29', '2025-2-3', 'today']) expect(() => dateArg(bad), bad).toThrowError(InvalidArgumentError);
  });
  it('take decimal integers only', () => {
    expect(intArg(1)('25')).toBe(25);
    expect(intArg(0)('0')).toBe(0);
    for (const bad of ['1e9', '0x10', 'ten', '0', '2.5', '']) expect(() => intArg(1)(bad), bad).toThrowError(/must be an integer >= 1/);
  });
  it('take numbers in range', () => {
    expect(numberArg(0, 1)('0.25')).toBe(0.25);
    expect(() => numberArg(0, 1)('1.5')).toThrowError(/must be a number >= 0 and <= 1/);
    expect(() => numberArg(0, Infinity, true)('0')).toThrowError(/must be a number > 0/);
    expect(() => numberArg(0, 1)('abc')).toThrowError(InvalidArgumentError);
  });
});
