/**
 * The pension-style target allocation of the `rebalance` workflow: strong
 * buys get three times the base weight, buys twice, everything else
 * nothing; then caps of 5 % per stock and 25 % per sector with a 5 % cash
 * reserve, excess weight redistributed until every cap holds, and an honest
 * report when they cannot all hold.
 */
import { DomainInputError } from './errors';
import type { Recommendation } from './scoring';

/** One candidate for the portfolio. */
export interface AllocationCandidate {
  symbol: string;
  sector: string;
  recommendation: Recommendation;
}

/** Caps and multipliers of the allocation. */
export interface AllocationPolicy {
  /** Largest weight of one stock (default 0.05). */
  maxStockWeight: number;
  /** Largest total weight of one sector (default 0.25). */
  maxSectorWeight: number;
  /** Cash kept aside, as a fraction of the portfolio (default 0.05). */
  cashReserve: number;
  /** Multiplier of the base weight per recommendation (default strong buy 3, buy 2, others 0). */
  multipliers: Record<Recommendation, number>;
}

export const DEFAULT_ALLOCATION_POLICY: AllocationPolicy = {
  maxStockWeight: 0.05,
  maxSectorWeight: 0.25,
  cashReserve: 0.05,
  multipliers: { strong_buy: 3, buy: 2, hold: 0, sell: 0, strong_sell: 0 },
};

/** Result of `pensionAllocation`. */
export interface Allocation {
  /** Target weight per symbol (only symbols with weight > 0). */
  weights: Record<string, number>;
  /** Total weight per sector. */
  sectorWeights: Record<string, number>;
  /** Invested fraction, sum of weights; at most 1 - cashReserve. */
  invested: number;
  /** Cash fraction: the reserve plus anything that could not be placed. */
  cash: number;
  /** True when all of 1 - cashReserve could be invested within the caps. */
  feasible: boolean;
  /** Weight that the caps left uninvested (added to cash); 0 when feasible. */
  unallocated: number;
  /** Symbols held at the stock cap. */
  cappedSymbols: string[];
  /** Sectors held at the sector cap. */
  cappedSectors: string[];
  /** Human-readable reason when not feasible. */
  note?: string;
}

/**
 * Target weights by the pension rule with caps.
 *
 * 1. raw_i = multiplier(recommendation_i); base = (1 - cash) / sum(raw);
 *    w_i = raw_i base, so the weights sum to 1 - cash.
 * 2. Caps by proportional redistribution: weight above the stock cap is cut
 *    to the cap; a sector above its cap has its free members scaled down
 *    until it sits on the cap (if its capped members alone overfill it, all
 *    its members are scaled onto the sector cap); the weight cut away is spread over the
 *    still-free names in proportion to raw_i. Repeat until no cap is
 *    broken. Every round fixes at least one name or sector, so it ends
 *    within (names + sectors) rounds; each round is O(names).
 * 3. If no free name is left while weight remains (e.g. ten strong buys
 *    with a 5 % cap can hold only 50 %), the rest stays in cash and the
 *    result says `feasible: false` with the unallocated weight.
 *
 * No candidate with a positive multiplier -> all cash, feasible false.
 * Caps outside (0, 1], a reserve outside [0, 1), a negative multiplier or a
 * duplicate symbol -> DomainInputError.
 *
 * @example
 *   pensionAllocation([{ symbol: 'A', sector: 'Tech', recommendation: 'strong_buy' }]).weights // { A: 0.05 }
 */
export function pensionAllocation(candidates: readonly AllocationCandidate[], policy: Partial<AllocationPolicy> = {}): Allocation {
  const p: AllocationPolicy = {
    ...DEFAULT_ALLOCATION_POLICY,
    ...policy,
    multipliers: { ...DEFAULT_ALLOCATION_POLICY.multipliers, ...policy.multipliers },
  };
  if (!(p.maxStockWeight > 0 && p.maxStockWeight <= 1))
    throw new DomainInputError('INVALID_PARAMETER', `maxStockWeight is ${p.maxStockWeight}`);
  if (!(p.maxSectorWeight > 0 && p.maxSectorWeight <= 1))
    throw new DomainInputError('INVALID_PARAMETER', `maxSectorWeight is ${p.maxSectorWeight}`);
  if (!(p.cashReserve >= 0 && p.cashReserve < 1)) throw new DomainInputError('INVALID_PARAMETER', `cashReserve is ${p.cashReserve}`);
  for (const [k, v] of Object.entries(p.multipliers)) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new DomainInputError('INVALID_PARAMETER', `multiplier for ${k} is ${v}`);
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.symbol)) throw new DomainInputError('INVALID_PARAMETER', `duplicate symbol ${c.symbol}`);
    seen.add(c.symbol);
  }

  const names = candidates.filter((c) => p.multipliers[c.recommendation] > 0);
  const raw = names.map((c) => p.multipliers[c.recommendation]);
  const investable = 1 - p.cashReserve;
  const n = names.length;
  const w = new Float64Array(n);
  const fixed = new Uint8Array(n);
  const sectorFixed = new Set<string>();
  const cappedSymbols = new Set<string>();
  const eps = 1e-12;

  for (let round = 0; round <= n + 64; round++) {
    // spread what the fixed names do not hold over the free ones, by raw weight
    let fixedSum = 0;
    let freeRaw = 0;
    for (let i = 0; i < n; i++) {
      if (fixed[i]) fixedSum += w[i];
      else freeRaw += raw[i];
    }
    if (freeRaw > 0) {
      const left = Math.max(0, investable - fixedSum);
      for (let i = 0; i < n; i++) if (!fixed[i]) w[i] = (left * raw[i]) / freeRaw;
    }

    let broke = false;
    for (let i = 0; i < n; i++) {
      if (!fixed[i] && w[i] > p.maxStockWeight + eps) {
        w[i] = p.maxStockWeight;
        fixed[i] = 1;
        cappedSymbols.add(names[i].symbol);
        broke = true;
      }
    }
    if (broke) continue;

    const sectorSum = new Map<string, number>();
    for (let i = 0; i < n; i++) sectorSum.set(names[i].sector, (sectorSum.get(names[i].sector) ?? 0) + w[i]);
    for (const [sector, total] of sectorSum) {
      if (sectorFixed.has(sector) || total <= p.maxSectorWeight + eps) continue;
      let fixedIn = 0;
      let freeIn = 0;
      for (let i = 0; i < n; i++) {
        if (names[i].sector !== sector) continue;
        if (fixed[i]) fixedIn += w[i];
        else freeIn += w[i];
      }
      // Names already at the stock cap keep their weight unless they alone
      // overfill the sector; then the whole sector is scaled onto its cap.
      const scaleFree = freeIn > 0 ? Math.max(0, p.maxSectorWeight - fixedIn) / freeIn : 0;
      const scaleFixed = fixedIn > p.maxSectorWeight ? p.maxSectorWeight / fixedIn : 1;
      for (let i = 0; i < n; i++) {
        if (names[i].sector !== sector) continue;
        w[i] *= fixed[i] ? scaleFixed : scaleFree;
        if (fixed[i] && scaleFixed < 1) cappedSymbols.delete(names[i].symbol);
        fixed[i] = 1;
      }
      sectorFixed.add(sector);
      broke = true;
    }
    if (!broke) break;
  }

  const weights: Record<string, number> = {};
  const sectorWeights: Record<string, number> = {};
  let invested = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i] > 0)) continue;
    weights[names[i].symbol] = w[i];
    sectorWeights[names[i].sector] = (sectorWeights[names[i].sector] ?? 0) + w[i];
    invested += w[i];
  }
  const unallocated = Math.max(0, investable - invested);
  const feasible = n > 0 && unallocated <= 1e-9;
  const result: Allocation = {
    weights,
    sectorWeights,
    invested,
    cash: 1 - invested,
    feasible,
    unallocated: feasible ? 0 : unallocated,
    cappedSymbols: [...cappedSymbols],
    cappedSectors: [...sectorFixed],
  };
  if (!feasible) {
    result.note =
      n === 0
        ? 'no strong buy or buy candidates: everything stays in cash'
        : `caps allow only ${(invested * 100).toFixed(2)}% invested of ${(investable * 100).toFixed(2)}%; ${(unallocated * 100).toFixed(2)}% stays in cash`;
  }
  return result;
}
