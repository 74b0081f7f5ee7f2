/**
 * The pension-style target allocation of the `rebalance` workflow: strong
 * buys get three times the base weight, buys twice, everything else
 * nothing; then caps of 5 % per stock and 25 % per sector with a 5 % cash
 * reserve, filled by water-filling so every buy-rated name keeps a weight,
 * and an honest report when the caps cannot hold all of the money.
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
 * Target weights by the pension rule with caps, by water-filling.
 *
 * Rule: every name with a positive multiplier raw_i gets
 *   w_i = min(maxStock, L_s raw_i),   L_s = min(L, M_s)
 * where s is its sector. M_s is the sector's own level: the largest M with
 * sum over the sector of min(maxStock, M raw_i) <= maxSector (infinite when
 * the sector cannot reach its cap even with every member at the stock cap).
 * L is the one global level with sum(w) = 1 - cashReserve (infinite when the
 * caps cannot hold that much). Each level is found exactly: the sum is
 * piecewise linear in the level, with a kink where a name reaches its stock
 * cap, so it is solved segment by segment after sorting the kinks.
 *
 * What follows from the rule:
 * - every buy-rated name has a positive weight (a sector on its cap scales
 *   its members down together, it never zeroes some of them);
 * - strong buy : buy = 3 : 2 (the multipliers' ratio) between any two names
 *   that share a level and are both below the stock cap: within a sector
 *   always, across sectors when neither sits on its sector cap (a capped
 *   sector has a lower level than the rest);
 * - no name above maxStock, no sector above maxSector, and within them as
 *   much as possible is invested: if the caps cannot hold 1 - cashReserve
 *   (e.g. ten strong buys with a 5 % cap hold only 50 %), every name sits on
 *   a stock cap or in a sector on its cap, the rest stays in cash and the
 *   result says `feasible: false` with the unallocated weight.
 * For example one sector of 6 strong buys and 13 buys (default policy): the
 * sector holds 25 %, split 3 : 2 over raw 6 x 3 + 13 x 2 = 44, so strong
 * buys get 0.25 x 3 / 44 = 1.7045 % and buys 1.1364 %; 70 % stays in cash.
 * Cost O(names log names).
 *
 * Whole shares (in `generateOrders`, applied by `rebalanceDay`) round the
 * weights afterwards: a trade is truncated towards zero, so a buy stops at
 * floor(w V / p) shares and a sell at ceil(w V / p) shares held. A holding
 * can therefore sit above its stock (or sector) cap by up to one share's
 * value, or by a whole trim when that trim is below the minimum trade
 * value ($100) and is skipped.
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

  // each sector's own level M_s, and the per-name ceiling min(maxStock, M_s raw_i) it implies
  const bySector = new Map<string, number[]>();
  names.forEach((c, i) => bySector.set(c.sector, [...(bySector.get(c.sector) ?? []), i]));
  const sectorLevel = new Map<string, number>();
  const ceiling = new Float64Array(n);
  for (const [sector, members] of bySector) {
    const level = waterLevel(
      p.maxSectorWeight,
      members.map((i) => raw[i]),
      members.map(() => p.maxStockWeight),
    );
    sectorLevel.set(sector, level);
    for (const i of members) ceiling[i] = Math.min(p.maxStockWeight, level * raw[i]);
  }
  const level = waterLevel(investable, raw, Array.from(ceiling));

  const weights: Record<string, number> = {};
  const sectorWeights: Record<string, number> = {};
  const cappedSymbols: string[] = [];
  let invested = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.min(ceiling[i], level * raw[i]);
    weights[names[i].symbol] = w;
    sectorWeights[names[i].sector] = (sectorWeights[names[i].sector] ?? 0) + w;
    invested += w;
    if (w === p.maxStockWeight) cappedSymbols.push(names[i].symbol);
  }
  const cappedSectors = [...bySector.keys()].filter((s) => level >= sectorLevel.get(s)!);
  const unallocated = Math.max(0, investable - invested);
  const feasible = n > 0 && unallocated <= 1e-9;
  const result: Allocation = {
    weights,
    sectorWeights,
    invested,
    cash: 1 - invested,
    feasible,
    unallocated: feasible ? 0 : unallocated,
    cappedSymbols,
    cappedSectors,
  };
  if (!feasible) {
    result.note =
      n === 0
        ? 'no strong buy or buy candidates: everything stays in cash'
        : `caps allow only ${(invested * 100).toFixed(2)}% invested of ${(investable * 100).toFixed(2)}%; ${(unallocated * 100).toFixed(2)}% stays in cash`;
  }
  return result;
}

/**
 * The level L with sum_i min(cap_i, L raw_i) = target (raw_i > 0), or
 * Infinity when sum(cap_i) <= target (every name can sit on its cap). The
 * sum is piecewise linear in L with kinks at cap_i / raw_i: walk the kinks
 * in order, saturating names, until the segment that reaches the target.
 */
function waterLevel(target: number, raw: readonly number[], cap: readonly number[]): number {
  const order = raw.map((_, i) => i).sort((a, b) => cap[a] / raw[a] - cap[b] / raw[b]);
  // raw weight of the names not yet saturated, as suffix sums (no drift from repeated subtraction)
  const freeRaw = new Float64Array(order.length + 1);
  for (let j = order.length - 1; j >= 0; j--) freeRaw[j] = freeRaw[j + 1] + raw[order[j]];
  let saturated = 0;
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    const kink = cap[i] / raw[i];
    if (saturated + kink * freeRaw[j] >= target) return (target - saturated) / freeRaw[j];
    saturated += cap[i];
  }
  return Infinity;
}
