/**
 * `quant strategies` on this file's own Postgres database: the command
 * functions change the same strategy_config rows the execution service
 * reads (its GET /strategies sees the change, its risk cache after a
 * refresh), params merge and are checked by the strategy's kind before
 * anything is stored, and the real CLI exits non-zero naming the strategy
 * and the setting for an unknown strategy or a refused setting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStrategyRepo, type StrategyRepo } from '../src/adapters/postgres/strategy-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { UsageError } from '../src/cli/args';
import { setStrategy, strategiesTable, strategySettings, UnknownStrategyError } from '../src/cli/commands/strategies';
import { StrategyConfigError } from '../src/domain/strategies/registry';
import { call, createKey, startTestService, type TestService } from './api-support';
import { runQuant, testDb, uniqueName } from './helpers';

let db: Db;
let repo: StrategyRepo;
let svc: TestService;
let read: string;

beforeAll(async () => {
  db = testDb();
  repo = createStrategyRepo(db);
  svc = await startTestService(db);
  read = await createKey(db, 'read');
});
afterAll(async () => {
  await svc?.close();
  await db?.end();
});

const apiView = async (name: string) =>
  ((await call(svc.url, read, 'GET', '/strategies')).body as { name: string }[]).find((s) => s.name === name);

describe('quant strategies set', () => {
  it('reads key=value words: columns by their names, every other key a param, values JSON when they parse', () => {
    expect(
      strategySettings('pairs_aten_ingm', [
        'confidence_threshold=0.7',
        'stop_loss_pct=null',
        'enabled=false',
        'symbolA=AAPL',
        'entry=2.5',
        'lookback=null',
      ]),
    ).toEqual({ confidence_threshold: 0.7, stop_loss_pct: null, enabled: false, params: { symbolA: 'AAPL', entry: 2.5, lookback: null } });
    expect(() => strategySettings('x', ['fastPeriod'])).toThrow(UsageError);
    expect(() => strategySettings('x', [])).toThrow(UsageError);
    expect(() => strategySettings('x', ['fastPeriod=1', 'fastPeriod=2'])).toThrow(/fastPeriod is given twice/);
    expect(() => strategySettings('x', ['confidenceThreshold=0.9'])).toThrow(
      /confidenceThreshold: the column is spelled confidence_threshold/,
    );
    expect(() => strategySettings('x', ['confidence_threshold=1.5'])).toThrow(StrategyConfigError);
    expect(() => strategySettings('x', ['confidence_threshold=1.5'])).toThrow(/^strategy "x": confidence_threshold: /);
    expect(() => strategySettings('x', ['enabled=yes'])).toThrow(/^strategy "x": enabled: /);
  });

  it('changes the row the API serves: columns and merged params; a config the kind refuses is not stored', async () => {
    const after = await setStrategy(repo, 'moving_average_crossover', ['fastPeriod=12', 'slowPeriod=40', 'max_position_size=5000']);
    expect(after).toMatchObject({ kind: 'movingAverageCrossover', params: { fastPeriod: 12, slowPeriod: 40 }, maxPositionSize: 5000 });
    expect(await apiView('moving_average_crossover')).toMatchObject({
      params: { fastPeriod: 12, slowPeriod: 40 },
      max_position_size: 5000,
    });
    await svc.service.cache.refresh();
    expect(svc.service.cache.strategy('moving_average_crossover')?.maxPositionSize).toBe(5000);

    // slowPeriod=null removes it: the default 30 is back, and fastPeriod 35 is then too slow. Nothing is written.
    await expect(setStrategy(repo, 'moving_average_crossover', ['slowPeriod=null', 'fastPeriod=35', 'enabled=false'])).rejects.toThrow(
      /^strategy "moving_average_crossover": fastPeriod: fastPeriod 35 must be less than slowPeriod 30/,
    );
    expect(await repo.get('moving_average_crossover')).toMatchObject({ enabled: true, params: { fastPeriod: 12, slowPeriod: 40 } });

    expect((await setStrategy(repo, 'moving_average_crossover', ['slowPeriod=null'])).params).toEqual({ fastPeriod: 12 });
    expect(await apiView('moving_average_crossover')).toMatchObject({ params: { fastPeriod: 12 } });
    expect((await setStrategy(repo, 'moving_average_crossover', ['fastPeriod=null', 'max_position_size=10000'])).params).toEqual({});
  });

  it('enable and disable are the enabled column; an unknown strategy is an error naming it', async () => {
    expect((await setStrategy(repo, 'pairs_statistical', ['enabled=true'])).enabled).toBe(true);
    expect(await apiView('pairs_statistical')).toMatchObject({ enabled: true });
    expect((await setStrategy(repo, 'pairs_statistical', ['enabled=false'])).enabled).toBe(false);
    const unknown = setStrategy(repo, 'no_such_strategy', ['enabled=true']);
    await expect(unknown).rejects.toBeInstanceOf(UnknownStrategyError);
    await expect(setStrategy(repo, 'no_such_strategy', ['enabled=true'])).rejects.toThrow(
      /^unknown strategy "no_such_strategy" \(known: .*moving_average_crossover.*\)$/,
    );
  });

  it('list is a table of name, kind (external without one), enabled, threshold, max position and params', async () => {
    const external = uniqueName('ext').replace(/-/g, '_');
    await repo.upsert({
      name: external,
      enabled: true,
      confidenceThreshold: 0.5,
      maxPositionSize: 1000,
      stopLossPct: null,
      maxSinglePosition: null,
    });
    const lines = strategiesTable(await repo.list()).split('\n');
    expect(lines[0]).toMatch(/^name\s+kind\s+enabled\s+threshold\s+max position\s+params$/);
    expect(lines.find((l) => l.startsWith('ml_strategy '))).toMatch(
      /^ml_strategy\s+modelSignals\s+yes\s+0\.8\s+10000\s+\{"model":"combined-score"\}$/,
    );
    expect(lines.find((l) => l.startsWith('pairs_statistical '))).toMatch(
      /^pairs_statistical\s+pairsTrading\s+no\s+0\.5\s+10000\s+\{"mode":"statistical"\}$/,
    );
    expect(lines.find((l) => l.startsWith(`${external} `))).toMatch(new RegExp(`^${external}\\s+external\\s+yes\\s+0\\.5\\s+1000\\s+-$`));
  });
});

describe('the quant strategies command line', () => {
  const quant = (args: string[]) => runQuant(args, uniqueName('tq'));

  it('set, list -o json, and non-zero exits naming the strategy and the setting', async () => {
    const set = await quant(['strategies', 'set', 'rsi_mean_reversion', 'period=10', 'confidence_threshold=0.65']);
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/rsi_mean_reversion\s+rsiMeanReversion\s+yes\s+0\.65\s+10000\s+\{"period":10\}/);
    expect(await apiView('rsi_mean_reversion')).toMatchObject({ confidence_threshold: 0.65, params: { period: 10 } });

    const list = await quant(['strategies', 'list', '-o', 'json']);
    expect(list.status, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { name: string }[]).find((s) => s.name === 'rsi_mean_reversion')).toMatchObject({
      kind: 'rsiMeanReversion',
      params: { period: 10 },
    });

    const unknown = await quant(['strategies', 'disable', 'no_such_strategy']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^quant: unknown strategy "no_such_strategy" \(known: /);

    const refused = await quant(['strategies', 'set', 'rsi_mean_reversion', 'oversold=80']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^quant: strategy "rsi_mean_reversion": oversold: /);
    expect((await repo.get('rsi_mean_reversion'))?.params).toEqual({ period: 10 });

    const usage = await quant(['strategies', 'set', 'rsi_mean_reversion']);
    expect(usage.status).toBe(2);
  });
});
