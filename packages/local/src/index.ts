export * from './demo-hierarchy';
export * from './dynamo-local';
export * from './generate-history';
export * from './platform';
export * from './seed';
export * from './table-setup';
