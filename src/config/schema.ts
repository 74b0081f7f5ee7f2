/**
 * Every setting of quant-workflows in one zod schema. Values come from an
 * optional YAML file (`QUANT_CONFIG_FILE`) overlaid by environment variables;
 * see `load.ts`. Defaults describe the embedded stack (a laptop, CI, the demo).
 */
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) =>
  typeof v === 'boolean' ? v : ['true', '1', 'yes'].includes(v),
);

export const configSchema = z
  .object({
    /** `embedded` starts local services; `cluster` expects them to exist and requires their settings. */
    profile: z.enum(['embedded', 'cluster']).default('embedded'),
    /** Root of local state: Temporal SQLite file, embedded Postgres, filesystem objects, pid files. */
    dataDir: z.string().min(1).default('.data'),
    temporal: z
      .object({
        address: z.string().min(1).optional(),
        namespace: z.string().min(1).default('default'),
        taskQueue: z.string().min(1).default('quant-workflows'),
        port: port.default(7233),
        uiPort: port.default(8233),
        cliPath: z.string().min(1).optional(),
      })
      .prefault({}),
    postgres: z
      .object({
        /** When set, used as is and no embedded server is started. Secret: never logged. */
        url: z.string().min(1).optional(),
        embeddedPort: port.default(5433),
      })
      .prefault({}),
    objectStore: z
      .object({
        kind: z.enum(['fs', 's3']).default('fs'),
        bucket: z.string().min(3).default('quant-data'),
        /** fs only: objects live under <root>/<bucket>/<key>. Defaults to <dataDir>/objects. */
        root: z.string().min(1).optional(),
        endpoint: z.string().url().optional(),
        region: z.string().min(1).default('us-east-1'),
        accessKeyId: z.string().min(1).optional(),
        secretAccessKey: z.string().min(1).optional(),
        forcePathStyle: bool.default(true),
      })
      .prefault({}),
    worker: z
      .object({
        maxConcurrentActivities: z.coerce.number().int().min(1).default(32),
        maxConcurrentWorkflowTasks: z.coerce.number().int().min(1).default(16),
        maxCachedWorkflows: z.coerce.number().int().min(0).default(400),
        /** A prebuilt workflow bundle (production image); unset = bundle from source at start. */
        workflowBundlePath: z.string().min(1).optional(),
        metricsPort: port.default(9464),
        /** SIGTERM waits this long for running activities before the worker exits. */
        shutdownGraceSeconds: z.coerce.number().int().min(0).default(60),
      })
      .prefault({}),
    fanout: z
      .object({
        /** Children running at once per (sub-)orchestrator. */
        maxConcurrentChildren: z.coerce.number().int().min(1).max(2000).default(200),
        /** Above this many contracts, fan out through sub-orchestrators. */
        maxChildrenPerParent: z.coerce.number().int().min(2).max(1000).default(1000),
        defaultDataset: z.string().min(1).default('synthetic'),
      })
      .prefault({}),
    data: z
      .object({
        seed: z.coerce.number().int().default(20000127),
      })
      .prefault({}),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.profile === 'cluster') {
      if (!c.postgres.url) ctx.addIssue({ code: 'custom', path: ['postgres', 'url'], message: 'required in the cluster profile (DATABASE_URL)' });
      if (!c.temporal.address) ctx.addIssue({ code: 'custom', path: ['temporal', 'address'], message: 'required in the cluster profile (TEMPORAL_ADDRESS)' });
    }
    if (c.objectStore.kind === 's3') {
      for (const k of ['endpoint', 'accessKeyId', 'secretAccessKey'] as const) {
        if (!c.objectStore[k]) ctx.addIssue({ code: 'custom', path: ['objectStore', k], message: `required when objectStore.kind is s3 (${ENV_NAMES[`objectStore.${k}`]})` });
      }
    }
  });

export type Config = z.infer<typeof configSchema>;

/** Environment variable for each setting path. One table, used by the loader and the README. */
export const ENV_NAMES: Record<string, string> = {
  profile: 'QUANT_PROFILE',
  dataDir: 'QUANT_DATA_DIR',
  'temporal.address': 'TEMPORAL_ADDRESS',
  'temporal.namespace': 'TEMPORAL_NAMESPACE',
  'temporal.taskQueue': 'TEMPORAL_TASK_QUEUE',
  'temporal.port': 'TEMPORAL_PORT',
  'temporal.uiPort': 'TEMPORAL_UI_PORT',
  'temporal.cliPath': 'TEMPORAL_CLI_PATH',
  'postgres.url': 'DATABASE_URL',
  'postgres.embeddedPort': 'EMBEDDED_PG_PORT',
  'objectStore.kind': 'OBJECT_STORE',
  'objectStore.bucket': 'S3_BUCKET',
  'objectStore.root': 'OBJECT_STORE_ROOT',
  'objectStore.endpoint': 'S3_ENDPOINT',
  'objectStore.region': 'S3_REGION',
  'objectStore.accessKeyId': 'S3_ACCESS_KEY_ID',
  'objectStore.secretAccessKey': 'S3_SECRET_ACCESS_KEY',
  'objectStore.forcePathStyle': 'S3_FORCE_PATH_STYLE',
  'worker.maxConcurrentActivities': 'WORKER_MAX_CONCURRENT_ACTIVITIES',
  'worker.maxConcurrentWorkflowTasks': 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
  'worker.maxCachedWorkflows': 'WORKER_MAX_CACHED_WORKFLOWS',
  'worker.workflowBundlePath': 'WORKFLOW_BUNDLE_PATH',
  'worker.metricsPort': 'METRICS_PORT',
  'worker.shutdownGraceSeconds': 'WORKER_SHUTDOWN_GRACE_SECONDS',
  'fanout.maxConcurrentChildren': 'FANOUT_MAX_CONCURRENT_CHILDREN',
  'fanout.maxChildrenPerParent': 'FANOUT_MAX_CHILDREN_PER_PARENT',
  'fanout.defaultDataset': 'FANOUT_DATASET',
  'data.seed': 'QUANT_SEED',
  logLevel: 'LOG_LEVEL',
};

/** Settings whose values must never be printed or logged. */
export const SECRET_PATHS = new Set(['postgres.url', 'objectStore.accessKeyId', 'objectStore.secretAccessKey']);
