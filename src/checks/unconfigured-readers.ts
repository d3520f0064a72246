import type { GraphReader } from '../graph/graph-reader';
import type { CloudAppsReader } from '../cloud-apps/cloud-apps-reader';
import type { NotConfiguredError } from '../net/errors';

/**
 * Stand-ins used when configuration is missing: every call fails with the NotConfiguredError that names the
 * variables, which each check turns into a "manual" outcome. So the bot starts and answers with no Azure config.
 */
export function unconfiguredGraphReader(error: NotConfiguredError): GraphReader {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return { listSecureScores: fail, listControlProfiles: fail, listMessages: fail, getApplicationCredentials: fail, runHuntingQuery: fail };
}

export function unconfiguredCloudAppsReader(error: NotConfiguredError, hasLegacyToken: boolean): CloudAppsReader {
  const fail = async (): Promise<never> => {
    throw error;
  };
  return { authMode: 'entra-app', hasLegacyToken, listAlerts: fail, listDiscoveryStreams: fail, listGovernanceTasks: fail };
}
