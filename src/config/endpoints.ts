/**
 * Where the services are: the Temporal frontend and the Postgres URL, read
 * from config and, in the embedded profile, from the credentials file that
 * `quant stack up` leaves in the data dir. Reading endpoints starts nothing,
 * so the production worker and the CLI share this without carrying the
 * embedded stack (src/stack starts the services; this only finds them).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from './schema';

export interface StackEndpoints {
  temporalAddress: string;
  /** Web UI base URL, when we know it (embedded profile). */
  uiUrl?: string;
  databaseUrl: string;
}

/** The superuser of the embedded cluster. */
export const EMBEDDED_PG_USER = 'postgres';
export const EMBEDDED_DB_NAME = 'quant';

/** The 0600 file holding the embedded cluster's generated password. */
export function embeddedCredentialsPath(dataDir: string): string {
  return join(resolve(dataDir), 'pg', 'credentials.json');
}

/**
 * The embedded Postgres URL (contains the local password: do not print it),
 * or undefined before the cluster was ever initialised.
 */
export function embeddedDatabaseUrl(dataDir: string, port: number): string | undefined {
  const credentials = embeddedCredentialsPath(dataDir);
  if (!existsSync(credentials)) return undefined;
  const { password } = JSON.parse(readFileSync(credentials, 'utf8')) as { password: string };
  return `postgres://${EMBEDDED_PG_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DB_NAME}`;
}

/**
 * Endpoints of an already running stack, without starting anything.
 *
 * @example
 *   const { temporalAddress, databaseUrl } = resolveEndpoints(loadConfig());
 */
export function resolveEndpoints(config: Config): StackEndpoints {
  const databaseUrl = config.postgres.url ?? embeddedDatabaseUrl(config.dataDir, config.postgres.embeddedPort);
  if (!databaseUrl)
    throw new Error(`no database: set DATABASE_URL or run "quant stack up" first (no embedded Postgres in ${resolve(config.dataDir)})`);
  return {
    temporalAddress: config.temporal.address ?? `127.0.0.1:${config.temporal.port}`,
    uiUrl: config.temporal.address ? config.temporal.uiUrl : `http://localhost:${config.temporal.uiPort}`,
    databaseUrl,
  };
}
