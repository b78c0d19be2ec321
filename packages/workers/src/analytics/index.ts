export * from './counter-store';
export * from './reconcile';
export * from './updater';
