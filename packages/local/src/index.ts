export * from './dynamo-local';
export * from './platform';
export * from './table-setup';
