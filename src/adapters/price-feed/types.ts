/**
 * The price feed port: where a simulated venue (the local paper broker) gets
 * its last prices. One small interface and one adapter per file: a manual
 * feed for tests and demos (manual.ts), a replay of stored daily bars
 * (replay.ts); a live quote provider would be a third. Prices are checked at
 * this boundary: a NaN, infinite, zero or negative price never enters a venue.
 */
import { QuantError } from '../../domain/errors';
import type { PriceTick } from '../../domain/paper-matching';

export type { PriceTick };

export interface PriceFeed {
  /** The last tick seen for `symbol`, if any. */
  last(symbol: string): PriceTick | undefined;
  /** Called with every new tick, in order; returns the unsubscribe function. */
  subscribe(listener: (tick: PriceTick) => void): () => void;
  /** Stop timers; no tick is delivered afterwards. */
  close(): Promise<void>;
}

/** An impossible price or time reached the feed (corrupt data is worse than no data). */
export class InvalidPriceError extends QuantError {
  readonly type = 'InvalidPrice';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPriceError';
  }
}

/** Throws InvalidPriceError naming the symbol unless the tick is a positive finite price at a finite time. */
export function checkTick(tick: PriceTick): PriceTick {
  if (!tick.symbol) throw new InvalidPriceError(`price tick without a symbol (price ${tick.price})`);
  if (!Number.isFinite(tick.price) || tick.price <= 0) throw new InvalidPriceError(`price for ${tick.symbol} is ${tick.price}`);
  if (!Number.isFinite(tick.at)) throw new InvalidPriceError(`price time for ${tick.symbol} is ${tick.at}`);
  return tick;
}

/** The listener set and last prices every feed keeps; a throwing listener does not stop the others. */
export function createTickHub() {
  const listeners = new Set<(tick: PriceTick) => void>();
  const lastBySymbol = new Map<string, PriceTick>();
  let closed = false;
  return {
    last: (symbol: string) => lastBySymbol.get(symbol),
    subscribe(listener: (tick: PriceTick) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(tick: PriceTick): void {
      if (closed) return;
      lastBySymbol.set(tick.symbol, checkTick(tick));
      const errors: unknown[] = [];
      for (const l of [...listeners]) {
        try {
          l(tick);
        } catch (e) {
          errors.push(e);
        }
      }
      if (errors.length > 0) throw errors[0];
    },
    close(): void {
      closed = true;
      listeners.clear();
    },
  };
}
