/**
 * The embedded stack keeps its data to its owner (issue 11, point 13): the
 * embedded Postgres authenticates with scram-sha-256 and stores a SCRAM
 * verifier, its credentials and logs are owner-only, objects written by the
 * filesystem store are owner-only, and a data folder the `postgres` user
 * cannot reach (under a 0700 parent, when run as root) is refused with a
 * message that says what to do, before initdb fails on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataDirNotTraversableError, startEmbeddedPostgres, stopEmbeddedPostgres } from '../src/stack/postgres';
import { createFsObjectStore } from '../src/adapters/object-store/fs-store';
import { freePort } from '../src/stack/free-port';

const dataDir = mkdtempSync(join(tmpdir(), 'quant-sec-'));
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
let url = '';

beforeAll(async () => {
  url = (await startEmbeddedPostgres({ dataDir, port: await freePort() })).url;
}, 120_000);
afterAll(async () => {
  await stopEmbeddedPostgres(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded stack security', () => {
  it('authenticates with scram-sha-256 only, against a SCRAM verifier', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rules = await client.query<{ auth_method: string }>('SELECT DISTINCT auth_method FROM pg_hba_file_rules ORDER BY 1');
      expect(rules.rows.map((r) => r.auth_method)).toEqual(['scram-sha-256']);
      const verifier = await client.query<{ p: string }>("SELECT rolpassword AS p FROM pg_authid WHERE rolname = 'postgres'");
      expect(verifier.rows[0].p).toMatch(/^SCRAM-SHA-256\$/);
    } finally {
      await client.end();
    }
  });

  it('keeps credentials, logs and objects owner-only', async () => {
    expect(mode(join(dataDir, 'pg', 'credentials.json'))).toBe('600');
    expect(mode(join(dataDir, 'logs'))).toBe('700');
    expect(mode(join(dataDir, 'logs', 'postgres.log'))).toBe('600');
    expect(mode(join(dataDir, 'run'))).toBe('700');
    const store = createFsObjectStore({ root: join(dataDir, 'objects'), bucket: 'quant-data' });
    await store.put('reports/a/b.md', 'x');
    expect(mode(join(dataDir, 'objects', 'quant-data', 'reports', 'a', 'b.md'))).toBe('600');
    expect(mode(join(dataDir, 'objects', 'quant-data', 'reports', 'a'))).toBe('700');
  });

  it.skipIf(userInfo().uid !== 0)('refuses a data folder under a parent the postgres user cannot enter, saying what to do', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'quant-closed-')); // mkdtemp makes it 0700, owned by root
    try {
      mkdirSync(join(parent, 'work'));
      const err = await startEmbeddedPostgres({ dataDir: join(parent, 'work', '.data'), port: await freePort() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataDirNotTraversableError);
      expect((err as Error).message).toContain(`cannot enter ${parent} (mode 0700, owner uid 0)`);
      expect((err as Error).message).toMatch(/choose a data folder outside it \(QUANT_DATA_DIR=.*chmod o\+x/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
