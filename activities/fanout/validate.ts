/**
 * `validateDataset`: reads the run's columns through the dataset adapter,
 * judges them with the data-quality rules of src/domain/data-validation.ts
 * (missing values, outliers, SPX/VIX availability and alignment, quality
 * score), records the verdict and writes the report.
 */
import { layout } from '../../src/adapters/layout';
import { readDatasetManifest } from '../../src/adapters/hourly-dataset/store';
import { openDatasetColumns } from '../../src/adapters/hourly-dataset/columns';
import {
  checkPriceColumn,
  judgeDataset,
  marketSeriesProblem,
  type ColumnCheck,
  type DatasetVerdict,
} from '../../src/domain/data-validation';
import { renderValidationReport } from '../../src/reports/fanout-report';
import { asActivityFailure } from '../support/failures';
import { checkpoint } from '../support/heartbeat';
import type { FanoutDeps } from './deps';

export interface ValidateDatasetInput {
  runKey: string;
  dataset: string;
  numContracts: number;
}

/** The verdict (problems capped for the payload; the report has them all) and the report's key. */
export type ValidationResult = DatasetVerdict & { reportKey: string };

/** Contract columns read at once: batches keep memory flat on the 418-column file. */
const COLUMN_BATCH = 25;
/** Findings returned to the workflow: keeps the payload small. */
const MAX_RETURNED_PROBLEMS = 50;

export function createValidateActivities({ store, repo, onDataQuality }: FanoutDeps) {
  return {
    /** Missing values, outliers, SPX/VIX availability and alignment over the run's contracts. */
    async validateDataset(input: ValidateDatasetInput): Promise<ValidationResult> {
      return asActivityFailure(async () => {
        const manifest = await readDatasetManifest(store, input.dataset);
        const contracts = manifest.contracts.slice(0, Math.max(0, input.numContracts)).map((c) => c.symbol);
        const data = await openDatasetColumns(store, input.dataset);

        const seriesProblems: string[] = [];
        const checks: ColumnCheck[] = [];
        for (const name of ['SPX', 'VIX'] as const) {
          const series = await data.readMarketSeries(name);
          const problem = marketSeriesProblem(name, series, data.timestamps);
          if (problem) seriesProblems.push(problem);
          else if (series.kind === 'read') checks.push(checkPriceColumn(name, series.close));
        }
        const present = contracts.filter((c) => data.holdingColumns.has(c));
        for (let i = 0; i < present.length; i += COLUMN_BATCH) {
          const columns = await data.readHoldingColumns(present.slice(i, i + COLUMN_BATCH));
          for (const [c, values] of Object.entries(columns)) checks.push(checkPriceColumn(c, values));
          checkpoint({ checked: Math.min(present.length, i + COLUMN_BATCH) });
        }
        const missingContracts = contracts.filter((c) => !data.holdingColumns.has(c));
        const { status, problems, qualityScore } = judgeDataset({ seriesProblems, missingContracts, checks });

        onDataQuality?.(input.dataset, qualityScore);
        await repo.setValidation(input.runKey, status).catch(() => undefined);
        const reportKey = layout.report('validateData', new Date(), input.runKey);
        const contractsChecked = contracts.length;
        const report = renderValidationReport({ ...input, bars: manifest.bars, contractsChecked, status, qualityScore, problems });
        await store.put(reportKey, report, { contentType: 'text/markdown' });
        return { status, problems: problems.slice(0, MAX_RETURNED_PROBLEMS), reportKey, qualityScore };
      });
    },
  };
}
