/** CLI usage errors name the offending argument. */
import { describe, expect, it } from 'vitest';
import { intOption, parseCommandArgs, UsageError } from './args';

describe('quant argument parsing', () => {
  it('names an unknown option', () => {
    expect(() => parseCommandArgs(['--contrcts', '5'], { contracts: { type: 'string' } }, 'quant run orchestrator')).toThrowError(
      /--contrcts/,
    );
  });
  it('names an option missing its value', () => {
    expect(() => parseCommandArgs(['--contracts'], { contracts: { type: 'string' } }, 'u')).toThrowError(/--contracts/);
  });
  it('rejects a non-integer count by name', () => {
    expect(() => intOption('contracts', 'ten', 10)).toThrowError(UsageError);
    expect(() => intOption('contracts', '0', 10)).toThrowError(/--contracts must be an integer >= 1, got "0"/);
    expect(intOption('contracts', undefined, 10)).toBe(10);
    expect(intOption('contracts', '25', 10)).toBe(25);
  });
});
