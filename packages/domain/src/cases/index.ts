export * from './allowed';
export * from './case';
export * from './commands';
export * from './events';
export * from './limits';
export * from './machine';
