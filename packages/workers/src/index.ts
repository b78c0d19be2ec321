export * from './events/events-worker';
export * from './events/timeline';
