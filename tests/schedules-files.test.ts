/**
 * The production schedules live in two files for two audiences: the CLI's
 * config/schedules.prod.yaml and the Helm chart's values-prod.yaml (a chart
 * cannot read files outside itself). This keeps them from drifting apart,
 * checks every scheduled workflow type is one the worker registers, that the
 * intraday entries run in New York time at the crons the issue asks for, and
 * that a bad time zone is refused before any server is contacted, naming the
 * entry and the field.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as workflows from '../workflows';
import { loadSchedulesFile, parseSchedules, SchedulesFileError, timeZoneProblem } from '../src/schedules/config';

const root = join(__dirname, '..');
const cliFile = join(root, 'config', 'schedules.prod.yaml');
const cli = (parse(readFileSync(cliFile, 'utf8')) as { schedules: unknown[] }).schedules;
const chart = (parse(readFileSync(join(root, 'helm', 'quant-workflows', 'values-prod.yaml'), 'utf8')) as { schedules: unknown[] })
  .schedules;
const prod = loadSchedulesFile(cliFile);

describe('production schedules', () => {
  it('are the same in the CLI file and the Helm values, entry for entry', () => {
    expect(chart).toEqual(cli);
  });

  it('run WF1..WF6 at 06:00..11:00 UTC on weekdays, then the model pipeline, then the intraday ones, each a registered workflow', () => {
    expect(prod.map((e) => [e.workflow, e.cron, e.timeZone])).toEqual([
      ['ingest', '0 6 * * 1-5', 'UTC'],
      ['screen', '0 7 * * 1-5', 'UTC'],
      ['signal', '0 8 * * 1-5', 'UTC'],
      ['rebalance', '0 9 * * 1-5', 'UTC'],
      ['monitor', '0 10 * * 1-5', 'UTC'],
      ['backtest', '0 11 * * 1-5', 'UTC'],
      ['features', '0 7 * * 1-5', 'UTC'],
      ['models', '30 8 * * 1-5', 'UTC'],
      ['performance', '0 18 * * 1-5', 'UTC'],
      ['intradayData', ['*/15 9-15 * * 1-5', '0 16 * * 1-5'], 'America/New_York'],
      ['strategySignals', ['*/5 9-15 * * 1-5', '0 16 * * 1-5'], 'America/New_York'],
      ['portfolioRisk', '0 9-16 * * 1-5', 'America/New_York'],
      ['endOfDay', '0 17 * * 1-5', 'America/New_York'],
    ]);
    for (const e of prod) expect(Object.keys(workflows)).toContain(e.workflow);
  });

  it('the intraday entries skip overlaps and catch up at most one slot (a window shorter than the period)', () => {
    const intraday = Object.fromEntries(prod.filter((e) => e.timeZone === 'America/New_York').map((e) => [e.id, e]));
    expect(Object.keys(intraday)).toEqual(['intraday-data', 'strategy-signals', 'portfolio-risk', 'end-of-day']);
    expect(Object.values(intraday).map((e) => e.overlap)).toEqual(['Skip', 'Skip', 'Skip', 'Skip']);
    expect(Object.values(intraday).map((e) => e.catchupWindow)).toEqual(['14m', '4m', '50m', '6h']);
  });
});

describe('time zones in the schedules file', () => {
  const entry = (tz: string) => `schedules:\n  - { id: intraday-data, workflow: intradayData, cron: "0 9 * * 1-5", timeZone: ${tz} }\n`;

  it('default to UTC and accept IANA names', () => {
    expect(parseSchedules('schedules:\n  - { id: a, workflow: screen, cron: "0 7 * * *" }\n')[0].timeZone).toBe('UTC');
    expect(parseSchedules(entry('America/New_York'))[0].timeZone).toBe('America/New_York');
    expect(parseSchedules(entry('Europe/London'))[0].timeZone).toBe('Europe/London');
  });

  it('an unknown zone is an error naming the entry id and timeZone', () => {
    let error: unknown;
    try {
      parseSchedules(entry('America/New_Yrok'), 'prod.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchedulesFileError);
    expect((error as Error).message).toBe(
      'schedules file prod.yaml:\n  - schedules.0.timeZone (id intraday-data): unknown time zone "America/New_Yrok" (an IANA name such as America/New_York or UTC)',
    );
  });

  it('a zone in the wrong case is refused too: Node would take it, the server would not', () => {
    expect(timeZoneProblem('america/new_york')).toBe('time zone "america/new_york" must be written America/New_York');
    expect(timeZoneProblem('utc')).toBe('time zone "utc" must be written UTC');
    expect(timeZoneProblem('UTC')).toBeUndefined();
    expect(() => parseSchedules(entry('america/new_york'))).toThrow(
      /schedules\.0\.timeZone \(id intraday-data\): .*must be written America\/New_York/,
    );
  });

  it('cron is one expression or a non-empty list of five-field ones; six fields are refused', () => {
    const cron = (c: string) => `schedules:\n  - { id: x, workflow: portfolioRisk, cron: ${c} }\n`;
    expect(parseSchedules(cron('["*/15 9-15 * * 1-5", "0 16 * * 1-5"]'))[0].cron).toEqual(['*/15 9-15 * * 1-5', '0 16 * * 1-5']);
    expect(() => parseSchedules(cron('[]'))).toThrow(/schedules\.0\.cron \(id x\): give at least one cron expression/);
    expect(() => parseSchedules(cron('"0 * 9-16 * * 1-5"'))).toThrow(/schedules\.0\.cron \(id x\)/);
    expect(() => parseSchedules(cron('["0 9 * * 1-5", "0 * 9-16 * * 1-5"]'))).toThrow(/schedules\.0\.cron\.1 \(id x\): a five-field cron/);
  });
});
