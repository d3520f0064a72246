import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Store } from './store';
import { openSqliteStore } from './sqlite';

/** Picks the backend from STORE. */
export async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (config.STORE === 'azure-table') {
    throw new Error('STORE=azure-table is not available in this build yet; use STORE=sqlite');
  }
  const store = openSqliteStore(config.dataDir);
  logger.info({ file: store.file }, 'store: SQLite');
  return store;
}
