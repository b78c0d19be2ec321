export * from './contributions';
export * from './counters';
export * from './csv';
export * from './figures';
