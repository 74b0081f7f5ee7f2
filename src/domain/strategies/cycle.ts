/**
 * The intraday cycle's pure bookkeeping: turning what the strategies said at
 * one cycle instant into the signals it submits, each with its strategy,
 * the cycle time and an idempotency key, and the list of what it dropped
 * and why. Deterministic: the same outputs give the same lists in the same
 * order, whatever order the strategies' outputs came in.
 */
import { DomainInputError } from '../errors';
import type { StrategySignal } from './types';

/** A signal ready for the execution service. */
export type CycleSignal = StrategySignal & {
  strategy: string;
  /** `strategy:<strategy>:<symbol>:<ISO cycle time>`: a retried cycle submits the same keys. */
  idempotencyKey: string;
  /** The cycle instant, ISO 8601 UTC. */
  signalTs: string;
};

/** One strategy's signals of the cycle. */
export interface StrategyOutput {
  strategy: string;
  signals: readonly StrategySignal[];
  /** `name@version` of the strategy's registered model version (its current config): stamped on each signal that names none. */
  model?: string;
}

export interface DroppedSignal {
  strategy: string;
  symbol: string;
  action: StrategySignal['action'];
  reason: string;
}

export interface PreparedCycle {
  accepted: CycleSignal[];
  dropped: DroppedSignal[];
}

function isoOf(cycleAt: number): string {
  if (!Number.isFinite(cycleAt)) throw new DomainInputError('INVALID_PARAMETER', `cycle time must be a finite epoch ms, got ${cycleAt}`);
  return new Date(cycleAt).toISOString();
}

/**
 * The execution service's idempotency key of a strategy's signal on a
 * symbol at a cycle: `strategy:<strategy>:<symbol>:<ISO of cycleAt>`. One
 * signal per strategy, symbol and cycle (prepareCycleSignals keeps one), so
 * a retried cycle resubmits the same keys and places nothing twice.
 *
 * @example
 *   signalIdempotencyKey('ma', 'AAPL', Date.UTC(2025, 0, 2, 15, 30)) // 'strategy:ma:AAPL:2025-01-02T15:30:00.000Z'
 */
export function signalIdempotencyKey(strategy: string, symbol: string, cycleAt: number): string {
  return `strategy:${strategy}:${symbol}:${isoOf(cycleAt)}`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Check and stamp the cycle's signals. Per strategy, in this order:
 * 1. dropped: confidence NaN or outside [0, 1]; a symbol without a known
 *    price (absent, NaN or <= 0 in `knownPrices`); a quantity that is not a
 *    whole number >= 1; a group leg other than 1 or 2;
 * 2. several signals on one symbol: all one action -> the highest confidence
 *    is kept (the first of equals), the others dropped; BUY and SELL -> all
 *    dropped (the strategy contradicts itself);
 * 3. a pair group is all or nothing: a group whose leg was dropped, or that
 *    has not exactly one leg 1 and one leg 2, is dropped whole, the reason
 *    naming the leg.
 * Accepted signals are stamped with the strategy, `signalTs` (ISO of
 * cycleAt), `signalIdempotencyKey` and, when the signal names no model of
 * its own, its output's `model`; a group id is prefixed with the
 * strategy (`<strategy>:<id>`) so two strategies trading the same pair never
 * share a group. Order: strategies by name (code-unit order); within one,
 * by symbol, a pair's legs together in leg order at its leg 1's symbol.
 * Outputs with the same strategy name are merged. Dropped signals: by
 * strategy, then symbol. A non-finite cycleAt throws DomainInputError.
 *
 * @example
 *   prepareCycleSignals(at, [{ strategy: 'ma', signals }], new Map([['AAPL', 190]])).accepted[0].idempotencyKey
 */
export function prepareCycleSignals(
  cycleAt: number,
  outputs: readonly StrategyOutput[],
  knownPrices: ReadonlyMap<string, number>,
): PreparedCycle {
  const signalTs = isoOf(cycleAt);
  const byStrategy = new Map<string, StrategySignal[]>();
  for (const o of outputs) {
    const stamped = o.model === undefined ? o.signals : o.signals.map((s) => (s.model === undefined ? { ...s, model: o.model } : s));
    byStrategy.set(o.strategy, [...(byStrategy.get(o.strategy) ?? []), ...stamped]);
  }

  const accepted: CycleSignal[] = [];
  const dropped: DroppedSignal[] = [];
  for (const strategy of [...byStrategy.keys()].sort(cmp)) {
    const signals = byStrategy.get(strategy)!;
    const why: (string | null)[] = signals.map((s) => {
      if (!(s.confidence >= 0 && s.confidence <= 1)) return `confidence ${s.confidence} is not in [0, 1]`;
      const price = knownPrices.get(s.symbol);
      if (price === undefined || !(price > 0 && Number.isFinite(price))) return `no known price for ${s.symbol}`;
      if (s.quantity !== undefined && !(Number.isInteger(s.quantity) && s.quantity >= 1))
        return `quantity ${s.quantity} is not a whole number >= 1`;
      if (s.group && s.group.leg !== 1 && s.group.leg !== 2) return `group ${s.group.id}: leg ${String(s.group.leg)} is not 1 or 2`;
      return null;
    });

    const bySymbol = new Map<string, number[]>();
    signals.forEach((s, i) => {
      if (why[i] === null) bySymbol.set(s.symbol, [...(bySymbol.get(s.symbol) ?? []), i]);
    });
    for (const [symbol, idx] of bySymbol) {
      if (idx.length < 2) continue;
      const actions = new Set(idx.map((i) => signals[i].action));
      if (actions.size > 1) {
        for (const i of idx) why[i] = `conflicting BUY and SELL signals for ${symbol} (${idx.length} signals)`;
        continue;
      }
      let best = idx[0];
      for (const i of idx) if (signals[i].confidence > signals[best].confidence) best = i;
      for (const i of idx) {
        if (i !== best) why[i] = `duplicate: a ${signals[best].action} for ${symbol} with confidence ${signals[best].confidence} is kept`;
      }
    }

    const groups = new Map<string, number[]>();
    signals.forEach((s, i) => {
      if (s.group) groups.set(s.group.id, [...(groups.get(s.group.id) ?? []), i]);
    });
    for (const [id, idx] of groups) {
      const legs = idx.map((i) => signals[i].group!.leg).sort();
      const bad = idx.find((i) => why[i] !== null);
      let reason: string | null = null;
      if (bad !== undefined) reason = `pair group ${id}: leg ${signals[bad].group!.leg} (${signals[bad].symbol}) was dropped: ${why[bad]}`;
      else if (legs.length !== 2 || legs[0] !== 1 || legs[1] !== 2)
        reason = `pair group ${id} is not one leg 1 and one leg 2 (legs: ${legs.join(', ')})`;
      if (reason === null) continue;
      for (const i of idx) if (why[i] === null) why[i] = reason;
    }

    const units: { key: string; group: string; members: number[] }[] = [];
    const seenGroups = new Set<string>();
    signals.forEach((s, i) => {
      if (why[i] !== null) {
        dropped.push({ strategy, symbol: s.symbol, action: s.action, reason: why[i]! });
        return;
      }
      if (!s.group) {
        units.push({ key: s.symbol, group: '', members: [i] });
        return;
      }
      if (seenGroups.has(s.group.id)) return;
      seenGroups.add(s.group.id);
      const members = groups
        .get(s.group.id)!
        .slice()
        .sort((x, y) => signals[x].group!.leg - signals[y].group!.leg);
      units.push({ key: signals[members[0]].symbol, group: s.group.id, members });
    });
    units.sort((x, y) => cmp(x.key, y.key) || cmp(x.group, y.group));
    for (const u of units) {
      for (const i of u.members) {
        const s = signals[i];
        accepted.push({
          ...s,
          ...(s.group ? { group: { id: `${strategy}:${s.group.id}`, leg: s.group.leg } } : {}),
          strategy,
          idempotencyKey: signalIdempotencyKey(strategy, s.symbol, cycleAt),
          signalTs,
        });
      }
    }
  }
  dropped.sort((x, y) => cmp(x.strategy, y.strategy) || cmp(x.symbol, y.symbol));
  return { accepted, dropped };
}
