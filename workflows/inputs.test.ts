import { describe, expect, it } from 'vitest';
import {
  aggregatePortfolioInputSchema,
  analyzeSymbolInputSchema,
  backtestInputSchema,
  checkInput,
  orchestratorInputSchema,
  ingestBackfillInputSchema,
  ingestInputSchema,
  pipelineInputSchema,
  pipelineRangeInputSchema,
  screenInputSchema,
} from './inputs';

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
    const range = checkInput(pipelineRangeInputSchema, { from: '2025-03-14', to: '2025-03-01' });
    expect(range.ok === false && range.problems).toEqual([{ field: 'from', message: 'must not be after `to`' }]);
    const bad = checkInput(pipelineRangeInputSchema, { from: '2025-02-30', to: '2025-03-01', datesPerRun: 0 });
    expect(bad.ok === false && bad.problems.map((p) => p.field).sort()).toEqual(['datesPerRun', 'from']);
    expect(checkInput(pipelineRangeInputSchema, { from: '2025-03-03', to: '2025-03-03', lookbackDays: 300 }).ok).toBe(true);
  });
});

describe('fan-out input schemas', () => {
  it('refuse the inputs that wedged the orchestrator, each named', () => {
    const nul = checkInput(orchestratorInputSchema, null);
    expect(nul.ok === false && nul.problems[0].field).toBe('(input)');
    const zero = checkInput(orchestratorInputSchema, { numContracts: 10, maxConcurrentChildren: 0 });
    expect(zero.ok === false && zero.problems.map((p) => p.field)).toEqual(['maxConcurrentChildren']);
    const huge = checkInput(orchestratorInputSchema, { numContracts: 1e9 });
    expect(huge.ok === false && huge.problems.map((p) => p.field)).toEqual(['numContracts']);
    const key = checkInput(orchestratorInputSchema, { numContracts: 3, runKey: '../etc' });
    expect(key.ok === false && key.problems.map((p) => p.field)).toEqual(['runKey']);
  });
  it('accept what the CLI and the orchestrator send', () => {
    expect(
      checkInput(orchestratorInputSchema, {
        numContracts: 10,
        dataset: 'syn-12x400-7',
        runValidation: true,
        failContracts: [],
        runKey: 'run-bd45c8e4',
        maxConcurrentChildren: 5,
      }).ok,
    ).toBe(true);
    expect(
      checkInput(analyzeSymbolInputSchema, { runKey: 'r1', contract: 'BRK.B', dataset: 'synthetic', outputPrefix: 'fanout', fail: false })
        .ok,
    ).toBe(true);
    expect(checkInput(aggregatePortfolioInputSchema, { runKey: 'r1' }).ok).toBe(true);
    expect(checkInput(analyzeSymbolInputSchema, { runKey: 'r1', contract: '', dataset: 'synthetic', outputPrefix: 'fanout' }).ok).toBe(
      false,
    );
  });
});
