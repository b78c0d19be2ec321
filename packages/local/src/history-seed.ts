import type { Logger } from '@aws-lambda-powertools/logger';
import type { LocalAttachmentStore } from '@civicgrid/attachments';
import { ConflictError } from '@civicgrid/domain';
import type { Store } from '@civicgrid/storage';
import { generateHistory } from './generate-history';
import { DEMO_TENANT } from './seed';

const markerKey = { pk: ['settings'], sk: ['history-generated'] };

/**
 * Generates the demo city's history once per data folder: a marker is claimed first, so a
 * restart (or a second platform on the same data) does not add another three months.
 */
export const seedHistoryOnce = async (
  store: Store,
  history: { cases: number; whistles?: number },
  logger: Logger,
  attachments: LocalAttachmentStore,
) => {
  const tenant = store.tenant(DEMO_TENANT);
  try {
    await tenant.create({
      key: markerKey,
      entity: 'history-marker',
      data: { ...history, startedAt: new Date().toISOString() },
    });
  } catch (error) {
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
  logger.info('generating the demo city history', history);
  const started = Date.now();
  const summary = await generateHistory({
    store,
    cases: history.cases,
    whistles: history.whistles ?? 0,
    end: new Date(),
    attachments,
    onProgress: (done) => logger.info('history progress', { cases: done, of: history.cases }),
  });
  logger.info('demo city history generated', {
    ...summary,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  return summary;
};
