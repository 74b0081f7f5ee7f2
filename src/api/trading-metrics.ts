/**
 * The execution service's Prometheus metrics, registered on the project's
 * registry (src/adapters/metrics.ts `createMetrics`) so `/metrics` on the API
 * serves them beside the process metrics. Latency is signal received ->
 * answer ready (order acknowledged, or rejection recorded).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const TRADING_METRIC_NAMES = {
  signalLatency: 'quant_signal_latency_seconds',
  signals: 'quant_signals_total',
  rejections: 'quant_risk_rejections_total',
  orders: 'quant_orders_total',
  wsClients: 'quant_ws_clients',
} as const;

/** Seconds; the goal is p95 under 10 ms. */
const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface TradingMetrics {
  recordSignal(strategy: string, outcome: 'executed' | 'rejected' | 'held' | 'error', latencyMs: number): void;
  recordRejection(rule: string): void;
  setWsClients(n: number): void;
}

export function createTradingMetrics(registry: Registry): TradingMetrics {
  const latency = new Histogram({
    name: TRADING_METRIC_NAMES.signalLatency,
    help: 'Signal received to answer ready (order acknowledged or rejection recorded), by outcome.',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const signals = new Counter({
    name: TRADING_METRIC_NAMES.signals,
    help: 'Signals answered, by strategy and outcome.',
    labelNames: ['strategy', 'outcome'] as const,
    registers: [registry],
  });
  const rejections = new Counter({
    name: TRADING_METRIC_NAMES.rejections,
    help: 'Signals rejected by the risk manager, by rule.',
    labelNames: ['rule'] as const,
    registers: [registry],
  });
  const orders = new Counter({
    name: TRADING_METRIC_NAMES.orders,
    help: 'Orders acknowledged by the broker, by strategy.',
    labelNames: ['strategy'] as const,
    registers: [registry],
  });
  const wsClients = new Gauge({ name: TRADING_METRIC_NAMES.wsClients, help: 'Connected WebSocket clients.', registers: [registry] });
  return {
    recordSignal(strategy, outcome, latencyMs) {
      latency.observe({ outcome }, latencyMs / 1000);
      signals.inc({ strategy, outcome });
      if (outcome === 'executed') orders.inc({ strategy });
    },
    recordRejection: (rule) => rejections.inc({ rule }),
    setWsClients: (n) => wsClients.set(n),
  };
}
