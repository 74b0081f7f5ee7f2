/**
 * Filesystem object store: objects live at `<root>/<bucket>/<key>`, the same
 * key layout as S3, so the embedded stack and the cluster differ only in the
 * adapter. Writes go to a temporary file in the target directory and are then
 * renamed over the key, so a crash mid-write never leaves a partial object and
 * a retried put simply overwrites. Two differences from S3 that our key layout
 * never meets: a key cannot also be a prefix of another key (`a/b` and
 * `a/b/c`), and names ending in `.qwtmp` are reserved for temporary files.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ObjectNotFoundError,
  ObjectStoreUnavailableError,
  assertRange,
  assertValidKey,
  assertValidPrefix,
  toBytes,
  type ObjectStore,
} from './types';

export interface FsObjectStoreOptions {
  /** Directory holding one sub-directory per bucket. Created on first write. */
  root: string;
  bucket: string;
}

/** Temporary files end with this suffix; `list` never shows them. */
const TMP_SUFFIX = '.qwtmp';
/** Times a put makes its folder again after a concurrent delete pruned it (each loss needs a delete that lands in between). */
const PRUNE_RACE_ATTEMPTS = 5;

/**
 * @example
 *   const store = createFsObjectStore({ root: '.data/objects', bucket: 'quant-data' });
 *   await store.put('reports/a.md', '# hi');
 */
export function createFsObjectStore(opts: FsObjectStoreOptions): ObjectStore {
  assertValidKey(opts.bucket);
  if (opts.bucket.includes('/')) throw new Error(`fs object store: bucket must not contain "/": ${opts.bucket}`);
  const bucketDir = resolve(opts.root, opts.bucket);
  const pathOf = (key: string) => {
    assertValidKey(key);
    return join(bucketDir, ...key.split('/'));
  };
  /**
   * A missing path is a missing object only while the bucket itself is a
   * usable directory (or does not exist yet: a fresh store is empty). A
   * bucket that is a file, or that cannot be read, is an outage.
   */
  const assertBucketUsable = async (err: unknown): Promise<void> => {
    let st;
    try {
      st = await stat(bucketDir);
    } catch (statErr) {
      if ((statErr as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new ObjectStoreUnavailableError(`fs object store unavailable: bucket ${bucketDir}: ${(statErr as Error).message}`, {
        cause: err,
      });
    }
    if (!st.isDirectory())
      throw new ObjectStoreUnavailableError(`fs object store unavailable: bucket ${bucketDir} is not a directory`, { cause: err });
  };
  const notFound = async (key: string, err: unknown): Promise<never> => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EIO')
      throw new ObjectStoreUnavailableError(`fs object store unavailable: ${key}: ${(err as Error).message}`, { cause: err });
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      await assertBucketUsable(err);
      throw new ObjectNotFoundError(key, `fs bucket ${bucketDir}`);
    }
    throw err;
  };

  return {
    bucket: opts.bucket,

    async put(key, body) {
      const path = pathOf(key);
      const dir = dirname(path);
      const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TMP_SUFFIX}`);
      // A concurrent delete prunes empty folders (so the tree mirrors S3), and can remove the folder
      // made here before the temp file is in it: make it again. Once the temp file is inside, the
      // folder is not empty and stays.
      let fh;
      for (let attempt = 1; fh === undefined; attempt++) {
        try {
          // Objects are data: owner-only folders and files.
          await mkdir(dir, { recursive: true, mode: 0o700 });
          fh = await open(tmp, 'w', 0o600);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' && attempt < PRUNE_RACE_ATTEMPTS) continue;
          // S3 allows `a/b` and `a/b/c` side by side; a filesystem cannot. Say so rather than ENOTDIR.
          if (code === 'ENOTDIR' || code === 'EEXIST') await assertBucketUsable(err);
          if (code === 'ENOTDIR' || code === 'EEXIST')
            throw new Error(`fs object store: cannot put ${key}: a prefix of it is already an object`, { cause: err });
          throw err;
        }
      }
      try {
        await fh.writeFile(toBytes(body));
        await fh.sync();
      } catch (err) {
        await fh.close();
        await rm(tmp, { force: true });
        throw err;
      }
      await fh.close();
      try {
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },

    async get(key) {
      const path = pathOf(key);
      try {
        const buf = await readFile(path);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        return notFound(key, err);
      }
    },

    async getRange(key, offset, length) {
      const path = pathOf(key);
      assertRange(key, offset, length);
      let fh;
      try {
        fh = await open(path, 'r');
      } catch (err) {
        return notFound(key, err);
      }
      try {
        const st = await fh.stat();
        if (!st.isFile()) throw new ObjectNotFoundError(key);
        const size = st.size;
        const n = Math.max(0, Math.min(length, size - offset));
        const out = new Uint8Array(n);
        let got = 0;
        while (got < n) {
          const { bytesRead } = await fh.read(out, got, n - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === n ? out : out.subarray(0, got);
      } catch (err) {
        return notFound(key, err);
      } finally {
        await fh.close();
      }
    },

    async size(key) {
      try {
        const st = await stat(pathOf(key));
        if (!st.isFile()) throw new ObjectNotFoundError(key);
        return st.size;
      } catch (err) {
        return notFound(key, err);
      }
    },

    async modifiedAt(key) {
      try {
        const st = await stat(pathOf(key));
        if (!st.isFile()) throw new ObjectNotFoundError(key);
        return st.mtime;
      } catch (err) {
        return notFound(key, err);
      }
    },

    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          await assertBucketUsable(err);
          return false;
        }
        throw err;
      }
    },

    async list(prefix) {
      assertValidPrefix(prefix);
      // Walk only the deepest directory the prefix names, then filter by the full prefix.
      const lastSlash = prefix.lastIndexOf('/');
      const start = lastSlash < 0 ? bucketDir : join(bucketDir, ...prefix.slice(0, lastSlash).split('/'));
      const out: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') {
            await assertBucketUsable(err);
            return;
          }
          throw err;
        }
        for (const e of entries) {
          const full = join(dir, e.name);
          if (e.isDirectory()) await walk(full);
          else if (e.isFile() && !e.name.endsWith(TMP_SUFFIX)) {
            const key = relative(bucketDir, full).split(sep).join('/');
            if (key.startsWith(prefix)) out.push(key);
          }
        }
      };
      await walk(start);
      return out.sort();
    },

    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      // Drop now-empty parent directories so the tree mirrors S3, where prefixes are not objects.
      let dir = dirname(path);
      while (dir !== bucketDir && dir.startsWith(bucketDir + sep)) {
        try {
          await rmdir(dir);
        } catch {
          break;
        }
        dir = dirname(dir);
      }
    },

    locate(key) {
      return pathToFileURL(pathOf(key)).href;
    },
  };
}
