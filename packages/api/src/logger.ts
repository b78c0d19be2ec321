import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs, the same on Lambda and locally (Powertools reads LOG_LEVEL). */
export const createLogger = (serviceName = 'civicgrid-api') => new Logger({ serviceName });
