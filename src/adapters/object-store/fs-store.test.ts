/** The filesystem object store against the shared contract, plus its crash-safety property. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeObjectStoreContract } from './contract';
import { createFsObjectStore } from './fs-store';

describeObjectStoreContract('fs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'qw-fs-store-'));
  return { store: createFsObjectStore({ root, bucket: 'quant-data' }), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describe('fs object store', () => {
  it('stores at <root>/<bucket>/<key> and leaves no temp files behind', async () => {
    const root = await mkdtemp(join(tmpdir(), 'qw-fs-store-'));
    try {
      const store = createFsObjectStore({ root, bucket: 'b1' });
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('d/same.txt', `v${i}`)));
      expect(await readdir(join(root, 'b1', 'd'))).toEqual(['same.txt']);
      expect(store.locate('d/same.txt')).toBe(`file://${join(root, 'b1', 'd', 'same.txt')}`);
      expect(new TextDecoder().decode(await store.get('d/same.txt'))).toMatch(/^v\d+$/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('puts into a folder that a concurrent delete is pruning (the fan-out staging race)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'qw-fs-store-'));
    try {
      const store = createFsObjectStore({ root, bucket: 'b1' });
      // Each round: one object's delete empties and prunes run/staging/ while another object is put there.
      // Before the put re-made a pruned folder, some rounds failed with ENOENT (mkdir or the temp file's open).
      for (let round = 0; round < 300; round++) {
        await store.put(`run/staging/a${round}`, 'x');
        await Promise.all([store.delete(`run/staging/a${round}`), store.put(`run/staging/b${round}`, 'y')]);
        expect(new TextDecoder().decode(await store.get(`run/staging/b${round}`))).toBe('y');
        await store.delete(`run/staging/b${round}`);
      }
      expect(await store.list('run/')).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('hides an interrupted write (temp file) from list and get', async () => {
    const root = await mkdtemp(join(tmpdir(), 'qw-fs-store-'));
    try {
      const store = createFsObjectStore({ root, bucket: 'b1' });
      await store.put('x/real.bin', 'ok');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(root, 'b1', 'x', '.half.bin.abcdef.qwtmp'), 'partial');
      expect(await store.list('x/')).toEqual(['x/real.bin']);
      expect(await store.exists('x/half.bin')).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
