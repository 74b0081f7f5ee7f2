/**
 * The shared contract every ObjectStore implementation passes (the unstorage
 * pattern): one vitest suite, run by `fs-store.test.ts` against the
 * filesystem and by `s3-store.test.ts` against a real MinIO. Not a test file
 * itself; call `describeObjectStoreContract` from one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidObjectKeyError, ObjectNotFoundError, type ObjectStore } from './types';

export interface ContractFixture {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

/**
 * @example
 *   describeObjectStoreContract('fs', async () => {
 *     const root = await mkdtemp(join(tmpdir(), 'qw-'));
 *     return { store: createFsObjectStore({ root, bucket: 'b' }), cleanup: () => rm(root, { recursive: true }) };
 *   });
 */
export function describeObjectStoreContract(name: string, make: () => Promise<ContractFixture>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fx: ContractFixture;
    let store: ObjectStore;
    beforeAll(async () => {
      fx = await make();
      store = fx.store;
    });
    afterAll(async () => {
      await fx?.cleanup();
    });

    it('round-trips binary bytes exactly', async () => {
      const body = new Uint8Array(70_000);
      for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
      await store.put('bin/all-bytes.dat', body, { contentType: 'application/octet-stream' });
      const got = await store.get('bin/all-bytes.dat');
      expect(got).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(got).equals(Buffer.from(body))).toBe(true);
    });

    it('round-trips text as UTF-8', async () => {
      const text = '# Report\nπ ≈ 3.14159, €, 日本\n';
      await store.put('text/report.md', text, { contentType: 'text/markdown' });
      expect(new TextDecoder().decode(await store.get('text/report.md'))).toBe(text);
    });

    it('stores an empty object', async () => {
      await store.put('empty/zero', new Uint8Array(0));
      expect(await store.size('empty/zero')).toBe(0);
      expect((await store.get('empty/zero')).byteLength).toBe(0);
      expect(await store.exists('empty/zero')).toBe(true);
    });

    it('overwrites on a second put (idempotent)', async () => {
      await store.put('ow/key.txt', 'first version, longer');
      await store.put('ow/key.txt', 'second');
      expect(new TextDecoder().decode(await store.get('ow/key.txt'))).toBe('second');
      expect(await store.size('ow/key.txt')).toBe(6);
      expect(await store.list('ow/')).toEqual(['ow/key.txt']);
    });

    it('reads byte ranges, clipped at the end of the object', async () => {
      const body = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
      await store.put('range/r.bin', body);
      expect(Array.from(await store.getRange('range/r.bin', 0, 4))).toEqual([0, 1, 2, 3]);
      expect(Array.from(await store.getRange('range/r.bin', 500, 3))).toEqual([500 % 251, 501 % 251, 502 % 251]);
      expect(Array.from(await store.getRange('range/r.bin', 998, 10))).toEqual([998 % 251, 999 % 251]);
      expect((await store.getRange('range/r.bin', 100, 0)).byteLength).toBe(0);
      await expect(store.getRange('range/r.bin', -1, 2)).rejects.toThrow(RangeError);
    });

    it('reports sizes and existence', async () => {
      await store.put('sz/a.bin', new Uint8Array(1234));
      expect(await store.size('sz/a.bin')).toBe(1234);
      expect(await store.exists('sz/a.bin')).toBe(true);
      expect(await store.exists('sz/b.bin')).toBe(false);
      // a "directory" prefix is not an object
      expect(await store.exists('sz')).toBe(false);
    });

    it('lists by prefix, sorted, prefixes not being objects', async () => {
      for (const k of ['ls/x/1.txt', 'ls/x/2.txt', 'ls/x2/3.txt', 'ls/y/deep/4.txt', 'lsz.txt']) await store.put(k, k);
      expect(await store.list('ls/x/')).toEqual(['ls/x/1.txt', 'ls/x/2.txt']);
      expect(await store.list('ls/x')).toEqual(['ls/x/1.txt', 'ls/x/2.txt', 'ls/x2/3.txt']);
      expect(await store.list('ls/')).toEqual(['ls/x/1.txt', 'ls/x/2.txt', 'ls/x2/3.txt', 'ls/y/deep/4.txt']);
      expect(await store.list('ls')).toEqual(['ls/x/1.txt', 'ls/x/2.txt', 'ls/x2/3.txt', 'ls/y/deep/4.txt', 'lsz.txt']);
      expect(await store.list('nothing-here/')).toEqual([]);
      const all = await store.list('');
      expect(all).toContain('lsz.txt');
      expect(all).toContain('ls/y/deep/4.txt');
    });

    it('tells when an object was last written (a later write is later; S3 counts whole seconds)', async () => {
      const t0 = Date.now();
      await store.put('mtime/a.txt', 'a');
      const a = await store.modifiedAt('mtime/a.txt');
      expect(a).toBeInstanceOf(Date);
      expect(Math.abs(a.getTime() - t0)).toBeLessThan(5_000);
      await new Promise((r) => setTimeout(r, 1_100));
      await store.put('mtime/b.txt', 'b');
      expect((await store.modifiedAt('mtime/b.txt')).getTime()).toBeGreaterThan(a.getTime());
      await expect(store.modifiedAt('mtime/none.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('lists more than 1,000 keys (pagination)', async () => {
      const keys = Array.from({ length: 1100 }, (_, i) => `many/k${String(i).padStart(5, '0')}`);
      for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, 'x')));
      const listed = await store.list('many/');
      expect(listed.length).toBe(1100);
      expect(listed).toEqual(keys);
    });

    it('deletes, and deleting an absent object is fine', async () => {
      await store.put('del/a/b.txt', 'b');
      await store.put('del/c.txt', 'c');
      await store.delete('del/a/b.txt');
      expect(await store.exists('del/a/b.txt')).toBe(false);
      expect(await store.list('del/')).toEqual(['del/c.txt']);
      await store.delete('del/a/b.txt');
      await store.delete('never/was.txt');
    });

    it('throws ObjectNotFoundError naming the key for get, getRange and size', async () => {
      for (const op of [
        () => store.get('missing/obj.bin'),
        () => store.getRange('missing/obj.bin', 0, 10),
        () => store.size('missing/obj.bin'),
      ]) {
        const err = await op().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ObjectNotFoundError);
        expect((err as ObjectNotFoundError).key).toBe('missing/obj.bin');
        expect((err as Error).message).toContain('missing/obj.bin');
      }
    });

    it('rejects invalid keys with an error naming the key', async () => {
      for (const bad of ['', '/abs/key', 'a//b', 'a/../b', '../up', 'trailing/', './x', 'a\\b']) {
        await expect(store.put(bad, 'x'), bad).rejects.toThrow(InvalidObjectKeyError);
        await expect(store.get(bad), bad).rejects.toThrow(InvalidObjectKeyError);
      }
      await expect(store.put('a/../b', 'x')).rejects.toThrow(/a\/\.\.\/b/);
    });

    it('locates a key in a human-readable form that names the key', () => {
      const loc = store.locate('reports/x/run.md');
      expect(loc).toMatch(/^(file|s3):\/\//);
      expect(loc.endsWith('reports/x/run.md')).toBe(true);
    });
  });
}
