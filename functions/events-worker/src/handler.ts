import { caseReactions } from '@civicgrid/api';
import { awsDependencies } from '@civicgrid/aws-runtime';
import { queueDefinitions } from '@civicgrid/queue';
import { createEventsWorker } from '@civicgrid/workers';

const { store, logger, clock, events } = awsDependencies();

export const handler = createEventsWorker({
  store,
  logger,
  fifo: queueDefinitions.events.fifo,
  reactions: caseReactions({ store, clock, events }),
});
