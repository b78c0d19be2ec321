export * from './dynamo-local';
export * from './table-setup';
