/** Row -> JSON shapes of the HTTP and WebSocket answers (snake_case, as the signal body), and the one way back (a strategy patch). */
import type { BrokerPosition } from '../adapters/broker/types';
import type { OrderRow } from '../adapters/postgres/trading-repo';
import type { StrategyPatch, StrategyRow } from '../adapters/postgres/strategy-repo';
import type { StrategyPatchBody } from './schemas';

export const orderToWire = (o: OrderRow) => ({
  id: o.id,
  signal_id: o.signalId,
  client_order_id: o.clientOrderId,
  broker: o.broker,
  broker_order_id: o.brokerOrderId,
  strategy_id: o.strategyId,
  symbol: o.symbol,
  side: o.side,
  qty: o.qty,
  order_type: o.orderType,
  limit_price: o.limitPrice,
  stop_loss: o.stopLoss,
  take_profit: o.takeProfit,
  status: o.status,
  filled_qty: o.filledQty,
  filled_avg_price: o.filledAvgPrice,
  submitted_at: o.submittedAt,
  updated_at: o.updatedAt,
});

export const positionToWire = (p: BrokerPosition) => ({
  symbol: p.symbol,
  qty: p.qty,
  avg_entry_price: p.avgEntryPrice,
  current_price: p.currentPrice,
  market_value: p.marketValue,
  unrealized_pl: p.marketValue - p.qty * p.avgEntryPrice,
});

export const strategyToWire = (s: StrategyRow) => ({
  name: s.name,
  kind: s.kind,
  params: s.params,
  enabled: s.enabled,
  confidence_threshold: s.confidenceThreshold,
  max_position_size: s.maxPositionSize,
  stop_loss_pct: s.stopLossPct,
  max_single_position: s.maxSinglePosition,
  protective_stops: s.protectiveStops !== false,
  updated_at: s.updatedAt,
});

/** A checked PATCH /strategies body (or `quant strategies set`'s settings) -> the repo's patch. */
export const strategyPatchFromWire = (b: StrategyPatchBody): StrategyPatch => ({
  enabled: b.enabled,
  confidenceThreshold: b.confidence_threshold,
  maxPositionSize: b.max_position_size,
  stopLossPct: b.stop_loss_pct,
  maxSinglePosition: b.max_single_position,
  protectiveStops: b.protective_stops,
  kind: b.kind,
  params: b.params,
});
