export * from './calendar';
export * from './china-holidays';
export * from './zoned-time';
