export * from './deadline-index';
export * from './sweeper';
