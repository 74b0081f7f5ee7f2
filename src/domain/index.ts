/**
 * The pure quant domain library: returns and risk, indicators, signal
 * classifications, screening and clustering, scoring, allocation, costs,
 * orders, portfolio bookkeeping, pairs statistics and the fan-out kernel.
 * No I/O, no clock, no unseeded randomness; workflows may import it.
 */
export * from './errors';
export * from './stats';
export * from './random';
export * from './returns';
export * from './risk';
export * from './indicators';
export * from './signals';
export * from './screening';
export * from './kmeans';
export * from './scoring';
export * from './allocation';
export * from './costs';
export * from './orders';
export * from './portfolio';
export * from './ols';
export * from './pairs';
export * from './symbol-analysis';
export * from './backtest';
export * from './monitoring';
export * from './metric-availability';
