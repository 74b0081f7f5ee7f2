/**
 * What each `quant` command does, by name. Every handler loads its module
 * when it runs (a dynamic import), so a command carries only what it uses:
 * `quant api` never loads the worker, the activities, the workflow bundle or
 * the report code, and `--help` loads none of them. (`.js`: a dynamic import
 * stays an import in the CommonJS output, resolved as ESM; tsx maps it to .ts.)
 */
import type { Config } from '../config/schema';
import type { CommandName } from './program';

/** Options as commander parsed and checked them (see program.ts for each command's). */
type Options = any;
type Handler = (opts: Options, args: string[], config: Config) => Promise<number | void> | number | void;

export const handlers: Record<CommandName, Handler> = {
  demo: async (o, _a, config) => (await import('./demo.js')).runDemo(config, { contracts: o.contracts, dashboard: o.dashboard }),
  'stack up': async (_o, _a, config) => (await import('./commands/stack.js')).stackUpCommand(config),
  'stack down': async (_o, _a, config) => (await import('./commands/stack.js')).stackDownCommand(config),
  'stack status': async (_o, _a, config) => (await import('./commands/stack.js')).stackStatusCommand(config),
  worker: async () => (await import('../worker/main.js')).runWorker(),
  api: async (_o, _a, config) => (await import('./commands/api.js')).apiCommand(config),
  'api keys create': async (o, _a, config) => (await import('./commands/api.js')).apiKeysCreateCommand(o, config),
  'api keys list': async (_o, _a, config) => (await import('./commands/api.js')).apiKeysListCommand(config),
  'api keys revoke': async (_o, [key], config) => (await import('./commands/api.js')).apiKeysRevokeCommand(key, config),
  'models list': async (o, _a, config) => (await import('./commands/models.js')).modelsCommands.list(o, config),
  'models register': async (o, _a, config) => (await import('./commands/models.js')).modelsCommands.register(o, config),
  'models retire': async (_o, [ref], config) => (await import('./commands/models.js')).modelsCommands.retire(ref, config),
  'models show': async (o, [name], config) => (await import('./commands/models.js')).modelsCommands.show(name, o, config),
  'db migrate': async (_o, _a, config) => (await import('./commands/stack.js')).dbMigrateCommand(config),
  'cluster init': async (_o, _a, config) => (await import('./commands/stack.js')).clusterInitCommand(config),
  'data generate': async (o, _a, config) => (await import('./commands/data.js')).dataGenerateCommand(o, config),
  'run pipeline': async (o, _a, config) => (await import('./commands/pipeline.js')).dailyRunCommands.pipeline(o, config),
  'run ingest': async (o, _a, config) => (await import('./commands/ingest.js')).ingestCommand(o, config),
  'run screen': async (o, _a, config) => (await import('./commands/pipeline.js')).dailyRunCommands.screen(o, config),
  'run signal': async (o, _a, config) => (await import('./commands/pipeline.js')).dailyRunCommands.signal(o, config),
  'run rebalance': async (o, _a, config) => (await import('./commands/portfolio.js')).rebalanceRunCommand(o, config),
  'run monitor': async (o, _a, config) => (await import('./commands/report.js')).monitorBacktestRunCommands.monitor(o, config),
  'run features': async (o, _a, config) => (await import('./commands/models.js')).featuresRunCommand(o, config),
  'run models': async (o, _a, config) => (await import('./commands/models.js')).modelsRunCommand(o, config),
  'run performance': async (o, _a, config) => (await import('./commands/models.js')).performanceRunCommand(o, config),
  'run model-pipeline': async (o, _a, config) => (await import('./commands/models.js')).modelPipelineRunCommand(o, config),
  rankings: async (o, _a, config) => (await import('./commands/models.js')).rankingsCommand(o, config),
  'run backtest': async (o, _a, config) => (await import('./commands/report.js')).monitorBacktestRunCommands.backtest(o, config),
  'run orchestrator': async (o, _a, config) => (await import('./commands/fanout.js')).orchestratorCommand(o, config),
  'run analyze-symbol': async (o, _a, config) => (await import('./commands/fanout.js')).analyzeSymbolCommand(o, config),
  'run aggregate': async (o, _a, config) => (await import('./commands/fanout.js')).aggregateCommand(o, config),
  'run reconciliation': async (o, _a, config) => (await import('./commands/trading-run.js')).tradingRunCommands.reconciliation(o, config),
  'run risk-analysis': async (o, _a, config) => (await import('./commands/trading-run.js')).tradingRunCommands['risk-analysis'](o, config),
  'run strategies': async (o, _a, config) =>
    (await import('./commands/strategies-run.js')).strategiesRunCommands.strategies(o as never, config),
  'run intraday-replay': async (o, _a, config) =>
    (await import('./commands/strategies-run.js')).strategiesRunCommands['intraday-replay'](o as never, config),
  'runs list': async (o, _a, config) => (await import('./commands/runs.js')).runsListCommand(o, config),
  portfolio: async (o, _a, config) => (await import('./commands/portfolio.js')).portfolioCommand(o, config),
  'portfolio rollback': async (o, _a, config) => (await import('./commands/portfolio.js')).portfolioRollbackCommand(o, config),
  report: async (o, [workflow], config) => (await import('./commands/report.js')).reportCommand(workflow, o, config),
  'schedules apply': async (o, _a, config) => (await import('./commands/schedules.js')).schedulesCommands.apply(o, config),
  'schedules list': async (o, _a, config) => (await import('./commands/schedules.js')).schedulesCommands.list(o, config),
  'schedules pause': async (o, [id], config) => (await import('./commands/schedules.js')).schedulesCommands.pause(id, o, config),
  'schedules unpause': async (o, [id], config) => (await import('./commands/schedules.js')).schedulesCommands.unpause(id, o, config),
  'schedules trigger': async (_o, [id], config) => (await import('./commands/schedules.js')).schedulesCommands.trigger(id, config),
  'schedules backfill': async (o, [id], config) => (await import('./commands/schedules.js')).schedulesCommands.backfill(id, o, config),
  'strategies list': async (o, _a, config) => (await import('./commands/strategies.js')).strategiesCommands.list(o, config),
  'strategies enable': async (_o, [name], config) => (await import('./commands/strategies.js')).strategiesCommands.enable(name, config),
  'strategies disable': async (_o, [name], config) => (await import('./commands/strategies.js')).strategiesCommands.disable(name, config),
  'strategies set': async (_o, [name, ...words], config) =>
    (await import('./commands/strategies.js')).strategiesCommands.set(name, words, config),
};
