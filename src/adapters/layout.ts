/**
 * The object-store key layout (DESIGN.md "Object store layout"), in one place.
 * Keys derive only from inputs (run key, contract, date), so a retried write
 * lands on the same key.
 */

function datePath(date: Date): string {
  const y = date.getUTCFullYear();
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `year=${y}/month=${m}/day=${d}`;
}

export const layout = {
  fanoutInput: (prefix: string, runKey: string, contract: string) => `${prefix}/${runKey}/input/${contract}.parquet`,
  fanoutManifest: (prefix: string, runKey: string) => `${prefix}/${runKey}/input/manifest.json`,
  fanoutStaging: (prefix: string, runKey: string, contract: string) => `${prefix}/${runKey}/staging/${contract}_analysis.parquet`,
  fanoutResult: (prefix: string, runKey: string, contract: string) => `${prefix}/${runKey}/results/${contract}_analysis.parquet`,
  fanoutEquity: (prefix: string, runKey: string) => `${prefix}/${runKey}/portfolio/equity_curve.parquet`,
  fanoutComparison: (prefix: string, runKey: string) => `${prefix}/${runKey}/portfolio/contract_comparison.parquet`,
  /** reports/<workflow>/year=YYYY/month=MM/day=DD/<name>.md */
  report: (workflow: string, date: Date, name: string) => `reports/${workflow}/${datePath(date)}/${name}.md`,
};
