/**
 * Which order updates are news. A venue reports an order several times (new,
 * accepted, partially filled, filled) and not always in the order a reader
 * saw them: the paper venue fills a market order before `submitOrder`
 * returns, so the acknowledgement already says "filled" when the venue's
 * "new" update is booked. An update is news when it moves the order forward:
 * a later stage of its life, or more shares filled. Everything else would
 * show a reader a step backwards or a repeat.
 */

/** The stage of an order's life a status belongs to; a final status is the last stage. */
const STAGE: Record<string, number> = {
  pending_new: 0,
  new: 1,
  accepted: 1,
  partially_filled: 2,
  filled: 3,
  canceled: 3,
  expired: 3,
  rejected: 3,
};

export function orderStage(status: string): number {
  return STAGE[status] ?? 0;
}

export interface OrderProgress {
  /** True (and remembered) when `status` / `filledQty` move the order past what was last accepted for it. */
  advances(orderKey: string, status: string, filledQty: number): boolean;
  size(): number;
}

/**
 * Remembers the last accepted state of the most recent `capacity` orders
 * (default 20,000, a few MB). An order forgotten that long ago whose update
 * arrives is news again: a repeat, never a loss.
 */
export function createOrderProgress(capacity = 20_000): OrderProgress {
  const last = new Map<string, { stage: number; filledQty: number }>();
  return {
    advances(orderKey, status, filledQty) {
      const stage = orderStage(status);
      const seen = last.get(orderKey);
      if (seen && stage <= seen.stage && filledQty <= seen.filledQty) return false;
      last.delete(orderKey); // re-inserted last: the map's order is the age of the updates
      last.set(orderKey, { stage: Math.max(stage, seen?.stage ?? 0), filledQty: Math.max(filledQty, seen?.filledQty ?? 0) });
      if (last.size > capacity) last.delete(last.keys().next().value!);
      return true;
    },
    size: () => last.size,
  };
}
