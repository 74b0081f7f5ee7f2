/**
 * A real MinIO server for the S3 tests (and for anyone who wants S3 locally).
 * The binary is found like the Temporal CLI: MINIO_PATH, `minio` on PATH, a
 * cached build, else `go install` of a pinned MinIO into the shared tool
 * cache (about 2 minutes once on 2 cores; nothing comes from release pages).
 * Credentials are random per start, so no secret lives in the repo.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3ObjectStore, type S3ObjectStoreOptions } from '../adapters/object-store/s3-store';
import { waitFor } from './processes';
import { findOnPath, toolCacheDir } from './temporal-cli';
import { freePort } from './free-port';

/**
 * The MinIO build we install. `@latest` resolved to this pseudo-version
 * (commit 7aac2a2c5b7c, 2026-02-12) when it was chosen; pinning it keeps every
 * machine and CI run on the same server. MinIO is AGPL-3.0: we run it as a
 * separate test server and ship none of it.
 */
export const MINIO_MODULE = 'github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c';

/**
 * Path of a MinIO binary, building it with Go when none is found.
 *
 * @example
 *   const minio = resolveMinioBinary({ log: console.error });
 */
export function resolveMinioBinary(opts: { log?: (msg: string) => void } = {}): string {
  const log = opts.log ?? (() => undefined);
  const fromEnv = process.env.MINIO_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`MINIO_PATH points to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const onPath = findOnPath('minio');
  if (onPath) return onPath;
  const cacheDir = toolCacheDir();
  const cached = join(cacheDir, 'minio');
  if (existsSync(cached)) return cached;
  mkdirSync(cacheDir, { recursive: true });
  log(`building MinIO (go install ${MINIO_MODULE}) into ${cacheDir}; this takes a few minutes once`);
  try {
    execFileSync('go', ['install', MINIO_MODULE], {
      env: { ...process.env, GOBIN: cacheDir, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (err) {
    throw new Error(
      `could not build MinIO with go install ${MINIO_MODULE}: ${(err as Error).message}. Set MINIO_PATH to an existing binary.`,
    );
  }
  return cached;
}

export interface StartMinioOptions {
  /** Where MinIO keeps its objects (created if missing). */
  dataDir: string;
  /** S3 API port on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /** Web console port on 127.0.0.1; 0 or omitted picks a free one. */
  consolePort?: number;
  /** Default: resolveMinioBinary(). */
  binary?: string;
  /** Default 60 s: the first start initialises the data dir. */
  startTimeoutMs?: number;
  /** Root credentials; random when omitted. A restart on the same data dir passes the first start's pair. */
  accessKeyId?: string;
  secretAccessKey?: string;
  log?: (msg: string) => void;
}

export interface RunningMinio {
  endpoint: string;
  consoleUrl: string;
  accessKeyId: string;
  secretAccessKey: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

/**
 * Start MinIO in the foreground of this process (it dies with it) and wait
 * until `/minio/health/live` answers.
 *
 * @example
 *   const minio = await startMinio({ dataDir: '/tmp/minio' });
 *   ...; await minio.stop();
 */
export async function startMinio(opts: StartMinioOptions): Promise<RunningMinio> {
  const binary = opts.binary ?? resolveMinioBinary({ log: opts.log });
  const port = opts.port || (await freePort());
  const consolePort = opts.consolePort || (await freePort());
  mkdirSync(opts.dataDir, { recursive: true });
  const accessKeyId = opts.accessKeyId ?? `qw${randomBytes(6).toString('hex')}`;
  const secretAccessKey = opts.secretAccessKey ?? randomBytes(24).toString('base64url');
  const logFile = join(opts.dataDir, '..', `minio-${port}.log`);
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      binary,
      ['server', opts.dataDir, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'],
      {
        env: {
          ...process.env,
          MINIO_ROOT_USER: accessKeyId,
          MINIO_ROOT_PASSWORD: secretAccessKey,
          MINIO_UPDATE: 'off',
          MINIO_CALLHOME_ENABLE: 'off',
        },
        stdio: ['ignore', fd, fd],
      },
    );
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`could not start MinIO (${binary})`);
  const pid = child.pid;
  let exited: number | null | undefined;
  const exitedP = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitedP;
    clearTimeout(timer);
  };
  try {
    await waitFor(
      `MinIO on ${endpoint}`,
      async () => {
        if (exited !== undefined) throw new Error(`MinIO exited with code ${exited}; see ${logFile}`);
        const res = await fetch(`${endpoint}/minio/health/live`, { signal: AbortSignal.timeout(2000) });
        return res.ok;
      },
      opts.startTimeoutMs ?? 60_000,
      `log: ${logFile}`,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, consoleUrl: `http://127.0.0.1:${consolePort}`, accessKeyId, secretAccessKey, pid, stop };
}

export interface TestMinio extends S3ObjectStoreOptions {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Stop MinIO and remove its data. */
  stop(): Promise<void>;
}

/**
 * A throwaway MinIO with its bucket created: spread it into
 * createS3ObjectStore. For tests of anything that needs S3.
 *
 * @example
 *   const minio = await startTestMinio();
 *   const store = createS3ObjectStore(minio);
 *   afterAll(() => minio.stop());
 */
export async function startTestMinio(opts: { bucket?: string; log?: (msg: string) => void } = {}): Promise<TestMinio> {
  const root = mkdtempSync(join(tmpdir(), 'qw-minio-'));
  let minio: RunningMinio;
  try {
    minio = await startMinio({ dataDir: join(root, 'data'), log: opts.log });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const config: S3ObjectStoreOptions = {
    endpoint: minio.endpoint,
    region: 'us-east-1',
    bucket: opts.bucket ?? 'quant-data',
    accessKeyId: minio.accessKeyId,
    secretAccessKey: minio.secretAccessKey,
    forcePathStyle: true,
  };
  const store = createS3ObjectStore(config);
  try {
    await store.ensureBucket();
  } finally {
    store.close();
  }
  return {
    ...config,
    endpoint: minio.endpoint,
    stop: async () => {
      await minio.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
