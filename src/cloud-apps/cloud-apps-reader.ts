import type { Listed } from '../graph/types';
import type { CloudAppsAlert, DiscoveryStream, GovernanceTask } from './types';

export type CloudAppsAuthMode = 'entra-app' | 'legacy-token';

/**
 * What the checks need from the Defender for Cloud Apps REST API. Every call is paced by the tenant's shared
 * per-minute limiter; every list follows skip/limit/hasNext. Throws only NetError subclasses.
 */
export interface CloudAppsReader {
  /** How alerts and streams are authenticated. */
  readonly authMode: CloudAppsAuthMode;
  /** True when a legacy API token is configured, which the governance log needs. */
  readonly hasLegacyToken: boolean;
  /** All alerts of the last `sinceDays` days, newest first (system alerts are picked out by the check). */
  listAlerts(sinceDays: number): Promise<Listed<CloudAppsAlert>>;
  /** Discovery streams (continuous reports / log collectors). */
  listDiscoveryStreams(): Promise<Listed<DiscoveryStream>>;
  /** Failed and pending governance tasks of the last `sinceDays` days. Legacy token only; read-only. */
  listGovernanceTasks(sinceDays: number): Promise<Listed<GovernanceTask>>;
}

/** The Cloud Apps application permissions (API "Microsoft Cloud App Security"), named in a 403 outcome. */
export const CLOUD_APPS_PERMISSIONS = {
  alerts: 'Investigation.Read (API "Microsoft Cloud App Security", application permission)',
  streams: 'Discovery.Read (API "Microsoft Cloud App Security", application permission)',
  governance:
    'a legacy API token (CLOUD_APPS_API_TOKEN) of a user who can read the governance log; no Entra app permission covers it',
} as const;

/** Token audience of the Cloud Apps API (https://learn.microsoft.com/defender-cloud-apps/api-authentication-application). */
export const CLOUD_APPS_SCOPE = '05a65629-4c1b-48c1-a78b-804c4abdd4af/.default';
