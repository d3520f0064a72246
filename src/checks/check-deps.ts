import type { GraphReader } from '../graph/graph-reader';
import type { CloudAppsReader } from '../cloud-apps/cloud-apps-reader';
import type { CredentialKind } from '../net/azure-credential';

/** Settings the checks read, taken from Config by environment.ts. */
export interface CheckSettings {
  /** True against the built-in sample tenant: every outcome says "sample data". */
  sample: boolean;
  /** AZURE_CLIENT_ID: the app whose secret/certificate expiry the connectors check reads. */
  appId?: string;
  credentialKind?: CredentialKind;
  /** MESSAGE_CENTER_SERVICES, matched case-insensitively against a post's services[]. */
  messageCenterServices: string[];
  /** MESSAGE_CENTER_TITLE_FILTER: a post whose title contains this (case-insensitive) is relevant too. */
  messageCenterTitleFilter: string;
  /** EXPECTED_APP_CONNECTORS: app names or Cloud Apps app ids that must show connector activity. */
  expectedAppConnectors: string[];
}

export interface CheckDeps {
  graph: GraphReader;
  cloudApps: CloudAppsReader;
  settings: CheckSettings;
}

/**
 * cloud-apps-apis.md §3.8: the exact service name for Defender for Cloud Apps posts is unverified, so the default
 * covers all three candidates.
 */
export const DEFAULT_MESSAGE_CENTER_SERVICES = ['Microsoft Defender for Cloud Apps', 'Microsoft Defender XDR', 'Microsoft Defender'];
export const DEFAULT_MESSAGE_CENTER_TITLE_FILTER = 'Defender for Cloud Apps';
