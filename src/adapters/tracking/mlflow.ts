/**
 * The MLflow adapter of the tracking port: MLflow's REST API 2.0 over plain
 * fetch (no official JavaScript client exists), each response checked by
 * zod at the boundary.
 *
 * - Experiments are found by name and created on first use (a concurrent
 *   creator's RESOURCE_ALREADY_EXISTS means: read it again).
 * - A run is found by its `quant.key` tag before one is created, params and
 *   metrics go in batches within MLflow's limits, artifacts are uploaded
 *   through the server's artifact proxy (`mlflow server` serves them by
 *   default: `mlflow-artifacts:/` URIs), and the run is marked FINISHED last.
 *   A retry after any failure finds the same run and sends the same values
 *   (identical metric points are stored once), so nothing is doubled.
 * - Model versions: MLflow numbers a registered model's versions itself, so
 *   ours are created in order and each carries `quant.version`; each gets a
 *   registration run holding its config (params and `model/config.json`),
 *   which is the version's source.
 *
 * Failures name the endpoint and MLflow's error code; credentials
 * (`MLFLOW_TRACKING_TOKEN`, or `MLFLOW_TRACKING_USERNAME`/`_PASSWORD`) are
 * sent as the Authorization header only. No retries here: the activity that
 * logs is retried by Temporal and then records that it skipped.
 */
import { z } from 'zod';
import type { ExperimentTracker, LoggedRun, ParamValue, TrackedModelVersion, TrackedRun } from './types';

export interface MlflowTrackerOptions {
  /** e.g. http://mlflow.mlops:5000 */
  trackingUri: string;
  token?: string;
  username?: string;
  password?: string;
  /** Per-request timeout. Default 10 s. */
  requestTimeoutMs?: number;
}

/** MLflow's documented limits per log-batch call and per value. */
const MAX_PARAMS_PER_BATCH = 100;
const MAX_METRICS_PER_BATCH = 1000;
const MAX_PARAM_VALUE = 6000;
const MAX_TAG_VALUE = 5000;

export class MlflowError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(`MLflow ${endpoint}: ${status ? `HTTP ${status} ` : ''}${errorCode ? `${errorCode} ` : ''}${message}`);
    this.name = 'MlflowError';
  }
}

const runInfo = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  status: z.string(),
  artifact_uri: z.string(),
});
const runShape = z.object({ info: runInfo });
const experimentShape = z.object({ experiment: z.object({ experiment_id: z.string() }) });
const createdExperiment = z.object({ experiment_id: z.string() });
const searchRuns = z.object({ runs: z.array(runShape).optional() });
const modelVersionShape = z.object({
  version: z.string(),
  tags: z.array(z.object({ key: z.string(), value: z.string().optional() })).optional(),
});
const searchVersions = z.object({ model_versions: z.array(modelVersionShape).optional(), next_page_token: z.string().optional() });
const errorShape = z.object({ error_code: z.string().optional(), message: z.string().optional() }).passthrough();

/** Nested params as MLflow's flat string pairs: `{a: {b: 1}}` -> `a.b = "1"`; arrays as JSON. */
export function flattenParams(params: Record<string, ParamValue>, prefix = ''): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...flattenParams(v, key));
    else {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      out.push({ key, value: text.length > MAX_PARAM_VALUE ? `${text.slice(0, MAX_PARAM_VALUE - 1)}…` : text });
    }
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The path under the artifact proxy of a run's `mlflow-artifacts:` URI, or undefined when the server does not proxy artifacts. */
export function proxiedArtifactPath(artifactUri: string): string | undefined {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(artifactUri);
  return m ? m[1].replace(/\/+$/, '') : undefined;
}

/** Filter strings quote with single quotes; our keys never hold one, but refuse rather than build a wrong filter. */
function quoted(value: string): string {
  if (value.includes("'")) throw new Error(`cannot search MLflow for a value with a quote: ${value}`);
  return `'${value}'`;
}

const chunks = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

export function createMlflowTracker(opts: MlflowTrackerOptions): ExperimentTracker {
  const base = opts.trackingUri.replace(/\/+$/, '');
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const auth: Record<string, string> = opts.token
    ? { authorization: `Bearer ${opts.token}` }
    : opts.username
      ? { authorization: `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}` }
      : {};
  const experiments = new Map<string, string>();

  async function call<S extends z.ZodTypeAny>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    shape: S,
    body?: unknown,
    raw?: { bytes: string | Uint8Array; contentType: string },
  ): Promise<z.infer<S>> {
    const endpoint = `${method} ${path.split('?')[0]}`;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...auth,
          ...(raw ? { 'content-type': raw.contentType } : body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: raw ? raw.bytes : body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new MlflowError(endpoint, 0, undefined, `unreachable at ${base}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      if (res.ok) throw new MlflowError(endpoint, res.status, undefined, `answered with a body that is not JSON: ${text.slice(0, 120)}`);
    }
    if (!res.ok) {
      const e = errorShape.safeParse(json);
      throw new MlflowError(
        endpoint,
        res.status,
        e.success ? e.data.error_code : undefined,
        (e.success && e.data.message) || text.slice(0, 200),
      );
    }
    const parsed = shape.safeParse(json);
    if (!parsed.success) throw new MlflowError(endpoint, res.status, undefined, `unexpected answer: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }

  const isCode = (err: unknown, code: string) => err instanceof MlflowError && err.errorCode === code;

  async function experimentId(name: string): Promise<string> {
    const known = experiments.get(name);
    if (known) return known;
    const read = async () =>
      (await call('GET', `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`, experimentShape)).experiment
        .experiment_id;
    let id: string;
    try {
      id = await read();
    } catch (err) {
      if (!isCode(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
      try {
        id = (await call('POST', '/api/2.0/mlflow/experiments/create', createdExperiment, { name })).experiment_id;
      } catch (e) {
        if (!isCode(e, 'RESOURCE_ALREADY_EXISTS')) throw e;
        id = await read();
      }
    }
    experiments.set(name, id);
    return id;
  }

  async function findOrCreateRun(expId: string, run: TrackedRun): Promise<z.infer<typeof runInfo>> {
    const found = await call('POST', '/api/2.0/mlflow/runs/search', searchRuns, {
      experiment_ids: [expId],
      filter: `tags.\`quant.key\` = ${quoted(run.key)}`,
      max_results: 1,
    });
    if (found.runs?.length) return found.runs[0].info;
    const created = await call('POST', '/api/2.0/mlflow/runs/create', z.object({ run: runShape }), {
      experiment_id: expId,
      run_name: run.name,
      start_time: run.startTime,
      tags: [{ key: 'quant.key', value: run.key }],
    });
    return created.run.info;
  }

  async function logRun(run: TrackedRun): Promise<LoggedRun> {
    const expId = await experimentId(run.experiment);
    const info = await findOrCreateRun(expId, run);
    const runId = info.run_id;
    const params = flattenParams(run.params);
    const metrics = run.metrics
      .filter((m) => m.value !== null && Number.isFinite(m.value))
      .map((m) => ({ key: m.key, value: m.value as number, step: m.step ?? 0, timestamp: m.timestamp ?? run.endTime }));
    const tags = Object.entries({ ...run.tags, 'mlflow.runName': run.name }).map(([key, value]) => ({
      key,
      value: value.length > MAX_TAG_VALUE ? value.slice(0, MAX_TAG_VALUE) : value,
    }));
    const ok = z.object({}).passthrough();
    for (const batch of chunks(params, MAX_PARAMS_PER_BATCH))
      await call('POST', '/api/2.0/mlflow/runs/log-batch', ok, { run_id: runId, params: batch });
    for (const batch of chunks(metrics, MAX_METRICS_PER_BATCH))
      await call('POST', '/api/2.0/mlflow/runs/log-batch', ok, { run_id: runId, metrics: batch });
    await call('POST', '/api/2.0/mlflow/runs/log-batch', ok, { run_id: runId, tags });
    const proxied = proxiedArtifactPath(info.artifact_uri);
    let artifactsSkipped: string | undefined;
    if (run.artifacts.length && proxied === undefined) {
      // Without the proxy the artifacts would go straight to the server's store (S3, a disk), which we cannot reach.
      artifactsSkipped = `the MLflow server does not proxy artifacts (artifact URI ${info.artifact_uri}); start it with --serve-artifacts`;
      await call('POST', '/api/2.0/mlflow/runs/set-tag', ok, { run_id: runId, key: 'quant.artifacts_skipped', value: artifactsSkipped });
    } else {
      for (const a of run.artifacts) {
        const path = a.path
          .split('/')
          .map((p) => encodeURIComponent(p))
          .join('/');
        await call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${proxied}/${path}`, ok, undefined, {
          bytes: a.body,
          contentType: a.contentType,
        });
      }
    }
    await call('POST', '/api/2.0/mlflow/runs/update', ok, { run_id: runId, status: 'FINISHED', end_time: run.endTime });
    return {
      key: run.key,
      experimentId: expId,
      runId,
      url: `${base}/#/experiments/${expId}/runs/${runId}`,
      ...(artifactsSkipped ? { artifactsSkipped } : {}),
    };
  }

  async function versionsOf(name: string): Promise<Map<number, string>> {
    const byOurs = new Map<number, string>();
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({ filter: `name=${quoted(name)}`, max_results: '200' });
      if (pageToken) q.set('page_token', pageToken);
      const page = await call('GET', `/api/2.0/mlflow/model-versions/search?${q}`, searchVersions);
      for (const v of page.model_versions ?? []) {
        const ours = v.tags?.find((t) => t.key === 'quant.version')?.value;
        if (ours !== undefined) byOurs.set(Number(ours), v.version);
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return byOurs;
  }

  async function syncModelVersions(versions: readonly TrackedModelVersion[]): Promise<{ created: number }> {
    const ok = z.object({}).passthrough();
    const byName = new Map<string, TrackedModelVersion[]>();
    for (const v of versions) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    let created = 0;
    for (const [name, list] of byName) {
      try {
        await call('POST', '/api/2.0/mlflow/registered-models/create', ok, {
          name,
          tags: [{ key: 'quant.kind', value: list[0].kind }],
          description: `quant-workflows model ${name} (kind ${list[0].kind}); versions follow the quant registry's`,
        });
      } catch (err) {
        if (!isCode(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      }
      const existing = await versionsOf(name);
      for (const v of [...list].sort((a, b) => a.version - b.version)) {
        const mlflowVersion = existing.get(v.version);
        if (mlflowVersion !== undefined) {
          await call('POST', '/api/2.0/mlflow/model-versions/set-tag', ok, {
            name,
            version: mlflowVersion,
            key: 'quant.status',
            value: v.status,
          });
          continue;
        }
        // The registration run holds the version's config, and is the version's source.
        const reg = await logRun({
          experiment: experimentFor(name),
          key: `model-version:${name}@${v.version}`,
          name: `${name} v${v.version} registered`,
          startTime: v.createdAt,
          endTime: v.createdAt,
          params: { kind: v.kind, version: v.version, config: v.config as ParamValue },
          metrics: [],
          tags: { 'quant.kind': 'model_version', 'quant.model': name, 'quant.model_version': String(v.version) },
          artifacts: [{ path: 'model/config.json', body: `${JSON.stringify(v.config, null, 2)}\n`, contentType: 'application/json' }],
        });
        const info = (await call('GET', `/api/2.0/mlflow/runs/get?run_id=${reg.runId}`, z.object({ run: runShape }))).run.info;
        await call('POST', '/api/2.0/mlflow/model-versions/create', ok, {
          name,
          source: `${info.artifact_uri}/model`,
          run_id: reg.runId,
          description: `${v.kind} config version ${v.version}`,
          tags: [
            { key: 'quant.version', value: String(v.version) },
            { key: 'quant.kind', value: v.kind },
            { key: 'quant.status', value: v.status },
          ],
        });
        created++;
      }
    }
    return { created };
  }

  return { kind: 'mlflow', logRun, syncModelVersions };
}

/** The experiment of a model's runs (its name), shared by the activities and the registration runs. */
export function experimentFor(modelName: string): string {
  return `quant/${modelName}`;
}
