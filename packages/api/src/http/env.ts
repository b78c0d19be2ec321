import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '@civicgrid/domain';
import type { EventPublisher } from '@civicgrid/queue';
import type { Store } from '@civicgrid/storage';

/** What the API needs from the outside world; the runtime (Lambda or local) provides it. */
export interface ApiDeps {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  logger: Logger;
}

export interface ApiEnv {
  Variables: {
    requestId: string;
    logger: Logger;
  };
}
