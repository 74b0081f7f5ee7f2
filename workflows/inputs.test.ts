import { describe, expect, it } from 'vitest';
import { backtestInputSchema, checkInput, ingestBackfillInputSchema, ingestInputSchema, pipelineInputSchema, screenInputSchema } from './inputs';

describe('workflow input schemas', () => {
  it('accept a missing input and the inputs the CLI sends', () => {
    expect(checkInput(screenInputSchema, undefined)).toEqual({ ok: true, value: {} });
    expect(checkInput(pipelineInputSchema, { date: '2025-03-14', lookbackDays: 300, symbols: ['AAPL', 'BRK-B'] }).ok).toBe(true);
  });
  it('name the field of an impossible date', () => {
    expect(checkInput(ingestInputSchema, { date: '2025-13-01' })).toEqual({
      ok: false,
      problems: [{ field: 'date', message: 'must be a calendar date YYYY-MM-DD' }],
    });
  });
  it('refuse null, unknown fields and bad numbers, each named', () => {
    const nul = checkInput(screenInputSchema, null);
    expect(nul.ok).toBe(false);
    if (!nul.ok) expect(nul.problems[0].field).toBe('(input)');
    const typo = checkInput(pipelineInputSchema, { dates: '2025-03-14' });
    expect(typo.ok === false && typo.problems.map((p) => p.field)).toEqual(['(input)']);
    if (!typo.ok) expect(typo.problems[0].message).toMatch(/dates/);
    const neg = checkInput(ingestInputSchema, { lookbackDays: -1, symbols: ['aapl'] });
    expect(neg.ok === false && neg.problems.map((p) => p.field).sort()).toEqual(['lookbackDays', 'symbols.0']);
  });
  it('check ranges across fields', () => {
    const r = checkInput(ingestBackfillInputSchema, { from: '2025-03-14', to: '2025-03-01' });
    expect(r.ok === false && r.problems).toEqual([{ field: 'from', message: 'must not be after `to`' }]);
    expect(checkInput(backtestInputSchema, { start: '2024-01-01', end: '2023-01-01' }).ok).toBe(false);
  });
});
