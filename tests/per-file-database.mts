/**
 * Vitest setup file of the integration project: every test file gets a
 * fresh, migrated database of its own on the shared embedded Postgres, so
 * files that use the same dates or symbols cannot see each other's rows.
 * It runs before the file's own imports, and points QUANT_TEST_DATABASE_URL
 * (read by tests/helpers.ts and inherited by spawned workers) at it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool } from '../src/adapters/postgres/pool.js';
import { migrate } from '../src/adapters/postgres/migrate.js';

const shared = process.env.QUANT_TEST_DATABASE_URL;
if (shared && !process.env.QUANT_TEST_FILE_DATABASE) {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: shared });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const db = createPool(url.toString(), 1);
  try {
    await migrate(db);
  } finally {
    await db.end();
  }
  process.env.QUANT_TEST_DATABASE_URL = url.toString();
  process.env.QUANT_TEST_FILE_DATABASE = name;
}
