import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Store } from './store';
import { openSqliteStore } from './sqlite';
import { azureTableOptionsFromConfig, openAzureTableStore } from './azure-table';

/** Picks the backend from STORE. */
export async function openStore(config: Config, logger: Logger): Promise<Store> {
  if (config.STORE === 'azure-table') {
    const store = await openAzureTableStore(azureTableOptionsFromConfig(config));
    logger.info({ prefix: config.AZURE_TABLE_PREFIX, via: config.AZURE_STORAGE_CONNECTION_STRING ? 'connection string' : 'AZURE_TABLES_URL + identity' }, 'store: Azure Table Storage');
    return store;
  }
  const store = openSqliteStore(config.dataDir);
  logger.info({ file: store.file }, 'store: SQLite');
  return store;
}
