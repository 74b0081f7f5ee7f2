import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from './errors';
import { expectClose } from './__fixtures__/expect-close';
import { chooseK, clusterLabels, elbowK, kmeans, standardizeColumns } from './kmeans';

// Three well-separated blobs of four points each, written down by hand.
const BLOBS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
  [10, 10],
  [10, 11],
  [11, 10],
  [11, 11],
  [0, 20],
  [0, 21],
  [1, 20],
  [1, 21],
];

describe('kmeans', () => {
  it('recovers three blobs; inertia is the hand-computed within-cluster sum of squares', () => {
    // each blob is a unit square: squared distances to its centre are 4 x 0.5 = 2; three blobs -> 6
    const r = kmeans(BLOBS, 3, { seed: 1 });
    expect(r.k).toBe(3);
    expectClose(r.inertia, 6);
    for (let b = 0; b < 3; b++) {
      const l = r.labels[b * 4];
      for (let i = 1; i < 4; i++) expect(r.labels[b * 4 + i]).toBe(l);
    }
    expect(new Set(r.labels).size).toBe(3);
  });
  it('the same seed gives the same clustering', () => {
    const a = kmeans(BLOBS, 4, { seed: 5 });
    const b = kmeans(BLOBS, 4, { seed: 5 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
  });
  it('identical features: one cluster, inertia 0, whatever k asks for', () => {
    const r = kmeans(new Array(8).fill([0.3, -1]), 5, { seed: 3 });
    expect(r.k).toBe(1);
    expect(r.inertia).toBe(0);
    expect(Array.from(r.labels).every((l) => l === 0)).toBe(true);
    expect(chooseK(new Array(8).fill([0.3, -1]), { seed: 3 }).k).toBe(1);
  });
  it('edge cases: no points, one point, bad k, NaN feature', () => {
    expect(kmeans([], 3, { seed: 1 }).k).toBe(0);
    const one = kmeans([[1, 2]], 3, { seed: 1 });
    expect(one.k).toBe(1);
    expect(one.centroids).toEqual([[1, 2]]);
    expect(() => kmeans(BLOBS, 0, { seed: 1 })).toThrow(DomainInputError);
    expect(() => kmeans([[1, NaN]], 1, { seed: 1 })).toThrow(DomainInputError);
  });
  it('property: inertia never increases across iterations', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -10, max: 10, noNaN: true }),
            fc.double({ min: -10, max: 10, noNaN: true }),
            fc.double({ min: -10, max: 10, noNaN: true }),
          ),
          { minLength: 1, maxLength: 120 },
        ),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (pts, k, seed) => {
          const h = kmeans(pts, k, { seed }).inertiaHistory;
          for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1] * (1 + 1e-12) + 1e-12);
        },
      ),
    );
  });
});

// vega-datasets' penguins.json: the 342 rows with all four measurements, standardised.
function penguins(): number[][] {
  const cols = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
  const rows = JSON.parse(readFileSync(join(process.cwd(), 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Record<
    string,
    unknown
  >[];
  return standardizeColumns(rows.filter((r) => cols.every((c) => typeof r[c] === 'number')).map((r) => cols.map((c) => r[c] as number)));
}

describe('kmeans: best of several starts', () => {
  const z = penguins();
  it('one k-means++ start can stop in a poor local optimum; the best of 10 does not (penguins, k = 4)', () => {
    const one = kmeans(z, 4, { seed: 42, starts: 1 });
    const ten = kmeans(z, 4, { seed: 42 });
    expect(ten.starts).toBe(10);
    expect(one.starts).toBe(1);
    // measured: 311.63 for the single start, 300.52 for the best of 10 (scikit-learn's: 300.40)
    expect(one.inertia).toBeGreaterThan(ten.inertia * 1.03);
    // the kept start is the minimum over the starts, and start 0 is the single-start run
    expect(ten.bestStart).toBeGreaterThan(0);
    expect(ten.inertia).toBeLessThanOrEqual(one.inertia);
    expect(Array.from(kmeans(z, 4, { seed: 42, starts: ten.bestStart + 1 }).labels)).toEqual(Array.from(ten.labels));
  });
  it('inertia is within 0.5 % of scikit-learn best of 10 for k = 2..10, equal for k = 2, 3, 5 (penguins)', () => {
    // scikit-learn 1.9.1 KMeans(k, init='k-means++', n_init=10, random_state=0).inertia_ on the same
    // standardised rows: scripts/reference/kmeans.py. Measured here with seed 42: at most 0.27 % worse
    // (k = 9), 1.6 % better at k = 10. The old single plain k-means++ start was up to 9 % worse (k = 9).
    const sklearn: Record<number, number> = {
      2: 565.7076453796287,
      3: 379.39250275551734,
      4: 300.3995356267373,
      5: 232.63659412188375,
      6: 204.31914000948845,
      7: 187.1379763834949,
      8: 170.98004060501003,
      9: 158.94699469265254,
      10: 152.45981981306693,
    };
    for (let k = 2; k <= 10; k++) {
      const r = kmeans(z, k, { seed: 42 });
      expect(r.inertia, `k = ${k}`).toBeLessThanOrEqual(sklearn[k] * 1.005);
      if (k === 2 || k === 3 || k === 5) expectClose(r.inertia, sklearn[k], 1e-12);
    }
  });
  it('k = 1 runs one start (all starts give the overall mean); starts < 1 is an input error', () => {
    expect(kmeans(z, 1, { seed: 1 }).starts).toBe(1);
    expect(() => kmeans(z, 2, { seed: 1, starts: 0 })).toThrow(DomainInputError);
  });
});

describe('standardizeColumns', () => {
  it('z-scores each column (ddof 0); constant column and NaN cells become 0', () => {
    expect(
      standardizeColumns([
        [1, 10],
        [3, 10],
      ]),
    ).toEqual([
      [-1, 0],
      [1, 0],
    ]);
    const s = standardizeColumns([
      [1, 5],
      [NaN, 5],
      [3, 5],
    ]);
    expect(s[1][0]).toBe(0);
    expect(standardizeColumns([])).toEqual([]);
  });
});

describe('elbow choice of K', () => {
  it('hand-worked: [100, 30, 20, 15, 12] bends at 2', () => {
    // scaled: x = 0, .25, .5, .75, 1; y = 1, .205, .091, .034, 0; 1 - x - y is largest (0.545) at k = 2
    expect(elbowK([100, 30, 20, 15, 12])).toBe(2);
    expect(elbowK([100, 90, 20, 18, 17, 16])).toBe(3);
  });
  it('flat, short or empty curves', () => {
    expect(elbowK([5, 5, 5])).toBe(1);
    expect(elbowK([5, 1])).toBe(1);
    expect(elbowK([])).toBe(0);
  });
  it('chooses 3 for three blobs, with K capped at 10', () => {
    const c = chooseK(BLOBS, { seed: 2 });
    expect(c.inertias.length).toBe(10);
    expect(c.k).toBe(3);
    expectClose(c.result.inertia, 6);
  });
});

describe('clusterLabels', () => {
  it('labels momentum and volatility levels and keeps labels unique', () => {
    expect(
      clusterLabels(
        [
          [1, -1],
          [-1, 1],
          [0, 0],
          [0.1, 0.1],
        ],
        0,
        1,
      ),
    ).toEqual(['HiMom-LoVol', 'LoMom-HiVol', 'MidMom-MidVol', 'MidMom-MidVol-2']);
  });
});
