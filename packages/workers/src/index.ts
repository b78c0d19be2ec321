export * from './analytics';
export * from './deadlines';
export * from './events/events-worker';
export * from './events/notifications';
export * from './events/timeline';
