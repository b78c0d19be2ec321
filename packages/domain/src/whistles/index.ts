export * from './allowed';
export * from './commands';
export * from './events';
export * from './machine';
export * from './proposal';
export * from './settings';
export * from './whistle';
