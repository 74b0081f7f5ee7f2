/**
 * The local stack as one unit: `quant stack up|down|status`. In the embedded
 * profile it starts what is missing (Temporal dev server, Postgres unless
 * DATABASE_URL is set) and resolves the object store; in the cluster profile
 * it only resolves the configured endpoints. `up` is idempotent.
 */
import type { Config } from '../config/schema';
import { resolveEndpoints, type StackEndpoints } from '../config/endpoints';
import { embeddedPostgresPid, startEmbeddedPostgres, stopEmbeddedPostgres } from './postgres';
import { registerSearchAttributes, startTemporalServer, stopTemporalServer, temporalServerPid } from './temporal-server';
import { resolve } from 'node:path';

export type { StackEndpoints };

export async function stackUp(config: Config, log: (m: string) => void = () => undefined): Promise<StackEndpoints> {
  let temporalAddress = config.temporal.address;
  let uiUrl = config.temporal.uiUrl;
  if (!temporalAddress) {
    const t = await startTemporalServer({
      dataDir: config.dataDir,
      port: config.temporal.port,
      uiPort: config.temporal.uiPort,
      namespace: config.temporal.namespace,
      cliPath: config.temporal.cliPath,
      log,
    });
    temporalAddress = t.address;
    uiUrl = t.uiUrl;
    log(`${t.started ? 'started' : 'reusing'} Temporal dev server on ${t.address} (Web UI ${t.uiUrl})`);
  } else {
    await registerSearchAttributes(temporalAddress, config.temporal.namespace);
  }
  let databaseUrl = config.postgres.url;
  if (!databaseUrl) {
    const p = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.postgres.embeddedPort, log });
    databaseUrl = p.url;
    log(`${p.started ? 'started' : 'reusing'} embedded Postgres on 127.0.0.1:${config.postgres.embeddedPort}`);
  }
  return { temporalAddress, uiUrl, databaseUrl };
}

/** Endpoints of an already running stack, without starting anything (the CLI's name for resolveEndpoints). */
export const stackEndpoints = resolveEndpoints;

export async function stackDown(config: Config): Promise<string[]> {
  const stopped: string[] = [];
  if (await stopTemporalServer(config.dataDir)) stopped.push('temporal');
  if (await stopEmbeddedPostgres(config.dataDir)) stopped.push('postgres');
  return stopped;
}

export function stackStatus(config: Config): Record<string, string> {
  const t = temporalServerPid(config.dataDir);
  const p = embeddedPostgresPid(config.dataDir);
  return {
    temporal: config.temporal.address
      ? `external ${config.temporal.address}`
      : t
        ? `running (pid ${t}) on 127.0.0.1:${config.temporal.port}, Web UI http://localhost:${config.temporal.uiPort}`
        : 'stopped',
    postgres: config.postgres.url
      ? 'external (DATABASE_URL)'
      : p
        ? `running (pid ${p}) on 127.0.0.1:${config.postgres.embeddedPort}`
        : 'stopped',
    objectStore:
      config.objectStore.kind === 'fs'
        ? `fs ${resolve(config.objectStore.root ?? `${config.dataDir}/objects`)}/${config.objectStore.bucket}`
        : `s3 ${config.objectStore.endpoint}/${config.objectStore.bucket}`,
  };
}
