export * from './codes';
export * from './staffing';
