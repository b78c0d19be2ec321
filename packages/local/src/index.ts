export * from './demo-hierarchy';
export * from './dynamo-local';
export * from './platform';
export * from './seed';
export * from './table-setup';
