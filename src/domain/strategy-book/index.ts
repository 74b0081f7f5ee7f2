export * from './book';
export * from './day-summary';
export * from './risk-check';
export * from './books';
