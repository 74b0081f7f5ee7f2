/**
 * A price feed that replays stored daily bars: each bar's open at 09:30 and
 * close at 15:59 New York time (src/domain/market-session.ts dailyBarTicks),
 * instant by instant. The bars come from the market_data table
 * (`barsFromMarketData`) or straight from a provider such as the seeded
 * synthetic market (`barsFromProvider`). The feed carries its own clock
 * (`now()` is the instant last replayed), so a paper venue driven by it
 * (`createPaperBroker({ now: feed.now })`) sees sessions as they were.
 */
import { dailyBarTicks, type DailyBarPrices } from '../../domain/market-session';
import type { MarketDataRepo } from '../postgres/market-data-repo';
import type { DataProvider } from '../market-data/types';
import { QuantError } from '../../domain/errors';
import { checkTick, createTickHub, type PriceFeed, type PriceTick } from './types';

/** The bars asked for to replay are not there (an unknown symbol, an empty range). */
export class ReplayDataError extends QuantError {
  readonly type = 'ReplayData';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ReplayDataError';
  }
}

export interface ReplayPriceFeed extends PriceFeed {
  /** The instant last replayed (epoch ms); before the first step, the first instant. NaN when there are no bars. */
  now(): number;
  /** Replay the next instant (every tick at that time); returns its ticks, [] when the replay is over. */
  step(): PriceTick[];
  /** Instants left. */
  remaining(): number;
  /** Step every `intervalMs` until the end or close(); resolves then. */
  play(intervalMs: number): Promise<void>;
}

/**
 * @example
 *   const feed = createReplayPriceFeed(await barsFromProvider(createSyntheticProvider({ seed: 7 }), ['AAA'], '2026-01-05', '2026-01-30'));
 *   feed.step(); // the opens of 2026-01-05
 */
export function createReplayPriceFeed(bars: readonly DailyBarPrices[]): ReplayPriceFeed {
  const ticks = dailyBarTicks(bars);
  // Check everything up front: a bad bar found mid-replay would leave a venue half-moved.
  for (const t of ticks) checkTick(t);
  const hub = createTickHub();
  let next = 0;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let clock = ticks.length > 0 ? ticks[0].at : NaN;
  const instantsFrom = (i: number) => new Set(ticks.slice(i).map((t) => t.at)).size;
  const feed: ReplayPriceFeed = {
    last: hub.last,
    subscribe: hub.subscribe,
    now: () => clock,
    remaining: () => instantsFrom(next),
    step() {
      if (closed || next >= ticks.length) return [];
      const at = ticks[next].at;
      const out: PriceTick[] = [];
      while (next < ticks.length && ticks[next].at === at) out.push(ticks[next++]);
      clock = at;
      for (const t of out) hub.publish(t);
      return out;
    },
    play(intervalMs) {
      return new Promise((resolve) => {
        const tick = () => {
          if (closed || feed.step().length === 0) {
            timer = undefined;
            resolve();
            return;
          }
          timer = setTimeout(tick, intervalMs);
        };
        tick();
      });
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      hub.close();
    },
  };
  return feed;
}

/** Bars of `symbols` over [from, to] from the market_data table (the daily pipeline's hot store); a symbol without bars is a ReplayDataError naming it. */
export async function barsFromMarketData(
  repo: MarketDataRepo,
  symbols: readonly string[],
  from: string,
  to: string,
): Promise<DailyBarPrices[]> {
  const bars = await repo.loadBars(symbols, from, to);
  const missing = symbols.filter((s) => !bars.some((b) => b.symbol === s));
  if (missing.length > 0) throw new ReplayDataError(`no stored bars for ${missing.join(', ')} in market_data from ${from} to ${to}`);
  return bars;
}

/** Bars straight from a provider (e.g. the synthetic market); an unknown symbol is a ReplayDataError naming it. */
export async function barsFromProvider(
  provider: DataProvider,
  symbols: readonly string[],
  from: string,
  to: string,
): Promise<DailyBarPrices[]> {
  const r = await provider.fetchEod(symbols, from, to);
  if (r.failures.length > 0)
    throw new ReplayDataError(`no bars for ${r.failures.map((f) => `${f.symbol} (${f.type})`).join(', ')} from ${provider.name}`);
  return r.bars;
}
