export * from './contracts';
export * from './in-process-publisher';
export * from './in-process-queue';
export * from './lambda-event';
export * from './poller';
export * from './publisher';
export * from './queues';
export * from './sqs-publisher';
