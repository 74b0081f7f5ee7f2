/** Every workflow the worker registers. Workflow code only: no Node builtins, no clients. */
export { orchestrator, analyzeShard } from './orchestrator';
export { analyzeSymbol } from './analyze-symbol';
export { validateData } from './validate-data';
export { ingestMarketData } from './ingest-market-data';
export { aggregatePortfolio } from './aggregate-portfolio';
export { screen } from './screen';
export { signal } from './signal';
export { ingest, ingestBackfill, ingestBackfillChunk } from './ingest';
export { pipeline } from './pipeline';
export { pipelineRange } from './pipeline-range';
export { rebalance } from './rebalance';
export { monitor } from './monitor';
export { features } from './features';
export { models, modelRun, performance } from './models';
export { modelPipeline } from './model-pipeline';
export { backtest } from './backtest';
export { reconciliation } from './reconciliation';
export { riskAnalysis } from './risk-analysis';
