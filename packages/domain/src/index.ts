export * from './catalog';
export * from './clock';
export * from './errors';
export * from './identity';
export * from './ids';
export * from './org';
export * from './schemas/common';
export * from './schemas/tenant';
