/**
 * API keys of the execution service (`api_keys`). A key is `qk_` + 32 random
 * bytes (base64url); only its first 8 characters (to find the row) and a
 * scrypt hash of the whole key are stored, so a database dump gives no key.
 * Verification compares hashes with `timingSafeEqual`. scrypt costs tens of
 * milliseconds by design, so a verified key is remembered in memory by its
 * SHA-256 (never the key itself). Its row is re-read when the remembered check
 * is older than `recheckMs` (default 0: on every check), so a revocation is
 * effective within `recheckMs`. The execution service passes
 * `api.keyRecheckMs` (API_KEY_RECHECK_MS, default 1000): at 1,000 requests a second, reading the
 * row on each cost Postgres more than any other statement but two.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import type { Db } from './pool';

export type ApiKeyRole = 'read' | 'trade';

export interface ApiKeyRow {
  id: number;
  name: string;
  role: ApiKeyRole;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

const KEY_PREFIX_LENGTH = 8;
const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 };

function scrypt(password: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64url parts), the stored form of a key. */
export async function hashApiKey(key: string, salt = randomBytes(16)): Promise<string> {
  const hash = await scrypt(key, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Constant-time check of `key` against a stored `hashApiKey` string; false for a malformed one. */
export async function verifyApiKeyHash(key: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(key, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const fromRow = (x: Record<string, any>): ApiKeyRow => ({
  id: Number(x.id),
  name: x.name,
  role: x.role,
  prefix: x.prefix,
  createdAt: new Date(x.created_at).toISOString(),
  revokedAt: x.revoked_at ? new Date(x.revoked_at).toISOString() : null,
});

export interface ApiKeyRepoOptions {
  /** How long a verified key is trusted before its row is read again (ms); 0 = read it on every check. */
  recheckMs?: number;
  now?: () => number;
}

/** What a passed check remembers of a key (known by the SHA-256 of the key). */
interface VerifiedKey {
  id: number;
  role: ApiKeyRole;
  keyHash: string;
  checkedAt: number;
}

/** Verified keys remembered at most; beyond it the oldest are forgotten (and scrypt-checked again when used). */
const MAX_REMEMBERED_KEYS = 10_000;

export function createApiKeyRepo(db: Db, options: ApiKeyRepoOptions = {}) {
  const recheckMs = options.recheckMs ?? 0;
  const now = options.now ?? Date.now;
  const verified = new Map<string, VerifiedKey>();
  /** Checks in flight, by key digest. */
  const checking = new Map<string, Promise<{ id: number; role: ApiKeyRole } | null>>();
  return {
    /** Create a key; the returned `key` is shown once and never stored. */
    async create(name: string, role: ApiKeyRole): Promise<{ key: string; row: ApiKeyRow }> {
      for (;;) {
        const key = `qk_${randomBytes(32).toString('base64url')}`;
        const r = await db.query(
          `INSERT INTO api_keys (name, role, prefix, key_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (prefix) DO NOTHING
           RETURNING id, name, role, prefix, created_at, revoked_at`,
          [name, role, key.slice(0, KEY_PREFIX_LENGTH), await hashApiKey(key)],
        );
        if (r.rows[0]) return { key, row: fromRow(r.rows[0]) };
        // Two keys sharing their first 8 characters: draw again.
      }
    },

    async list(): Promise<ApiKeyRow[]> {
      const r = await db.query('SELECT id, name, role, prefix, created_at, revoked_at FROM api_keys ORDER BY id');
      return r.rows.map(fromRow);
    },

    /** Revoke by id or prefix; false when no live key matched. */
    async revoke(idOrPrefix: string): Promise<boolean> {
      const byId = /^\d+$/.test(idOrPrefix);
      const r = await db.query(
        `UPDATE api_keys SET revoked_at = now() WHERE ${byId ? 'id = $1::bigint' : 'prefix = $1'} AND revoked_at IS NULL`,
        [idOrPrefix],
      );
      return (r.rowCount ?? 0) > 0;
    },

    /**
     * The role of a live key, or null (unknown, wrong or revoked). Concurrent checks of the same key share
     * one: a client opening 1,000 WebSocket connections at once with a key not yet remembered causes one
     * scrypt, not one per connection (each takes 16 MB for its run, and the allocator keeps what a burst of
     * them took: bench:api saw ~80 MB of the service's resident memory come from that).
     */
    verify(key: string): Promise<{ id: number; role: ApiKeyRole } | null> {
      if (key.length < KEY_PREFIX_LENGTH || key.length > 200) return Promise.resolve(null);
      const digest = createHash('sha256').update(key).digest('hex');
      const known = verified.get(digest);
      const at = now();
      if (known && at - known.checkedAt < recheckMs) return Promise.resolve({ id: known.id, role: known.role });
      const running = checking.get(digest);
      if (running) return running;
      const check = recheck(key, digest, known, at).finally(() => checking.delete(digest));
      checking.set(digest, check);
      return check;
    },
  };

  async function recheck(key: string, digest: string, known: VerifiedKey | undefined, at: number) {
    const r = await db.query({
      name: 'api-key-by-prefix',
      text: 'SELECT id, role, key_hash FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL',
      values: [key.slice(0, KEY_PREFIX_LENGTH)],
    });
    const row = r.rows[0];
    if (!row) {
      verified.delete(digest);
      return null;
    }
    if (known?.keyHash !== row.key_hash && !(await verifyApiKeyHash(key, row.key_hash))) return null;
    verified.delete(digest); // re-inserted last: the map's order is the age of the checks
    verified.set(digest, { id: Number(row.id), role: row.role, keyHash: row.key_hash, checkedAt: at });
    if (verified.size > MAX_REMEMBERED_KEYS) verified.delete(verified.keys().next().value!);
    return { id: Number(row.id), role: row.role as ApiKeyRole };
  }
}

export type ApiKeyRepo = ReturnType<typeof createApiKeyRepo>;
