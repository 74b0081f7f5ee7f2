/** The fan-out's markdown: the validation report and the run report's failed share (absent on version-1 runs). */
import { describe, expect, it } from 'vitest';
import { renderRunReport, renderValidationReport } from './fanout-report';

describe('renderValidationReport', () => {
  it('shows the verdict, the quality score in percent and every finding', () => {
    const md = renderValidationReport({
      runKey: 'r1',
      dataset: 'syn',
      bars: 400,
      contractsChecked: 10,
      status: 'WARN',
      qualityScore: 0.9166,
      problems: ['WARN AAPL: 1 missing value(s)'],
    });
    expect(md).toBe(
      [
        '# Data validation for run r1',
        '',
        '- Dataset: `syn` (400 bars, 10 contracts checked)',
        '- Status: **WARN**',
        '- Quality score (share of clean columns): 91.7 %',
        '',
        '## Findings',
        '',
        '- WARN AAPL: 1 missing value(s)',
        '',
      ].join('\n'),
    );
    expect(
      renderValidationReport({ runKey: 'r', dataset: 'd', bars: 1, contractsChecked: 0, status: 'PASS', qualityScore: 0, problems: [] }),
    ).toContain('## Findings\n\nNone.\n');
  });
});

describe('renderRunReport', () => {
  const base = {
    runKey: 'r',
    dataset: 'd',
    datasetHash: 'h',
    configHash: 'c',
    requested: 8,
    validation: null,
    results: [],
    failures: [{ contract: 'X', error: 'boom' }],
  };
  it('shows the failed share when the orchestrator sends it, and nothing when it does not', () => {
    expect(renderRunReport({ ...base, failedShare: 0.125 })).toContain(
      '- Contracts requested: 8; succeeded: 0; failed: 1 (12.50 % failed)\n',
    );
    expect(renderRunReport(base)).toContain('- Contracts requested: 8; succeeded: 0; failed: 1\n');
  });
});
