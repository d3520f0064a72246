export { AzureTableStore, openAzureTableStore, TABLE_SUFFIXES, type AzureTableStoreOptions } from './store';
export type { RetryOptions } from './retry';
export { ValueTooLargeError, MAX_JSON_CHARS } from './json-columns';
import type { AzureTableStoreOptions } from './store';

/** The configuration values the Azure store reads (a structural subset of the app Config). */
export interface AzureTableConfig {
  AZURE_STORAGE_CONNECTION_STRING?: string;
  AZURE_TABLES_URL?: string;
  AZURE_TABLE_PREFIX?: string;
  /** A user-assigned managed identity's client id, when AZURE_TABLES_URL is used without a secret. */
  AZURE_CLIENT_ID?: string;
}

export function azureTableOptionsFromConfig(config: AzureTableConfig): AzureTableStoreOptions {
  return {
    connectionString: config.AZURE_STORAGE_CONNECTION_STRING,
    tablesUrl: config.AZURE_TABLES_URL,
    tablePrefix: config.AZURE_TABLE_PREFIX,
    managedIdentityClientId: config.AZURE_CLIENT_ID,
  };
}
