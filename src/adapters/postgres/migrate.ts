/**
 * Apply the numbered SQL files in `sql/` (NNN_name.sql) in order, each in its
 * own transaction, recording them in `schema_migrations` with a checksum.
 * Concurrent callers (several worker pods, the Helm hook) serialise on an
 * advisory lock; an applied migration whose file changed is an error, because
 * silently diverging schemas are worse than a failed start.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './pool';

const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;
const LOCK_ID = 7_233_001;

/** The repo's `sql/` folder, found by walking up from this file (works from src/ and from dist/). */
export function defaultMigrationsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'sql');
    if (existsSync(join(candidate, '001_migrations_and_fanout.sql'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`no sql/ migrations folder above ${__dirname}`);
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = defaultMigrationsDir()): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    const m = MIGRATION_FILE.exec(file);
    if (!m) throw new Error(`migration file ${file} in ${dir} does not match NNN_name.sql`);
    const sql = readFileSync(join(dir, file), 'utf8');
    return { version: Number(m[1]), name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Apply pending migrations; returns the versions applied by this call. */
export async function migrate(db: Db, dir = defaultMigrationsDir()): Promise<number[]> {
  const migrations = readMigrations(dir);
  const client = await db.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const applied = new Map(
      (await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')).rows.map((r) => [
        r.version,
        r.checksum,
      ]),
    );
    const done: number[] = [];
    for (const m of migrations) {
      const previous = applied.get(m.version);
      if (previous !== undefined) {
        if (previous !== m.checksum)
          throw new Error(
            `migration ${m.version}_${m.name} was changed after it was applied (checksum differs); add a new migration instead`,
          );
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
      }
      done.push(m.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    client.release();
  }
}
