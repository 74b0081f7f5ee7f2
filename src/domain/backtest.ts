/**
 * The backtest engine of WF6: replay the pension allocation over past
 * signals (rebalanced on the signal dates the rebalance policy makes due,
 * within the same no-trade band as WF4, whole shares, the full cost
 * model) and an equal-weight buy-and-hold benchmark of the first signal
 * date's buy and strong-buy names, then compare them. Pure and
 * deterministic; the activities only load data and store results.
 *
 * No look-ahead: a signal dated d executes at the close of the first
 * trading day t with dates[t] >= d, at closes[t], and the holdings it buys
 * earn only the moves after that close. Prices are forward-filled from the
 * past only (a held symbol without a bar keeps its last close).
 */
import { pensionAllocation, type AllocationCandidate, type AllocationPolicy } from './allocation';
import { DEFAULT_COST_MODEL, type CostModel } from './costs';
import { DomainInputError } from './errors';
import { ratioAvailability } from './metric-availability';
import { generateOrders } from './orders';
import { applyFill, emptyPortfolio, type PortfolioState } from './portfolio';
import { applyNoTradeBand, DAILY_NO_BAND, isRebalanceDue, resolveRebalancePolicy, type RebalancePolicy } from './rebalance-policy';
import { performanceSummary, type PerformanceSummary } from './risk';
import { tradingSeries, type TradingSeries } from './turnover';

/** Closes of every symbol on a common trading calendar. */
export interface BacktestMarket {
  /** Trading days, YYYY-MM-DD, strictly ascending. */
  dates: readonly string[];
  symbols: readonly string[];
  /** closes[k][t]: close of symbols[k] on dates[t]; NaN (or <= 0) where there is no bar. */
  closes: readonly ArrayLike<number>[];
}

/** The signals of one date (the candidates of the allocation). */
export interface SignalDay {
  /** YYYY-MM-DD of the signal; it trades at this day's close or the next trading day's. */
  date: string;
  candidates: AllocationCandidate[];
}

export interface BacktestParams {
  initialCapital: number;
  costModel?: CostModel;
  policy?: Partial<AllocationPolicy>;
  /** Trades below this notional are skipped (default 100, as in WF4). */
  minTradeValue?: number;
  /** Frequency and no-trade band, as WF4's (default DEFAULT_REBALANCE_POLICY). */
  rebalance?: Partial<RebalancePolicy>;
}

/** One simulated portfolio. */
export interface SimulationResult {
  /** Dates of the curve: from the first execution day to the last market day. */
  dates: string[];
  /** Cash + positions at each close, after that day's trades and costs. */
  equity: number[];
  /**
   * Period returns, one per curve point: returns[0] = equity[0] / initialCapital - 1
   * (the first day's costs), returns[i] = equity[i] / equity[i-1] - 1.
   */
  returns: number[];
  initialCapital: number;
  /** Days on which trades executed (the signal dates mapped onto trading days). */
  executionDates: string[];
  trades: number;
  costs: number;
  /** Notional bought + sold at each curve point (dollars). */
  traded: number[];
  /** Costs paid at each curve point (dollars). */
  dayCosts: number[];
  /** Notes such as candidates skipped for lack of a price, or an infeasible allocation. */
  notes: string[];
}

/**
 * Headline statistics of one curve: `performanceSummary`'s, less VaR and win
 * rate (formulas in risk.ts / returns.ts), with annual turnover, total costs
 * (a fraction of the initial capital) and cost drag (turnover.ts); NaN when
 * the curve has no trading series.
 */
export type BacktestMetrics = Omit<PerformanceSummary, 'var' | 'winRate' | 'turnoverAnnual' | 'costsTotal' | 'costDrag'> & {
  turnoverAnnual: number;
  costsTotal: number;
  costDrag: number;
};

export interface BacktestComparison {
  signal: BacktestMetrics;
  benchmark: BacktestMetrics;
  /** signal - benchmark for each metric (for maxDrawdown, positive = the signal portfolio fell further). */
  excess: Omit<BacktestMetrics, 'periods'>;
}

/** Index of the first trading day on or after `date`, or -1. Binary search. */
export function executionIndex(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid] < date) lo = mid + 1;
    else hi = mid;
  }
  return lo < dates.length ? lo : -1;
}

function checkInput(market: BacktestMarket, params: BacktestParams): void {
  if (!(params.initialCapital > 0) || !Number.isFinite(params.initialCapital)) {
    throw new DomainInputError('INVALID_PARAMETER', `initial capital is ${params.initialCapital}`);
  }
  if (market.closes.length !== market.symbols.length) {
    throw new DomainInputError('LENGTH_MISMATCH', `${market.symbols.length} symbols but ${market.closes.length} close series`);
  }
  for (let k = 0; k < market.symbols.length; k++) {
    if (market.closes[k].length !== market.dates.length) {
      throw new DomainInputError(
        'LENGTH_MISMATCH',
        `closes of ${market.symbols[k]}: ${market.closes[k].length} values for ${market.dates.length} dates`,
      );
    }
  }
  for (let t = 1; t < market.dates.length; t++) {
    if (!(market.dates[t] > market.dates[t - 1]))
      throw new DomainInputError('INVALID_PARAMETER', `dates not ascending at ${market.dates[t]}`);
  }
}

/** Walks the calendar keeping each symbol's last close seen so far (never a later one). */
function lastPrices(market: BacktestMarket) {
  const index = new Map(market.symbols.map((s, k) => [s, k]));
  const last = new Float64Array(market.symbols.length).fill(NaN);
  return {
    index,
    advance(t: number) {
      for (let k = 0; k < last.length; k++) {
        const p = market.closes[k][t];
        if (p > 0) last[k] = p;
      }
    },
    price(symbol: string): number {
      const k = index.get(symbol);
      return k === undefined ? NaN : last[k];
    },
  };
}

function markToMarket(state: PortfolioState, price: (s: string) => number): number {
  let v = state.cash;
  for (const [s, pos] of Object.entries(state.positions)) v += pos.shares * price(s);
  return v;
}

function rebalanceTo(
  state: PortfolioState,
  targetWeights: Record<string, number>,
  price: (s: string) => number,
  params: BacktestParams,
  policy: RebalancePolicy,
): { state: PortfolioState; trades: number; costs: number; traded: number } {
  const prices: Record<string, number> = {};
  const holdings: Record<string, number> = {};
  for (const [s, pos] of Object.entries(state.positions)) {
    holdings[s] = pos.shares;
    prices[s] = price(s);
  }
  for (const s of Object.keys(targetWeights)) prices[s] = price(s);
  const cash = Math.max(0, state.cash);
  const plan = generateOrders({
    targetWeights: applyNoTradeBand(targetWeights, holdings, prices, cash, policy).weights,
    holdings,
    prices,
    cash,
    minTradeValue: params.minTradeValue ?? 100,
    costModel: params.costModel ?? DEFAULT_COST_MODEL,
  });
  let next = state;
  let costs = 0;
  let traded = 0;
  for (const o of plan.orders) {
    next = applyFill(next, { symbol: o.symbol, side: o.side, shares: o.shares, price: o.price, cost: o.cost.total });
    costs += o.cost.total;
    traded += o.notional;
  }
  return { state: next, trades: plan.orders.length, costs, traded };
}

function finish(
  dates: string[],
  equity: number[],
  initialCapital: number,
  extra: Omit<SimulationResult, 'dates' | 'equity' | 'returns' | 'initialCapital'>,
): SimulationResult {
  const returns = equity.map((v, i) => v / (i === 0 ? initialCapital : equity[i - 1]) - 1);
  return { dates, equity, returns, initialCapital, ...extra };
}

/**
 * The signal portfolio: on each signal day's execution close that the
 * rebalance policy makes due (isRebalanceDue with the last execution date:
 * the first signal day, then the first signal day of each later period;
 * with `daily`, every signal day), target weights = pensionAllocation(candidates
 * with a price so far, policy), then the no-trade band (applyNoTradeBand),
 * generateOrders (whole shares, costs, minimum trade) and applyFill; every
 * close in between is marked to market. Signal days that are not due do
 * not trade, sells included (a name whose target became 0 is sold at the
 * next rebalance, as in WF4). Candidates without any close up to the
 * execution day are left out; infeasible caps are noted once with the
 * number of days. Signals after the last market day are ignored (noted).
 * No signal day -> an empty result.
 * Bad input (capital <= 0, lengths that disagree, unsorted dates) -> DomainInputError.
 *
 * @example
 *   simulateSignalPortfolio(market, [{ date: '2024-01-02', candidates }], { initialCapital: 25_000 }).equity
 */
export function simulateSignalPortfolio(
  market: BacktestMarket,
  signalDays: readonly SignalDay[],
  params: BacktestParams,
): SimulationResult {
  checkInput(market, params);
  const notes: string[] = [];
  // Signal days on the same execution day: the latest signal date wins (it is the newest information at that close).
  const byExec = new Map<number, SignalDay>();
  for (const d of [...signalDays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    const t = executionIndex(market.dates, d.date);
    if (t < 0) {
      notes.push(`signal of ${d.date} is after the last market day; ignored`);
      continue;
    }
    byExec.set(t, d);
  }
  if (byExec.size === 0)
    return finish([], [], params.initialCapital, { executionDates: [], trades: 0, costs: 0, traded: [], dayCosts: [], notes });
  const policy = resolveRebalancePolicy(params.rebalance);
  const first = Math.min(...byExec.keys());
  const px = lastPrices(market);
  for (let t = 0; t < first; t++) px.advance(t);
  let state = emptyPortfolio(params.initialCapital);
  const dates: string[] = [];
  const equity: number[] = [];
  const executionDates: string[] = [];
  const traded: number[] = [];
  const dayCosts: number[] = [];
  const unpricedDays: string[] = [];
  const infeasibleDays: { date: string; note: string }[] = [];
  let trades = 0;
  let costs = 0;
  for (let t = first; t < market.dates.length; t++) {
    px.advance(t);
    const day = byExec.get(t);
    let tradedToday = 0;
    let costsToday = 0;
    if (day && isRebalanceDue(market.dates[t], executionDates.at(-1) ?? null, policy.frequency)) {
      const priced = day.candidates.filter((c) => px.price(c.symbol) > 0);
      if (priced.length < day.candidates.length) unpricedDays.push(day.date);
      const alloc = pensionAllocation(priced, params.policy);
      if (!alloc.feasible && alloc.note) infeasibleDays.push({ date: day.date, note: alloc.note });
      const r = rebalanceTo(state, alloc.weights, px.price, params, policy);
      state = r.state;
      trades += r.trades;
      costs += r.costs;
      tradedToday = r.traded;
      costsToday = r.costs;
      executionDates.push(market.dates[t]);
    }
    dates.push(market.dates[t]);
    equity.push(markToMarket(state, px.price));
    traded.push(tradedToday);
    dayCosts.push(costsToday);
  }
  if (unpricedDays.length > 0)
    notes.push(
      `candidates without a price skipped on ${unpricedDays.length} rebalance date(s) (${unpricedDays[0]} .. ${unpricedDays.at(-1)})`,
    );
  if (infeasibleDays.length > 0) {
    const f = infeasibleDays[0];
    notes.push(
      `caps left weight in cash on ${infeasibleDays.length} rebalance date(s) (${f.date} .. ${infeasibleDays.at(-1)!.date}); first: ${f.note}`,
    );
  }
  return finish(dates, equity, params.initialCapital, { executionDates, trades, costs, traded, dayCosts, notes });
}

/**
 * The benchmark: on the execution close of the first signal day, equal
 * weights 1/m over its m buy and strong-buy names that have a price (no
 * caps, no cash reserve), bought in whole shares with the same cost model,
 * then held to the end. No such name -> the capital stays in cash (noted).
 *
 * @example
 *   simulateBuyAndHold(market, signalDays[0], { initialCapital: 25_000 }).equity
 */
export function simulateBuyAndHold(market: BacktestMarket, firstDay: SignalDay | undefined, params: BacktestParams): SimulationResult {
  checkInput(market, params);
  const notes: string[] = [];
  const t0 = firstDay ? executionIndex(market.dates, firstDay.date) : -1;
  if (!firstDay || t0 < 0)
    return finish([], [], params.initialCapital, {
      executionDates: [],
      trades: 0,
      costs: 0,
      traded: [],
      dayCosts: [],
      notes: ['no first signal day within the market dates'],
    });
  const px = lastPrices(market);
  for (let t = 0; t < t0; t++) px.advance(t);
  let state = emptyPortfolio(params.initialCapital);
  const dates: string[] = [];
  const equity: number[] = [];
  let trades = 0;
  let costs = 0;
  const traded: number[] = [];
  const dayCosts: number[] = [];
  for (let t = t0; t < market.dates.length; t++) {
    px.advance(t);
    traded.push(0);
    dayCosts.push(0);
    if (t === t0) {
      const names = firstDay.candidates.filter(
        (c) => (c.recommendation === 'buy' || c.recommendation === 'strong_buy') && px.price(c.symbol) > 0,
      );
      if (names.length === 0) notes.push(`${firstDay.date}: no buy or strong-buy name with a price; the benchmark holds cash`);
      const w = Object.fromEntries(names.map((c) => [c.symbol, 1 / names.length]));
      // one purchase from cash: no band (a band would only keep small targets unbought)
      const r = rebalanceTo(state, w, px.price, params, DAILY_NO_BAND);
      state = r.state;
      trades = r.trades;
      costs = r.costs;
      traded[0] = r.traded;
      dayCosts[0] = r.costs;
    }
    dates.push(market.dates[t]);
    equity.push(markToMarket(state, px.price));
  }
  return finish(dates, equity, params.initialCapital, { executionDates: [market.dates[t0]], trades, costs, traded, dayCosts, notes });
}

/**
 * Metrics of one simulated curve from its period returns (`returns`, whose
 * first element includes the first day's costs against the initial
 * capital): performanceSummary with P = 252 and the annual risk-free rate
 * (Sharpe on excess returns with rf_p = (1 + rf)^(1/252) - 1, Sortino with
 * target rf_p, drawdown and Calmar on wealth starting at 1 = the capital),
 * plus turnover, total costs and cost drag from `trading` (tradingSeries of
 * the curve; NaN without it). An empty curve -> NaN metrics. Below
 * MIN_PERIODS_FOR_RATIOS (20) periods the annualised figures (CAGR,
 * volatility, Sharpe, Sortino, Calmar, annual turnover, cost drag) are
 * NaN: a few days extrapolated to a year mislead (`ratioAvailability`
 * gives the reason the report prints); total return, max drawdown and
 * total costs stay.
 *
 * @example
 *   backtestMetrics(sim.returns, 0.05, 252, tradingSeries(sim)).costDrag
 */
export function backtestMetrics(
  returns: readonly number[],
  riskFreeRate: number,
  periodsPerYear = 252,
  trading?: TradingSeries,
): BacktestMetrics {
  const s = performanceSummary(returns, { periodsPerYear, riskFreeRate, trading });
  const shown = ratioAvailability(s.periods).available;
  const annualised = (x: number) => (shown ? x : NaN);
  return {
    turnoverAnnual: annualised(s.turnoverAnnual ?? NaN),
    costsTotal: s.costsTotal ?? NaN,
    costDrag: annualised(s.costDrag ?? NaN),
    periods: s.periods,
    totalReturn: s.totalReturn,
    cagr: annualised(s.cagr),
    volatility: annualised(s.volatility),
    sharpe: annualised(s.sharpe),
    sortino: annualised(s.sortino),
    maxDrawdown: s.maxDrawdown,
    calmar: annualised(s.calmar),
  };
}

/**
 * Compare the two portfolios: each one's metrics and the excess (signal -
 * benchmark) of every metric.
 *
 * @example
 *   compareBacktests(signalSim, benchmarkSim, 0.05).excess.cagr
 */
export function compareBacktests(signal: SimulationResult, benchmark: SimulationResult, riskFreeRate: number): BacktestComparison {
  const a = backtestMetrics(signal.returns, riskFreeRate, 252, tradingSeries(signal));
  const b = backtestMetrics(benchmark.returns, riskFreeRate, 252, tradingSeries(benchmark));
  return {
    signal: a,
    benchmark: b,
    excess: {
      totalReturn: a.totalReturn - b.totalReturn,
      cagr: a.cagr - b.cagr,
      volatility: a.volatility - b.volatility,
      sharpe: a.sharpe - b.sharpe,
      sortino: a.sortino - b.sortino,
      maxDrawdown: a.maxDrawdown - b.maxDrawdown,
      calmar: a.calmar - b.calmar,
      turnoverAnnual: a.turnoverAnnual - b.turnoverAnnual,
      costsTotal: a.costsTotal - b.costsTotal,
      costDrag: a.costDrag - b.costDrag,
    },
  };
}

/**
 * Calendar-month returns of a curve: for each YYYY-MM, the last equity of
 * the month over the last equity of the previous month (the initial
 * capital for the first month), minus 1.
 *
 * @example
 *   monthlyReturns(sim) // [{ month: '2024-01', return: 0.012 }, ...]
 */
export function monthlyReturns(sim: Pick<SimulationResult, 'dates' | 'equity' | 'initialCapital'>): { month: string; return: number }[] {
  const out: { month: string; return: number }[] = [];
  let base = sim.initialCapital;
  for (let i = 0; i < sim.dates.length; i++) {
    const month = sim.dates[i].slice(0, 7);
    const endOfMonth = i === sim.dates.length - 1 || sim.dates[i + 1].slice(0, 7) !== month;
    if (!endOfMonth) continue;
    out.push({ month, return: sim.equity[i] / base - 1 });
    base = sim.equity[i];
  }
  return out;
}
