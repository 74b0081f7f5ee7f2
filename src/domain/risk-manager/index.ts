/** The execution service's risk manager: types and the pure decision function. */
export * from './types';
export { evaluateSignal, sizePosition, portfolioRisk, checkSignalLevels } from './evaluate';
