import { describe, expect, it } from 'vitest';
import { groupCommit, limiter, mapLimit } from './async';

describe('mapLimit', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
  it('handles an empty list and a limit below one', async () => {
    expect(await mapLimit([], 3, async (x: number) => x)).toEqual([]);
    expect(await mapLimit([1, 2], 0, async (x) => x + 1)).toEqual([2, 3]);
  });
  it('rejects with the first failure', async () => {
    await expect(
      mapLimit([1, 2, 3], 2, async (x) => {
        if (x === 2) throw new Error('boom 2');
        return x;
      }),
    ).rejects.toThrow('boom 2');
  });
});

describe('groupCommit', () => {
  it('the first item is written at once; items arriving during a write share the next one; answers go to their callers', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const submit = groupCommit(async (xs: number[]) => {
      writes.push(xs);
      if (writes.length === 1) await gate;
      return xs.map((x) => x * 10);
    }, 3);
    const answers = [1, 2, 3, 4, 5].map((x) => submit(x));
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]); // 2..5 wait for the first write
    release();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
    expect(writes).toEqual([[1], [2, 3, 4], [5]]); // at most 3 per write
  });

  it('a failed write rejects its own items only, and the next batch is written', async () => {
    let calls = 0;
    const submit = groupCommit(async (xs: string[]) => {
      calls++;
      if (calls === 1) {
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('connection reset');
      }
      return xs.map((x) => x.toUpperCase());
    });
    const first = submit('a');
    const second = submit('b');
    await expect(first).rejects.toThrow('connection reset');
    expect(await second).toBe('B');
  });

  it('a write that answers the wrong number of items rejects them all', async () => {
    const submit = groupCommit(async (xs: number[]) => xs.slice(1));
    await expect(submit(1)).rejects.toThrow('0 answers for 1 items');
  });
});

describe('limiter', () => {
  it('keeps at most `limit` runs in flight, starts the waiting ones in order, and frees a slot on failure', async () => {
    const run = limiter(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number, fail = false) =>
      run(async () => {
        started.push(i);
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        if (fail) throw new Error(`task ${i} failed`);
        return i;
      });
    const results = await Promise.allSettled([task(0), task(1, true), task(2), task(3), task(4)]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    // All slots are free again: two more start at once.
    active = 0;
    peak = 0;
    await Promise.all([task(5), task(6)]);
    expect(peak).toBe(2);
  });
});
