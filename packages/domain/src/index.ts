export * from './clock';
export * from './errors';
export * from './identity';
export * from './ids';
export * from './schemas/common';
