/**
 * The production schedules live in two files for two audiences: the CLI's
 * config/schedules.prod.yaml and the Helm chart's values-prod.yaml (a chart
 * cannot read files outside itself). This keeps them from drifting apart, and
 * checks every scheduled workflow type is one the worker registers.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as workflows from '../workflows';

type Entry = { id: string; workflow: string; cron: string; overlap?: string };
const root = join(__dirname, '..');
const cli = (parse(readFileSync(join(root, 'config', 'schedules.prod.yaml'), 'utf8')) as { schedules: Entry[] }).schedules;
const chart = (parse(readFileSync(join(root, 'helm', 'quant-workflows', 'values-prod.yaml'), 'utf8')) as { schedules: Entry[] }).schedules;
const pick = (e: Entry) => ({ id: e.id, workflow: e.workflow, cron: e.cron, overlap: e.overlap });

describe('production schedules', () => {
  it('are the same in the CLI file and the Helm values', () => {
    expect(chart.map(pick)).toEqual(cli.map(pick));
  });
  it('run WF1..WF6 at 06:00..11:00 UTC on weekdays, then the model pipeline, each a registered workflow', () => {
    expect(cli.map((e) => [e.workflow, e.cron])).toEqual([
      ['ingest', '0 6 * * 1-5'],
      ['screen', '0 7 * * 1-5'],
      ['signal', '0 8 * * 1-5'],
      ['rebalance', '0 9 * * 1-5'],
      ['monitor', '0 10 * * 1-5'],
      ['backtest', '0 11 * * 1-5'],
      ['features', '0 7 * * 1-5'],
      ['models', '30 8 * * 1-5'],
      ['performance', '0 18 * * 1-5'],
    ]);
    for (const e of cli) expect(Object.keys(workflows)).toContain(e.workflow);
  });
});
