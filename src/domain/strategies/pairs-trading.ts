/**
 * Pairs trading (kind `pairsTrading`): the production caller of
 * src/domain/pairs.ts. Seed: ATEN/INGM, hedge 1.0, entry 2.0, exit 0.5,
 * stop 3.0, 20-bar window, $10,000 a pair trade, one pair open, 3 % risk.
 *
 * Spread and z-score. The legs' bars are aligned by timestamp (bars present
 * for both); the spread is s = A - h B (pairs.ts `spread`) and z is
 * `rollingZScore(s, lookback)`: (s_t - mean) / sd over the `lookback` bars
 * ending at the latest aligned bar, that bar included, sample deviation
 * (ddof 1), as pandas' (s - s.rolling(20).mean()) / s.rolling(20).std().
 * A constant added to s (the OLS intercept) does not change z. `fixed` mode
 * uses the configured hedge h; `statistical` mode the OLS beta of A on B over
 * the selection window (pairs.ts `engleGranger`'s first step).
 *
 * Position. Derived from `positions`: both legs held with A short and B long
 * is a short spread (-1), A long and B short a long spread (+1), neither is
 * flat; one leg alone is a broken pair (fixed mode flattens the leg); both on one side is reported and
 * left alone.
 *
 * Rules, at the latest aligned bar (pairs.ts `pairPositions`' rules, one
 * step; all comparisons inclusive):
 * - flat, entry <= z < stop: short the spread (SELL A, BUY B);
 *   flat, -stop < z <= -entry: long the spread (BUY A, SELL B);
 *   |z| >= stop while flat: no entry (too far gone: it would be a stop at once);
 * - short, z <= exit: close (exit); short, z >= stop: close (stop loss);
 * - long, z >= -exit: close (exit); long, z <= -stop: close (stop loss).
 * These are the issue's "|z| <= exit -> exit, |z| >= stop -> stop" on the
 * trade's own side; a spread that overshoots through the mean is an exit,
 * never a stop.
 * At most `maxOpenPairs` pairs are open (a broken pair's leg takes a slot).
 *
 * Orders. Every action is two signals with one `group: {id, leg}`; the id is
 * `pairs:A/B:<enter_long|enter_short|exit|stop>:<ISO of the bar>`, so the
 * same decision on the same bar has the same id. Leg 1 (placed first) is
 * always the SELL: on entry that is the short leg, the one most likely to
 * be refused (short-selling rules, borrow), so a refusal leaves nothing to
 * flatten; on a close, selling the long first frees the cash the cover may
 * need. Entry size, in spread units (1 share of A against h shares of B, the
 * units the spread is measured in, so the position is hedged as the spread
 * is defined):
 *   units = floor(min(N / (P_A + h P_B), riskPerTrade N / ((stop - entry) sd)))
 * (N = notionalPerTrade, sd = the spread's deviation in the z window: the
 * second term keeps the loss from entry to stop, if the deviation holds,
 * within riskPerTrade of the notional); A gets `units` shares, B
 * round(h units). A close uses the held quantities.
 *
 * Confidence: an entry 0.5 + 0.5 min(1, (|z| - entry) / (stop - entry)),
 * 0.5 at the entry threshold rising to 1 at the stop; a close (exit or stop)
 * 1, because reducing risk must not be held back by a confidence threshold.
 *
 * Statistical mode picks pairs among `candidates` (empty: every symbol with
 * bars) on the last `selectionBars` aligned bars: Pearson correlation of the
 * closes >= minCorrelation, Engle-Granger p-value (A on B, A the first in
 * sort order) <= maxPValue, half-life of the OLS residual within
 * [minHalfLife, maxHalfLife] bars; ranked by p-value, then correlation, then
 * name; a symbol in one pair only; at most `maxPairs` watched. Pairs already
 * open (held legs, matched by the lowest p-value) are always watched first,
 * whatever their statistics now, so a pair is never left open unmanaged.
 *
 * Data problems (a leg without bars, too few aligned bars, legs whose latest
 * bars differ, a flat spread) never throw: the pair yields no signals and
 * `pairDataProblems` says why ("pair ATEN/INGM: INGM has no bars").
 */
import { DEFAULT_PAIR_THRESHOLDS, engleGranger, halfLife, rollingZScore, spread, type PairEvent, type PairThresholds } from '../pairs';
import { mean, pairMoments, std } from '../stats';
import {
  configOrProblems,
  fmt,
  heldQty,
  integerAtLeast,
  numberIn,
  oneOf,
  readParams,
  symbolList,
  symbolName,
  symbolsToScan,
  type Check,
} from './params';
import type { IntradayBar, IntradayStrategy, StrategyInputs, StrategyPosition, StrategySignal } from './types';

export type PairsMode = 'fixed' | 'statistical';

export interface PairsConfig {
  mode: PairsMode;
  /** fixed mode: the pair and its hedge (shares of B per share of A). */
  symbolA: string;
  symbolB: string;
  hedgeRatio: number;
  /** Thresholds in standard deviations of the spread: 0 <= exit < entry < stop. */
  entry: number;
  exit: number;
  stop: number;
  /** Bars in the z-score window. */
  lookback: number;
  /** Dollars of a pair entry (both legs). */
  notionalPerTrade: number;
  maxOpenPairs: number;
  /** Largest loss from entry to stop, as a fraction of notionalPerTrade (sizes the entry, see the file comment). */
  riskPerTrade: number;
  /** statistical mode: symbols to pair (empty: every symbol with bars). */
  candidates: string[];
  /**
   * Aligned bars the selection statistics use. Default 78, one NYSE session of 5-minute bars: the cycle
   * loads the previous session and today, so 78 are there from the first bar of the day on (156, two
   * sessions, would only be reached at today's close).
   */
  selectionBars: number;
  minCorrelation: number;
  maxPValue: number;
  /** Half-life bounds of the spread, in bars. */
  minHalfLife: number;
  maxHalfLife: number;
  /** Most pairs watched at once (open ones first). */
  maxPairs: number;
}

export const PAIRS_DEFAULTS: Readonly<PairsConfig> = {
  mode: 'fixed',
  symbolA: 'ATEN',
  symbolB: 'INGM',
  hedgeRatio: 1,
  entry: DEFAULT_PAIR_THRESHOLDS.entry,
  exit: DEFAULT_PAIR_THRESHOLDS.exit,
  stop: DEFAULT_PAIR_THRESHOLDS.stop,
  lookback: 20,
  notionalPerTrade: 10_000,
  maxOpenPairs: 1,
  riskPerTrade: 0.03,
  candidates: [],
  selectionBars: 78,
  minCorrelation: 0.8,
  maxPValue: 0.05,
  // below one bar the spread reverts within a bar, faster than the cycle can trade it; above twice
  // the z window the window's mean follows the spread and z stops measuring a deviation
  minHalfLife: 1,
  maxHalfLife: 40,
  maxPairs: 5,
};

type PairEventType = PairEvent['type'];
type Side = -1 | 0 | 1;

/**
 * One step of `pairPositions`' rules (pairs.ts) from a known position: the
 * event on this z, or null. -1 short the spread, +1 long, 0 flat. NaN z ->
 * null.
 *
 * @example
 *   pairDecision(0, 2.05, DEFAULT_PAIR_THRESHOLDS) // 'enter_short'
 *   pairDecision(-1, 0.46, DEFAULT_PAIR_THRESHOLDS) // 'exit'
 */
export function pairDecision(position: Side, z: number, t: PairThresholds): PairEventType | null {
  if (z !== z) return null;
  if (position === 0) {
    if (Math.abs(z) >= t.stop) return null;
    if (z <= -t.entry) return 'enter_long';
    if (z >= t.entry) return 'enter_short';
    return null;
  }
  if (position === 1) return z <= -t.stop ? 'stop' : z >= -t.exit ? 'exit' : null;
  return z >= t.stop ? 'stop' : z <= t.exit ? 'exit' : null;
}

/** Statistics of a candidate pair over the selection window (statistical mode). */
export interface PairSelection {
  correlation: number;
  pValue: number;
  halfLife: number;
  /** OLS of A on B: the hedge is beta. */
  alpha: number;
  beta: number;
}

/** What the strategy saw on one pair this cycle. */
export interface PairReading {
  a: string;
  b: string;
  hedge: number;
  /** Start of the latest aligned bar (epoch ms). */
  barTs: number;
  spread: number;
  spreadMean: number;
  spreadSd: number;
  z: number;
  position: Side;
  /** The action taken this cycle, if any. */
  event: PairEventType | null;
  /** Why a rule that fired gave no signals (maxOpenPairs reached, no whole unit affordable). */
  note?: string;
  selection?: PairSelection;
}

export interface PairsEvaluation {
  signals: StrategySignal[];
  /** Data problems, one sentence each ("pair ATEN/INGM: INGM has no bars"). */
  problems: string[];
  pairs: PairReading[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The last `count` bars present in both legs (same ts), oldest first. Both inputs oldest first. */
function alignTail(
  a: readonly IntradayBar[],
  b: readonly IntradayBar[],
  count: number,
): { ts: number[]; a: Float64Array; b: Float64Array } {
  const ts: number[] = [];
  const ca: number[] = [];
  const cb: number[] = [];
  let i = a.length - 1;
  let j = b.length - 1;
  while (i >= 0 && j >= 0 && ts.length < count) {
    if (a[i].ts === b[j].ts) {
      ts.push(a[i].ts);
      ca.push(a[i].close);
      cb.push(b[j].close);
      i--;
      j--;
    } else if (a[i].ts > b[j].ts) i--;
    else j--;
  }
  return { ts: ts.reverse(), a: Float64Array.from(ca.reverse()), b: Float64Array.from(cb.reverse()) };
}

function pairPosition(
  positions: ReadonlyMap<string, StrategyPosition>,
  a: string,
  b: string,
): { side: Side; qa: number; qb: number; broken?: string } {
  const qa = heldQty(positions, a);
  const qb = heldQty(positions, b);
  if (qa === 0 && qb === 0) return { side: 0, qa, qb };
  if (qa < 0 && qb > 0) return { side: -1, qa, qb };
  if (qa > 0 && qb < 0) return { side: 1, qa, qb };
  const broken: string =
    qa === 0 || qb === 0
      ? `only ${qa === 0 ? b : a} is held (${qa === 0 ? qb : qa} shares): a broken pair`
      : `${a} (${qa}) and ${b} (${qb}) are held on the same side: not a pair position, left alone`;
  return { side: 0, qa, qb, broken };
}

function selectionOf(
  barsA: readonly IntradayBar[],
  barsB: readonly IntradayBar[],
  bars: number,
  minCorrelation: number,
): PairSelection | null {
  const al = alignTail(barsA, barsB, bars);
  if (al.ts.length < bars) return null;
  const m = pairMoments(al.b, al.a);
  const correlation = m.sxy / Math.sqrt(m.sxx * m.syy);
  if (!(correlation >= minCorrelation)) return { correlation, pValue: NaN, halfLife: NaN, alpha: NaN, beta: NaN };
  const eg = engleGranger(al.a, al.b);
  const { alpha, beta } = eg.hedge;
  const hl = beta === beta ? halfLife(spread(al.a, al.b, beta, alpha)) : NaN;
  return { correlation, pValue: eg.pValue, halfLife: hl, alpha, beta };
}

/** z-score reading of a pair with hedge h, or the data problem that prevents one. */
function readPair(
  a: string,
  b: string,
  bars: ReadonlyMap<string, readonly IntradayBar[]>,
  hedge: number,
  lookback: number,
): { reading: Omit<PairReading, 'position' | 'event'>; priceA: number; priceB: number } | { problem: string } {
  const label = `pair ${a}/${b}`;
  const barsA = bars.get(a) ?? [];
  const barsB = bars.get(b) ?? [];
  const missing = [a, b].filter((_, k) => (k === 0 ? barsA : barsB).length === 0);
  if (missing.length > 0) return { problem: `${label}: ${missing.join(' and ')} ${missing.length === 1 ? 'has' : 'have'} no bars` };
  const lastA = barsA[barsA.length - 1].ts;
  const lastB = barsB[barsB.length - 1].ts;
  if (lastA !== lastB)
    return { problem: `${label}: the latest bars differ (${a} ${iso(lastA)}, ${b} ${iso(lastB)}), not trading on a stale leg` };
  const al = alignTail(barsA, barsB, lookback);
  if (al.ts.length < lookback) return { problem: `${label}: ${al.ts.length} aligned bars, the ${lookback}-bar z-score needs ${lookback}` };
  const s = spread(al.a, al.b, hedge);
  const z = rollingZScore(s, lookback)[lookback - 1];
  const spreadSd = std(s, 1);
  if (z !== z) return { problem: `${label}: the spread is flat or undefined over the last ${lookback} bars (no z-score)` };
  return {
    reading: { a, b, hedge, barTs: al.ts[lookback - 1], spread: s[lookback - 1], spreadMean: mean(s), spreadSd, z },
    priceA: al.a[lookback - 1],
    priceB: al.b[lookback - 1],
  };
}

interface Leg {
  symbol: string;
  action: 'BUY' | 'SELL';
  qty: number;
}

function groupSignals(r: PairReading, event: PairEventType, legs: [Leg, Leg], confidence: number, reason: string): StrategySignal[] {
  const id = `pairs:${r.a}/${r.b}:${event}:${iso(r.barTs)}`;
  const metrics: Record<string, number> = {
    z: r.z,
    spread: r.spread,
    spreadMean: r.spreadMean,
    spreadSd: r.spreadSd,
    hedgeRatio: r.hedge,
    barTs: r.barTs,
    ...(r.selection ? { correlation: r.selection.correlation, pValue: r.selection.pValue, halfLife: r.selection.halfLife } : {}),
  };
  return legs.map((leg, k) => ({
    symbol: leg.symbol,
    action: leg.action,
    confidence,
    reason,
    quantity: leg.qty,
    group: { id, leg: (k + 1) as 1 | 2 },
    metrics,
  }));
}

/**
 * Act on one pair: the reading gains its position and event; returns the
 * signals (none when no rule fires or the entry cannot be sized) and
 * whether the pair is open after it.
 */
function actOn(
  r: Omit<PairReading, 'position' | 'event'>,
  held: { side: Side; qa: number; qb: number },
  prices: { a: number; b: number },
  c: PairsConfig,
  entryAllowed: boolean,
): { reading: PairReading; signals: StrategySignal[] } {
  const event = pairDecision(held.side, r.z, c);
  const reading: PairReading = { ...r, position: held.side, event: null };
  if (event === null) return { reading, signals: [] };
  const { a, b } = r;
  const where = `pair ${a}/${b}: z ${fmt(r.z)}`;
  const stats = `spread ${a} - ${fmt(r.hedge, 4)} x ${b} = ${fmt(r.spread, 4)}, mean ${fmt(r.spreadMean, 4)}, sd ${fmt(r.spreadSd, 4)} over ${c.lookback} bars`;

  if (event === 'exit' || event === 'stop') {
    // the SELL first: a long spread sells A, a short spread sells B
    const legs: [Leg, Leg] =
      held.side === 1
        ? [
            { symbol: a, action: 'SELL', qty: held.qa },
            { symbol: b, action: 'BUY', qty: -held.qb },
          ]
        : [
            { symbol: b, action: 'SELL', qty: held.qb },
            { symbol: a, action: 'BUY', qty: -held.qa },
          ];
    const rule =
      event === 'exit'
        ? `${held.side === 1 ? '>= -' : '<= '}exit ${c.exit}: the spread reverted`
        : `${held.side === 1 ? '<= -' : '>= '}stop ${c.stop}: stop loss`;
    const reason = `${where} ${rule} (${stats}); close: ${legs.map((l) => `${l.action} ${l.qty} ${l.symbol}`).join(', ')}`;
    return { reading: { ...reading, event }, signals: groupSignals(reading, event, legs, 1, reason) };
  }

  if (!entryAllowed)
    return { reading: { ...reading, note: `${event} not taken: ${c.maxOpenPairs} pair(s) already open (maxOpenPairs)` }, signals: [] };
  const byNotional = c.notionalPerTrade / (prices.a + r.hedge * prices.b);
  const byRisk = (c.riskPerTrade * c.notionalPerTrade) / ((c.stop - c.entry) * r.spreadSd);
  const units = Math.floor(Math.min(byNotional, byRisk));
  const qa = units;
  const qb = Math.round(r.hedge * units);
  if (!(qa >= 1 && qb >= 1)) {
    return {
      reading: {
        ...reading,
        note: `${event} not taken: $${c.notionalPerTrade} buys no whole unit (${a} ${fmt(prices.a)}, ${fmt(r.hedge, 4)} x ${b} ${fmt(prices.b)})`,
      },
      signals: [],
    };
  }
  const short = event === 'enter_short';
  const legs: [Leg, Leg] = short
    ? [
        { symbol: a, action: 'SELL', qty: qa },
        { symbol: b, action: 'BUY', qty: qb },
      ]
    : [
        { symbol: b, action: 'SELL', qty: qb },
        { symbol: a, action: 'BUY', qty: qa },
      ];
  const confidence = 0.5 + 0.5 * Math.min(1, (Math.abs(r.z) - c.entry) / (c.stop - c.entry));
  const reason =
    `${where} ${short ? `>= entry ${c.entry}` : `<= -entry ${c.entry}`} (${stats}); ` +
    `${short ? 'short' : 'long'} the spread: ${legs.map((l) => `${l.action} ${l.qty} ${l.symbol}`).join(', ')}`;
  return { reading: { ...reading, event }, signals: groupSignals(reading, event, legs, confidence, reason) };
}

function evaluateFixed(inputs: StrategyInputs<PairsConfig>): PairsEvaluation {
  const { config: c, bars, positions } = inputs;
  const held = pairPosition(positions, c.symbolA, c.symbolB);
  if (held.broken) {
    // One leg alone (the other was stopped out at the venue, or refused and never unwound): no hedge is
    // left, so the leg is flattened rather than held as an outright position.
    const alone = held.qa === 0 ? { symbol: c.symbolB, qty: held.qb } : held.qb === 0 ? { symbol: c.symbolA, qty: held.qa } : null;
    const signals: StrategySignal[] = alone
      ? [
          {
            symbol: alone.symbol,
            action: alone.qty > 0 ? 'SELL' : 'BUY',
            quantity: Math.abs(alone.qty),
            confidence: 1,
            reason: `pair ${c.symbolA}/${c.symbolB}: ${held.broken.replace(', left alone', '')}; flattening it`,
          },
        ]
      : [];
    return { signals, problems: [`pair ${c.symbolA}/${c.symbolB}: ${held.broken}${alone ? ' (flattened)' : ''}`], pairs: [] };
  }
  const read = readPair(c.symbolA, c.symbolB, bars, c.hedgeRatio, c.lookback);
  if ('problem' in read) return { signals: [], problems: [read.problem], pairs: [] };
  const { reading, signals } = actOn(read.reading, held, { a: read.priceA, b: read.priceB }, c, c.maxOpenPairs >= 1);
  return { signals, problems: [], pairs: [reading] };
}

function evaluateStatistical(inputs: StrategyInputs<PairsConfig>): PairsEvaluation {
  const { config: c, bars, positions } = inputs;
  const problems: string[] = [];
  const need = Math.max(c.selectionBars, c.lookback);
  const enough = (s: string) => (bars.get(s)?.length ?? 0) >= need;
  const shortOf = (s: string) => {
    const n = bars.get(s)?.length ?? 0;
    return n === 0 ? `${s} has no bars` : `${s} has ${n} bars, the selection needs ${need}`;
  };
  const cache = new Map<string, PairSelection | null>();
  const stats = (a: string, b: string, minCorrelation: number) => {
    const key = `${a}\u0000${b}\u0000${minCorrelation}`;
    if (!cache.has(key)) cache.set(key, selectionOf(bars.get(a)!, bars.get(b)!, c.selectionBars, minCorrelation));
    return cache.get(key)!;
  };

  // 1. pairs already open: held legs of opposite signs, matched by the lowest p-value
  const held = [...positions.values()].filter((p) => p.qty !== 0).map((p) => p.symbol);
  held.sort();
  const heldSet = new Set(held);
  const options: { a: string; b: string; sel: PairSelection | null }[] = [];
  for (let i = 0; i < held.length; i++) {
    for (let j = i + 1; j < held.length; j++) {
      const [a, b] = [held[i], held[j]];
      if (Math.sign(heldQty(positions, a)) === Math.sign(heldQty(positions, b)) || !enough(a) || !enough(b)) continue;
      options.push({ a, b, sel: stats(a, b, -Infinity) });
    }
  }
  const p = (o: { sel: PairSelection | null }) => (o.sel && o.sel.pValue === o.sel.pValue ? o.sel.pValue : Infinity);
  options.sort((x, y) => p(x) - p(y) || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  const matched = new Set<string>();
  const open: { a: string; b: string; sel: PairSelection | null }[] = [];
  for (const o of options) {
    if (matched.has(o.a) || matched.has(o.b)) continue;
    matched.add(o.a);
    matched.add(o.b);
    open.push(o);
  }
  let openCount = open.length;
  for (const s of held) {
    if (matched.has(s)) continue;
    openCount++;
    problems.push(
      `${s} is held (${heldQty(positions, s)} shares) but is not a leg of a pair${enough(s) ? '' : ` (${shortOf(s)})`}: left alone`,
    );
  }

  // 2. new pairs among the candidates not held
  const listed = symbolsToScan(c.candidates, bars);
  for (const s of listed) if (!enough(s)) problems.push(shortOf(s));
  const free = listed.filter((s) => enough(s) && !heldSet.has(s)).sort();
  const ranked: { a: string; b: string; sel: PairSelection }[] = [];
  for (let i = 0; i < free.length; i++) {
    for (let j = i + 1; j < free.length; j++) {
      const sel = stats(free[i], free[j], c.minCorrelation);
      if (!sel || !(sel.correlation >= c.minCorrelation) || !(sel.pValue <= c.maxPValue)) continue;
      if (!(sel.beta > 0) || !(sel.halfLife >= c.minHalfLife && sel.halfLife <= c.maxHalfLife)) continue;
      ranked.push({ a: free[i], b: free[j], sel });
    }
  }
  ranked.sort(
    (x, y) => x.sel.pValue - y.sel.pValue || y.sel.correlation - x.sel.correlation || (x.a + '/' + x.b < y.a + '/' + y.b ? -1 : 1),
  );
  const watched: { a: string; b: string; sel: PairSelection | null }[] = [...open];
  const used = new Set(matched);
  for (const r of ranked) {
    if (watched.length >= c.maxPairs) break;
    if (used.has(r.a) || used.has(r.b)) continue;
    used.add(r.a);
    used.add(r.b);
    watched.push(r);
  }

  // 3. the rules, open pairs first, then new ones in rank order
  const signals: StrategySignal[] = [];
  const pairs: PairReading[] = [];
  for (const w of watched) {
    if (!w.sel || !(w.sel.beta === w.sel.beta)) {
      problems.push(`pair ${w.a}/${w.b}: no hedge ratio over the last ${c.selectionBars} aligned bars`);
      continue;
    }
    const read = readPair(w.a, w.b, bars, w.sel.beta, c.lookback);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const position = pairPosition(positions, w.a, w.b);
    const acted = actOn({ ...read.reading, selection: w.sel }, position, { a: read.priceA, b: read.priceB }, c, openCount < c.maxOpenPairs);
    if (acted.reading.event === 'enter_long' || acted.reading.event === 'enter_short') openCount++;
    signals.push(...acted.signals);
    pairs.push(acted.reading);
  }
  return { signals, problems, pairs };
}

/**
 * The whole evaluation of one cycle: signals, data problems and what was
 * seen on each pair. `signals` and `pairDataProblems` are its parts.
 *
 * @example
 *   evaluatePairs({ at, bars, positions, config: pairsTrading.defaults }).problems // ['pair ATEN/INGM: INGM has no bars']
 */
export function evaluatePairs(inputs: StrategyInputs<PairsConfig>): PairsEvaluation {
  return inputs.config.mode === 'fixed' ? evaluateFixed(inputs) : evaluateStatistical(inputs);
}

/**
 * Why pairs gave no signals this cycle, one sentence each, for the cycle to
 * report (a leg without bars, too few aligned bars, stale legs, broken pairs).
 *
 * @example
 *   pairDataProblems(inputs) // ['pair ATEN/INGM: INGM has no bars']
 */
export function pairDataProblems(inputs: StrategyInputs<PairsConfig>): string[] {
  return evaluatePairs(inputs).problems;
}

const positive: Check = numberIn(0, Infinity, { minExclusive: true, maxExclusive: true });

/**
 * The strategy object registered as `pairsTrading`.
 *
 * @example
 *   pairsTrading.parseConfig({ symbolA: 'ATEN', symbolB: 'INGM' })
 */
export const pairsTrading: IntradayStrategy<PairsConfig> = {
  kind: 'pairsTrading',
  defaults: PAIRS_DEFAULTS,
  parseConfig(raw) {
    const { config: c, problems } = readParams(raw, PAIRS_DEFAULTS, {
      mode: oneOf('fixed', 'statistical'),
      symbolA: symbolName,
      symbolB: symbolName,
      hedgeRatio: positive,
      entry: positive,
      exit: numberIn(0, Infinity, { maxExclusive: true }),
      stop: positive,
      lookback: integerAtLeast(2),
      notionalPerTrade: positive,
      maxOpenPairs: integerAtLeast(1),
      riskPerTrade: numberIn(0, 1, { minExclusive: true }),
      candidates: symbolList,
      selectionBars: integerAtLeast(20),
      minCorrelation: numberIn(0, 1, { minExclusive: true }),
      maxPValue: numberIn(0, 1, { minExclusive: true }),
      minHalfLife: numberIn(0, Infinity, { maxExclusive: true }),
      maxHalfLife: positive,
      maxPairs: integerAtLeast(1),
    });
    const ok = (...settings: string[]) => !problems.some((p) => settings.includes(p.setting));
    if (ok('entry', 'exit') && c.exit >= c.entry)
      problems.push({ setting: 'exit', message: `exit ${c.exit} must be less than entry ${c.entry}` });
    if (ok('entry', 'stop') && c.stop <= c.entry)
      problems.push({ setting: 'stop', message: `stop ${c.stop} must be greater than entry ${c.entry}` });
    if (c.mode === 'fixed' && ok('symbolA', 'symbolB') && c.symbolA === c.symbolB) {
      problems.push({ setting: 'symbolB', message: `symbolB ${c.symbolB} must differ from symbolA ${c.symbolA}` });
    }
    if (c.mode === 'statistical') {
      if (ok('candidates') && c.candidates.length === 1) {
        problems.push({
          setting: 'candidates',
          message: `lists one symbol (${c.candidates[0]}); list two or more, or none for every symbol with bars`,
        });
      }
      if (ok('minHalfLife', 'maxHalfLife') && c.maxHalfLife <= c.minHalfLife) {
        problems.push({
          setting: 'maxHalfLife',
          message: `maxHalfLife ${c.maxHalfLife} must be greater than minHalfLife ${c.minHalfLife}`,
        });
      }
      if (ok('selectionBars', 'lookback') && c.selectionBars < c.lookback) {
        problems.push({ setting: 'selectionBars', message: `selectionBars ${c.selectionBars} must be at least lookback ${c.lookback}` });
      }
    }
    return configOrProblems(c, problems);
  },
  symbols: (c) => (c.mode === 'fixed' ? [c.symbolA, c.symbolB] : c.candidates),
  // a margin over the minimum (lookback, resp. selectionBars, aligned bars) so that a few bars missing on one leg
  // still leave a full aligned window
  warmupBars: (c) => (c.mode === 'fixed' ? 2 * c.lookback : c.selectionBars + c.lookback),
  signals: (inputs) => evaluatePairs(inputs).signals,
};
