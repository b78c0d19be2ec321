export * from './counter-store';
export * from './nightly';
export * from './reconcile';
export * from './updater';
