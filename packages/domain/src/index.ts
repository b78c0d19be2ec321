export * from './clock';
export * from './errors';
export * from './ids';
export * from './schemas/common';
