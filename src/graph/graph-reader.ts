import type { ApplicationCredentials, ControlProfile, HuntingResult, Listed, Read, SecureScore, ServiceMessage } from './types';

/**
 * What the checks need from Microsoft Graph, in domain terms. Every method follows all pages and throws only
 * NetError subclasses (UpstreamError with the permission to grant on 403, TimeoutError, NotConfiguredError, ...).
 */
export interface GraphReader {
  /** Daily Secure Score snapshots, newest first; `top` = number of days (security/secureScores?$top=n). */
  listSecureScores(top: number): Promise<Listed<SecureScore>>;
  /** Every page of security/secureScoreControlProfiles (the catalog of controls). */
  listControlProfiles(): Promise<Listed<ControlProfile>>;
  /** Message center posts modified at or after `since`, every page. */
  listMessages(since: Date): Promise<Listed<ServiceMessage>>;
  /** The bot's own app registration's secrets and certificates. */
  getApplicationCredentials(appId: string): Promise<Read<ApplicationCredentials>>;
  /** Advanced hunting (KQL) through security/runHuntingQuery. */
  runHuntingQuery(query: string, timespan?: string): Promise<Read<HuntingResult>>;
}

/** Graph application permissions per API, named in a 403 outcome (cloud-apps-apis.md §2.1). */
export const GRAPH_PERMISSIONS = {
  secureScore: 'SecurityEvents.Read.All',
  messages: 'ServiceMessage.Read.All',
  application: 'Application.Read.All',
  hunting: 'ThreatHunting.Read.All',
} as const;
