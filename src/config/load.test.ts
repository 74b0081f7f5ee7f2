/** The config loader: defaults, env over YAML, one error listing every bad setting, redaction. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, redactConfig, stableHash } from './load';
import { DATA_DEFAULTS, FANOUT_DEFAULTS, sdkMetricsPort } from './schema';
import { resolveEndpoints } from './endpoints';

describe('loadConfig', () => {
  it('gives the embedded defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.profile).toBe('embedded');
    expect(c.temporal).toMatchObject({ port: 7233, uiPort: 8233, taskQueue: 'quant-workflows', namespace: 'default' });
    expect(c.objectStore).toMatchObject({ kind: 'fs', bucket: 'quant-data' });
    expect(c.postgres.url).toBeUndefined();
  });

  it('has one home for the fan-out defaults: the schema, which the workflows read too', () => {
    const c = loadConfig({});
    expect(c.fanout).toEqual({
      maxConcurrentChildren: 200,
      maxChildrenPerParent: 1000,
      defaultDataset: 'synthetic',
      outputPrefix: 'fanout',
      thresholds: 'vix',
    });
    expect(FANOUT_DEFAULTS).toEqual(c.fanout);
    expect(DATA_DEFAULTS).toEqual({ seed: 20000127 });
    expect(loadConfig({ FANOUT_OUTPUT_PREFIX: 'runs-2026' }).fanout.outputPrefix).toBe('runs-2026');
    expect(c.fanout.thresholds).toBe('vix');
    expect(loadConfig({ FANOUT_THRESHOLDS: 'fixed' }).fanout.thresholds).toBe('fixed');
    expect(() => loadConfig({ FANOUT_THRESHOLDS: 'wide' })).toThrow(/FANOUT_THRESHOLDS/);
    expect(c.screening.riskFreeRate).toBe(0.05);
    expect(loadConfig({ SCREEN_RISK_FREE_RATE: '0' }).screening.riskFreeRate).toBe(0);
    expect(() => loadConfig({ SCREEN_RISK_FREE_RATE: '-0.01' })).toThrow(/SCREEN_RISK_FREE_RATE/);
    expect(() => loadConfig({ FANOUT_OUTPUT_PREFIX: '../etc' })).toThrow(/FANOUT_OUTPUT_PREFIX/);
  });

  it('retries infrastructure errors for an outage window of 10 minutes unless told otherwise', () => {
    expect(loadConfig({}).worker.retryOutageWindowSeconds).toBe(600);
    expect(loadConfig({ RETRY_OUTAGE_WINDOW_SECONDS: '90' }).worker.retryOutageWindowSeconds).toBe(90);
    expect(() => loadConfig({ RETRY_OUTAGE_WINDOW_SECONDS: '0' })).toThrow(/RETRY_OUTAGE_WINDOW_SECONDS/);
  });

  it('reads a YAML file and lets env override it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'quant.yaml');
    writeFileSync(file, 'temporal:\n  port: 7300\n  taskQueue: from-yaml\nworker:\n  maxConcurrentActivities: 8\n');
    const c = loadConfig({ QUANT_CONFIG_FILE: file, TEMPORAL_TASK_QUEUE: 'from-env' });
    expect(c.temporal.port).toBe(7300);
    expect(c.temporal.taskQueue).toBe('from-env');
    expect(c.worker.maxConcurrentActivities).toBe(8);
  });

  it('lists every bad setting in one error, with env names', () => {
    let error: unknown;
    try {
      loadConfig({ TEMPORAL_PORT: 'seventy', OBJECT_STORE: 'ftp', WORKER_MAX_CONCURRENT_ACTIVITIES: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/temporal\.port \(TEMPORAL_PORT\)/);
    expect(problems.join('\n')).toMatch(/objectStore\.kind \(OBJECT_STORE\)/);
    expect(problems.join('\n')).toMatch(/worker\.maxConcurrentActivities \(WORKER_MAX_CONCURRENT_ACTIVITIES\)/);
  });

  it('requires the cluster settings in the cluster profile, all named at once', () => {
    expect(() => loadConfig({ QUANT_PROFILE: 'cluster', OBJECT_STORE: 's3' })).toThrowError(
      /postgres\.url[\s\S]*temporal\.address[\s\S]*objectStore\.endpoint[\s\S]*objectStore\.accessKeyId[\s\S]*objectStore\.secretAccessKey/,
    );
  });

  it('names a broken YAML file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'temporal: [unclosed\n');
    expect(() => loadConfig({ QUANT_CONFIG_FILE: file })).toThrowError(
      new RegExp(`QUANT_CONFIG_FILE \\(${file.replace(/[/.]/g, '\\$&')}\\)`),
    );
  });

  it('redacts secrets and hashes stably regardless of key order', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:hunter2@db/x', S3_SECRET_ACCESS_KEY: 'sekrit' });
    const text = JSON.stringify(redactConfig(c));
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sekrit');
    expect(stableHash({ a: 1, b: [1, { d: 2, c: 3 }] })).toBe(stableHash({ b: [1, { c: 3, d: 2 }], a: 1 }));
    expect(stableHash({ a: 1 })).not.toBe(stableHash({ a: 2 }));
  });

  it('refuses unknown YAML keys, naming each and the nearest valid key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, 'temporal:\n  adress: temporal.example:7233\nworkr:\n  metricsPort: 9500\nlogLevel: debug\n');
    let error: unknown;
    try {
      loadConfig({ QUANT_CONFIG_FILE: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      `QUANT_CONFIG_FILE (${file}): unknown key "temporal.adress" (did you mean "temporal.address"?)`,
      `QUANT_CONFIG_FILE (${file}): unknown key "workr" (did you mean "worker"?)`,
    ]);
  });

  it("knows the Web UI of an existing frontend only from TEMPORAL_UI_URL (the dev server's from its port)", () => {
    expect(resolveEndpoints(loadConfig({ DATABASE_URL: 'postgres://db/q' })).uiUrl).toBe('http://localhost:8233');
    const cluster = { DATABASE_URL: 'postgres://db/q', TEMPORAL_ADDRESS: 'temporal.lan:7233' };
    expect(resolveEndpoints(loadConfig(cluster)).uiUrl).toBeUndefined();
    expect(resolveEndpoints(loadConfig({ ...cluster, TEMPORAL_UI_URL: 'http://temporal.lan:8080' })).uiUrl).toBe(
      'http://temporal.lan:8080',
    );
    expect(() => loadConfig({ ...cluster, TEMPORAL_UI_URL: 'temporal.lan' })).toThrow(/TEMPORAL_UI_URL/);
  });

  it('takes ports only as decimal integers 1-65535', () => {
    for (const bad of ['1e4', '0x4331', '0', '65536', '80.5', ' 80', '-1', '']) {
      if (bad === '') continue; // empty env values count as unset
      expect(() => loadConfig({ TEMPORAL_PORT: bad }), bad).toThrowError(
        /temporal\.port \(TEMPORAL_PORT\): must be a decimal integer 1-65535/,
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'hex.yaml');
    writeFileSync(file, 'temporal:\n  port: 0x4331\n  uiPort: 1e4\n');
    expect(() => loadConfig({ QUANT_CONFIG_FILE: file })).toThrowError(
      /temporal\.port \(TEMPORAL_PORT\): must be a decimal[\s\S]*temporal\.uiPort/,
    );
    expect(loadConfig({ TEMPORAL_PORT: '10000', METRICS_PORT: '1' })).toMatchObject({
      temporal: { port: 10000 },
      worker: { metricsPort: 1 },
    });
  });

  it('checks the SDK metrics port beside METRICS_PORT: METRICS_PORT=65535 needs SDK_METRICS_PORT', () => {
    expect(() => loadConfig({ METRICS_PORT: '65535' })).toThrowError(
      /worker\.sdkMetricsPort \(SDK_METRICS_PORT\): METRICS_PORT 65535 leaves no port/,
    );
    expect(() => loadConfig({ METRICS_PORT: '9500', SDK_METRICS_PORT: '9500' })).toThrowError(
      /SDK_METRICS_PORT\): must differ from METRICS_PORT/,
    );
    const c = loadConfig({ METRICS_PORT: '65535', SDK_METRICS_PORT: '9465' });
    expect(sdkMetricsPort(c)).toBe(9465);
    expect(sdkMetricsPort(loadConfig({ METRICS_PORT: '9600' }))).toBe(9601);
    expect(loadConfig({}).worker.metricsHost).toBe('127.0.0.1');
  });
});
