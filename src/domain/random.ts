/**
 * Seeded pseudo-random numbers for everything that must be reproducible: the
 * synthetic market, k-means++ seeding, property-test inputs. Never use
 * Math.random() in this project; take a seed and build a generator here.
 */

/** A generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a 32-bit state generator, fast and good enough for simulation
 * (not for cryptography). The same seed always yields the same sequence.
 *
 * @example
 *   const rng = mulberry32(42); rng(); // 0.6011037519201636
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws by the Box-Muller transform over `rng`. Each call
 * consumes two uniforms and returns one draw (the second is discarded so the
 * sequence depends on nothing but the seed and the call count).
 *
 * @example
 *   const z = normalSampler(mulberry32(7)); z(); // ~N(0, 1)
 */
export function normalSampler(rng: Rng): () => number {
  return () => {
    let u = rng();
    while (u <= Number.EPSILON) u = rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/**
 * Derive an independent 32-bit seed for a named stream (a contract, a sector)
 * from a base seed, by FNV-1a over the name mixed with the seed. Streams with
 * different names do not overlap in practice, and adding a contract does not
 * change the draws of the others.
 *
 * @example
 *   mulberry32(deriveSeed(42, 'AAPL'))
 */
export function deriveSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
