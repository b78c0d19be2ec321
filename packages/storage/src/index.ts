export * from './chunks';
export * from './client';
export * from './cursor';
export * from './keys';
export * from './rate-limiter';
export * from './store';
export * from './table';
export * from './tenant-store';
