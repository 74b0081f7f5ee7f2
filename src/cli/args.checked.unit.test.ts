/** The CLI refuses a bad workflow input before starting anything, naming the option. */
import { describe, expect, it } from 'vitest';
import { checkedInput, intOption, UsageError } from './args';
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
  it('takes decimal integers only', () => {
    expect(() => intOption('contracts', '1e9', 10)).toThrowError(/--contracts must be an integer/);
    expect(() => intOption('contracts', '0x10', 10)).toThrowError(UsageError);
  });
});
