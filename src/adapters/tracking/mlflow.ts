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
import { limiter } from '../../domain/async';
import type { ExperimentTracker, LoggedRun, ParamValue, TrackedModelVersion, TrackedRun } from './types';

export interface MlflowTrackerOptions {
  /** e.g. http://mlflow.mlops:5000 */
  trackingUri: string;
  token?: string;
  username?: string;
  password?: string;
  /** Per-request timeout. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * Requests in flight at once from this process. Default 2: an MLflow server on SQLite (the common small
   * setup) stalls concurrent writes until they time out, measured at 20 concurrent runs; on Postgres more is fine.
   */
  maxConcurrentRequests?: number;
}

/** MLflow's documented limits per log-batch call and per value. */
const MAX_PARAMS_PER_BATCH = 100;
const MAX_METRICS_PER_BATCH = 1000;
const MAX_PARAM_VALUE = 6000;
const MAX_TAG_VALUE = 5000;
const MAX_ENTITIES_PER_BATCH = 1000;

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
  name: z.string(),
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
  const experiments = new Map<string, Promise<string>>();
  const inFlight = limiter(opts.maxConcurrentRequests ?? 2);

  /** One request to MLflow, waiting for a slot among the requests in flight. */
  const call: typeof send = (...args) => inFlight(() => send(...args));

  async function send<S extends z.ZodTypeAny>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    shape: S,
    body?: unknown,
    raw?: { bytes: string | Uint8Array; contentType: string },
  ): Promise<z.infer<S>> {
    const endpoint = `${method} ${path.split('?')[0]}`;
    let res: Response;
    try {
      // The timeout starts when the request is sent, not while it waits for a slot.
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
      if ((err as Error).name === 'TimeoutError')
        throw new MlflowError(endpoint, 0, undefined, `no answer from ${base} within ${timeoutMs} ms`);
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

  /** Concurrent callers share one lookup per name (a failed one is forgotten, so the next call asks again). */
  function experimentId(name: string): Promise<string> {
    let id = experiments.get(name);
    if (!id) {
      id = lookUpExperiment(name);
      experiments.set(name, id);
      id.catch(() => experiments.delete(name));
    }
    return id;
  }

  async function lookUpExperiment(name: string): Promise<string> {
    const read = async () =>
      (await call('GET', `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`, experimentShape)).experiment
        .experiment_id;
    try {
      return await read();
    } catch (err) {
      if (!isCode(err, 'RESOURCE_DOES_NOT_EXIST')) throw err;
    }
    try {
      return (await call('POST', '/api/2.0/mlflow/experiments/create', createdExperiment, { name })).experiment_id;
    } catch (e) {
      // Another process created it in between.
      if (!isCode(e, 'RESOURCE_ALREADY_EXISTS')) throw e;
      return read();
    }
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
    const proxied = proxiedArtifactPath(info.artifact_uri);
    // Without the proxy the artifacts would go straight to the server's store (S3, a disk), which we cannot reach.
    const artifactsSkipped =
      run.artifacts.length && proxied === undefined
        ? `the MLflow server does not proxy artifacts (artifact URI ${info.artifact_uri}); start it with --serve-artifacts`
        : undefined;
    const params = flattenParams(run.params);
    const metrics = run.metrics
      .filter((m) => m.value !== null && Number.isFinite(m.value))
      .map((m) => ({ key: m.key, value: m.value as number, step: m.step ?? 0, timestamp: m.timestamp ?? run.endTime }));
    const tags = Object.entries({
      ...run.tags,
      'mlflow.runName': run.name,
      ...(artifactsSkipped ? { 'quant.artifacts_skipped': artifactsSkipped } : {}),
    }).map(([key, value]) => ({ key, value: value.length > MAX_TAG_VALUE ? value.slice(0, MAX_TAG_VALUE) : value }));
    // As few round trips as MLflow's limits allow: params, tags and the first metrics in one batch (one call for
    // most runs), further metrics (a long curve) in batches of their own.
    const ok = z.object({}).passthrough();
    const firstMetrics = Math.max(0, MAX_ENTITIES_PER_BATCH - Math.min(params.length, MAX_PARAMS_PER_BATCH) - tags.length);
    for (let p = 0, m = 0, first = true; first || p < params.length || m < metrics.length; first = false) {
      const batchParams = params.slice(p, p + MAX_PARAMS_PER_BATCH);
      const room = first ? Math.min(firstMetrics, MAX_METRICS_PER_BATCH) : batchParams.length ? 0 : MAX_METRICS_PER_BATCH;
      const batchMetrics = metrics.slice(m, m + room);
      await call('POST', '/api/2.0/mlflow/runs/log-batch', ok, {
        run_id: runId,
        params: batchParams,
        metrics: batchMetrics,
        tags: first ? tags : [],
      });
      p += batchParams.length;
      m += batchMetrics.length;
    }
    if (!artifactsSkipped) {
      for (const a of run.artifacts) {
        const path = a.path
          .split('/')
          .map((x) => encodeURIComponent(x))
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
      artifactUri: info.artifact_uri,
      url: `${base}/#/experiments/${expId}/runs/${runId}`,
      ...(artifactsSkipped ? { artifactsSkipped } : {}),
    };
  }

  /** Every registered version MLflow holds that carries our version tag: name -> our version -> its number and status. */
  async function registeredVersions(): Promise<Map<string, Map<number, { version: string; status?: string }>>> {
    const out = new Map<string, Map<number, { version: string; status?: string }>>();
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({ max_results: '1000' });
      if (pageToken) q.set('page_token', pageToken);
      const page = await call('GET', `/api/2.0/mlflow/model-versions/search?${q}`, searchVersions);
      for (const v of page.model_versions ?? []) {
        const tags = new Map((v.tags ?? []).map((t) => [t.key, t.value]));
        const ours = tags.get('quant.version');
        if (ours === undefined) continue;
        const byOurs = out.get(v.name) ?? out.set(v.name, new Map()).get(v.name)!;
        byOurs.set(Number(ours), { version: v.version, status: tags.get('quant.status') });
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return out;
  }

  /** In steady state one call: the search; a new version costs its registration run and the version itself. */
  async function syncModelVersions(versions: readonly TrackedModelVersion[]): Promise<{ created: number }> {
    const ok = z.object({}).passthrough();
    const byName = new Map<string, TrackedModelVersion[]>();
    for (const v of versions) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    const registered = await registeredVersions();
    let created = 0;
    for (const [name, list] of byName) {
      const existing = registered.get(name);
      if (!existing) {
        try {
          await call('POST', '/api/2.0/mlflow/registered-models/create', ok, {
            name,
            tags: [{ key: 'quant.kind', value: list[0].kind }],
            description: `quant-workflows model ${name} (kind ${list[0].kind}); versions follow the quant registry's`,
          });
        } catch (err) {
          if (!isCode(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
        }
      }
      for (const v of [...list].sort((a, b) => a.version - b.version)) {
        const known = existing?.get(v.version);
        if (known) {
          if (known.status !== v.status)
            await call('POST', '/api/2.0/mlflow/model-versions/set-tag', ok, {
              name,
              version: known.version,
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
        await call('POST', '/api/2.0/mlflow/model-versions/create', ok, {
          name,
          source: `${reg.artifactUri}/model`,
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
