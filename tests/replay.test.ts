/**
 * Determinism guard: every recorded history, of every workflow type and every
 * version (tests/histories/<workflowType>/v<N>.json), replays against the
 * current workflow code. A change that alters the command sequence of a
 * running workflow fails here; make such changes behind patched() and record
 * the new version with QUANT_RECORD_HISTORIES=<type> (README "Changing a
 * workflow"; tests/histories.ts).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { historySteps, testEnv } from './helpers';
import { fixtureVersions, listHistoryFixtures, nextFixturePath, recordingRequested } from './histories';
import { createMetrics, createMetricsSinks } from '../src/adapters/metrics';

const fixtures = listHistoryFixtures();

describe('recorded histories replay on the current code', () => {
  it('has a fixture for the fan-out and for every daily workflow', () => {
    for (const wf of [
      'orchestrator',
      'analyzeSymbol',
      'pipeline',
      'pipelineRange',
      'ingest',
      'screen',
      'signal',
      'rebalance',
      'monitor',
      'backtest',
      'reconciliation',
      'riskAnalysis',
      'features',
      'models',
      'modelRun',
      'performance',
      'modelPipeline',
    ]) {
      expect(fixtureVersions(wf), wf).toContain(1);
    }
  });

  it('keeps the orchestrator from before and after the failed-share patch', () => {
    expect(fixtureVersions('orchestrator')).toEqual(expect.arrayContaining([1, 2]));
    const markers = (version: number) =>
      JSON.parse(readFileSync(join(__dirname, 'histories', 'orchestrator', `v${version}.json`), 'utf8')).events.filter(
        (e: { markerRecordedEventAttributes?: { markerName?: string } }) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
      ).length;
    expect(markers(1)).toBe(0);
    expect(markers(2)).toBe(1);
  });

  it('keeps the model pipeline and WF6 from before and after the mlflow-tracking patch (a last local logging step)', () => {
    const steps = (type: string, version: number) =>
      historySteps(JSON.parse(readFileSync(join(__dirname, 'histories', type, `v${version}.json`), 'utf8'))).map((s) => s.type);
    for (const [type, before, after, step] of [
      ['modelRun', 1, 2, 'trackModelRun'],
      ['models', 1, 2, 'trackModelVersions'],
      ['performance', 1, 2, 'trackPerformance'],
      ['backtest', 2, 3, 'trackBacktest'],
    ] as const) {
      expect(steps(type, before), type).not.toContain(step);
      expect(steps(type, after), type).toContain(step);
    }
  });

  it('keeps modelRun from before and after the model-run-local-step patch (an activity task, then a local step)', () => {
    const steps = (version: number) =>
      historySteps(JSON.parse(readFileSync(join(__dirname, 'histories', 'modelRun', `v${version}.json`), 'utf8'))).map((s) => [
        s.type,
        s.local,
      ]);
    expect(steps(2)).toEqual([
      ['executeModel', false],
      ['trackModelRun', true],
    ]);
    expect(steps(3)).toEqual([
      ['executeModel', true],
      ['trackModelRun', true],
    ]);
  });

  it('keeps analyzeSymbol from before and after the local-steps patch (activity tasks, then local activities)', () => {
    const steps = (version: number) =>
      historySteps(JSON.parse(readFileSync(join(__dirname, 'histories', 'analyzeSymbol', `v${version}.json`), 'utf8')));
    const types = ['loadContract', 'analyzeContract', 'saveContractResult'];
    expect(steps(1).map((s) => [s.type, s.local])).toEqual(types.map((t) => [t, false]));
    expect(steps(2).map((s) => [s.type, s.local])).toEqual(types.map((t) => [t, true]));
  });

  it('numbers each type v1..vN without gaps', () => {
    for (const type of new Set(fixtures.map((f) => f.workflowType))) {
      const versions = fixtureVersions(type);
      expect(versions, type).toEqual(versions.map((_, i) => i + 1));
    }
  });

  it.each(fixtures.map((f) => [`${f.workflowType} v${f.version}`, f] as const))('%s', async (_name, fixture) => {
    const history = JSON.parse(readFileSync(fixture.path, 'utf8'));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: testEnv().bundlePath }, sinks: createMetricsSinks(createMetrics({ processMetrics: false })) },
        history,
        `${fixture.workflowType}-v${fixture.version}`,
      ),
    ).resolves.toBeUndefined();
  });
});

describe('recording never overwrites a fixture', () => {
  it('writes the next version, and only for the types asked for', () => {
    const dir = mkdtempSync(join(tmpdir(), 'histories-'));
    expect(nextFixturePath('orchestrator', dir)).toBe(join(dir, 'orchestrator', 'v1.json'));
    mkdirSync(join(dir, 'orchestrator'));
    writeFileSync(join(dir, 'orchestrator', 'v1.json'), '{}');
    writeFileSync(join(dir, 'orchestrator', 'v2.json'), '{}');
    expect(nextFixturePath('orchestrator', dir)).toBe(join(dir, 'orchestrator', 'v3.json'));
    expect(recordingRequested('orchestrator', undefined)).toBe(false);
    expect(recordingRequested('orchestrator', 'analyzeSymbol')).toBe(false);
    expect(recordingRequested('orchestrator', 'analyzeSymbol, orchestrator')).toBe(true);
    expect(recordingRequested('orchestrator', 'all')).toBe(true);
    expect(() => recordingRequested('orchestrator', '1')).toThrow(/name the workflow types/);
  });
});
