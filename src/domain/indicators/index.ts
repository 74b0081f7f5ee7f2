/** The technical indicators, one module each, TA-Lib conventions throughout. */
export { sma } from './sma';
export { ema } from './ema';
export { rsi } from './rsi';
export { macd, type MacdResult } from './macd';
export { bollingerBands, type BollingerResult } from './bollinger';
