/**
 * The model registry on the test Postgres: built-in models registered once,
 * versions by config (same config in another key order: no new version;
 * changed config: the next version), refusals that name the problem and write
 * nothing, retirement, concurrent registrations, and `quant models ...` as a
 * user runs it. Expected values are the registrations the test itself makes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelRepo, parseModelRef } from '../src/adapters/postgres/model-repo';
import type { Db } from '../src/adapters/postgres/pool';
import { ModelRegistrationError } from '../src/config/model-kinds';
import { runQuant, testDb, uniqueName } from './helpers';

let db: Db;
let repo: ReturnType<typeof createModelRepo>;
beforeAll(() => {
  db = testDb();
  repo = createModelRepo(db);
});
afterAll(async () => {
  await db.end();
});

const countModels = async (name: string) => Number((await db.query('SELECT count(*) AS n FROM models WHERE name = $1', [name])).rows[0].n);

async function refused(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ModelRegistrationError);
  return (e as Error).message;
}

describe('model registry', () => {
  it('registers the built-in models once, with their kinds and default configs', async () => {
    const first = await repo.registerBuiltIns();
    const second = await repo.registerBuiltIns();
    expect(second).toEqual([]);
    const builtIns = (await repo.list()).filter((m) => m.builtIn);
    expect(builtIns.map((m) => [m.name, m.version, m.kind, m.status])).toEqual([
      ['combined-score', 1, 'combinedScore', 'active'],
      ['enhanced-momentum', 1, 'enhancedMomentum', 'active'],
    ]);
    expect(first.map((m) => m.name)).toEqual(['combined-score', 'enhanced-momentum']);
    expect(builtIns[1].config).toMatchObject({ rsiPeriod: 14, macdSlow: 26, positionSize: 0.05, stopLoss: 0.02 });
  });

  it('makes a new version only when the config changes (key order and defaults do not count)', async () => {
    const name = uniqueName('mom');
    const v1 = await repo.register({ name, kind: 'enhancedMomentum', config: { rsiPeriod: 10, stopLoss: 0.03 } });
    expect(v1).toMatchObject({ created: true, model: { version: 1, config: { rsiPeriod: 10, stopLoss: 0.03, rsiOverbought: 70 } } });
    const same = await repo.register({ name, kind: 'enhancedMomentum', config: { stopLoss: 0.03, rsiPeriod: 10, rsiOverbought: 70 } });
    expect(same).toEqual({ created: false, model: v1.model });
    const v2 = await repo.register({ name, kind: 'enhancedMomentum', config: { rsiPeriod: 12, stopLoss: 0.03 } });
    expect(v2).toMatchObject({ created: true, model: { version: 2 } });
    expect(v2.model.configHash).not.toBe(v1.model.configHash);
    expect(await countModels(name)).toBe(2);
  });

  it('refuses a bad name, an unknown kind, a bad field, another kind under the name and a retired config, writing nothing', async () => {
    const name = uniqueName('m');
    await repo.register({ name, kind: 'combinedScore' });
    expect(await refused(repo.register({ name: 'Bad Name', kind: 'combinedScore' }))).toContain('"Bad Name"');
    expect(await refused(repo.register({ name: uniqueName('x'), kind: 'nope' }))).toContain('unknown model kind "nope"');
    expect(await refused(repo.register({ name, kind: 'combinedScore', config: { technicalWeight: 2 } }))).toContain(
      'field "technicalWeight"',
    );
    expect(await refused(repo.register({ name, kind: 'enhancedMomentum' }))).toMatch(/is of kind combinedScore.*needs another name/);
    expect(await repo.retire(name)).toHaveLength(1);
    expect(await refused(repo.register({ name, kind: 'combinedScore' }))).toMatch(/version 1, retired on .*not brought back/);
    expect(await countModels(name)).toBe(1);
    // A changed config after a retirement is a new version.
    expect(
      (await repo.register({ name, kind: 'combinedScore', config: { technicalWeight: 0.5, fundamentalWeight: 0.3, sentimentWeight: 0.2 } }))
        .model.version,
    ).toBe(2);
  });

  it('retires one version or all active ones, and names what does not exist', async () => {
    const name = uniqueName('r');
    for (const rsiPeriod of [10, 11, 12]) await repo.register({ name, kind: 'enhancedMomentum', config: { rsiPeriod } });
    expect((await repo.retire(name, 2)).map((m) => m.version)).toEqual([2]);
    expect(await repo.retire(name, 2)).toEqual([]);
    expect((await repo.retire(name)).map((m) => m.version)).toEqual([1, 3]);
    expect(await refused(repo.retire(name, 9))).toContain(`model ${name} has no version 9`);
    expect(await refused(repo.retire(uniqueName('none')))).toContain('no model named');
    expect(parseModelRef('a@3')).toEqual({ name: 'a', version: 3 });
    expect(() => parseModelRef('a@x')).toThrow(/positive whole number/);
  });

  it('gives one version to concurrent registrations of the same new config', async () => {
    const name = uniqueName('c');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => repo.register({ name, kind: 'enhancedMomentum', config: { rsiPeriod: 20 } })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.model.id)).size).toBe(1);
    expect(await countModels(name)).toBe(1);
  });

  it('lists each version with its latest run and its rank in the latest report that ranked it', async () => {
    const name = uniqueName('ranked');
    const { model } = await repo.register({ name, kind: 'combinedScore' });
    await db.query(
      `INSERT INTO model_runs (model_id, run_date, status, signal_count) VALUES ($1, '2025-03-13', 'completed', 4), ($1, '2025-03-14', 'failed', 0)`,
      [model.id],
    );
    await db.query(
      `INSERT INTO performance_reports (report_date, score, rankings) VALUES
         ('2025-03-12', 'sharpe', $1), ('2025-03-14', 'sharpe', $2)`,
      [
        JSON.stringify([{ rank: 1, model_id: model.id }]),
        JSON.stringify([
          { rank: 99, model_id: -1 },
          { rank: 3, model_id: model.id },
        ]),
      ],
    );
    await db.query(
      `INSERT INTO model_performance (model_id, date, holding_period_days, total_return, sharpe, signal_count) VALUES ($1, '2025-03-14', 5, 0.012, 1.4, 4)`,
      [model.id],
    );
    const row = (await repo.list()).find((m) => m.id === model.id);
    expect(row).toMatchObject({ lastRunDate: '2025-03-14', lastRunStatus: 'failed', lastRank: 3, lastRankDate: '2025-03-14' });
    const shown = await repo.show(name);
    expect(shown.versions.map((v) => v.version)).toEqual([1]);
    expect(shown.performance).toEqual([
      {
        modelId: model.id,
        date: '2025-03-14',
        holdingPeriodDays: 5,
        totalReturn: 0.012,
        winRate: null,
        sharpe: 1.4,
        sortino: null,
        maxDrawdown: null,
        signalCount: 4,
      },
    ]);
  });
});

describe('quant models', () => {
  const quant = (args: string[]) => runQuant(args, uniqueName('tq'));

  it('registers from a YAML file, lists, shows and retires, as a user runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quant-models-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'rsiPeriod: 9\nstopLoss: 0.04\n');
    const name = uniqueName('cli');

    const reg = await quant(['models', 'register', '--name', name, '--kind', 'enhancedMomentum', '--config', file]);
    expect(reg.status, reg.stderr).toBe(0);
    expect(reg.stdout).toContain(`registered ${name}@1 (enhancedMomentum, active)`);
    const again = await quant(['models', 'register', '--name', name, '--kind', 'enhancedMomentum', '--config', file]);
    expect(again.stdout).toContain(`unchanged: the config is already ${name}@1`);

    const list = await quant(['models', 'list', '-o', 'json']);
    expect(list.status, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as { name: string; version: number; config: Record<string, number> }[];
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['combined-score', 'enhanced-momentum', name]));
    expect(rows.find((r) => r.name === name)?.config).toMatchObject({ rsiPeriod: 9, stopLoss: 0.04, macdFast: 12 });
    const table = await quant(['models', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^name\s+version\s+kind\s+status\s+created\s+last run\s+last rank$/);

    const show = await quant(['models', 'show', name]);
    expect(show.stdout).toContain('"rsiPeriod":9');

    writeFileSync(file, 'rsi_period: 9\n');
    const bad = await quant(['models', 'register', '--name', name, '--kind', 'enhancedMomentum', '--config', file]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('unknown field(s) "rsi_period"');

    const retire = await quant(['models', 'retire', `${name}@1`]);
    expect(retire.status, retire.stderr).toBe(0);
    expect(retire.stdout).toContain(`retired ${name}@1`);
  });
});
