/**
 * Portal deep links for findings and the human-confirmation path (cloud-apps-apis.md §5; the same links as
 * src/checklists/weekly.ts). Tab ids marked there as unverified are used as the reference gives them.
 */
export const LINKS = {
  secureScoreActions: 'https://security.microsoft.com/securescore?viewid=actions',
  appConnectors: 'https://security.microsoft.com/cloudapps/settings?tabid=appConnectors',
  // No documented tab id for Conditional Access App Control apps: the settings page plus the path in the text.
  caacApps: 'https://security.microsoft.com/cloudapps/settings',
  autoLogUpload: 'https://security.microsoft.com/cloudapps/settings?tabid=discovery-autoUpload',
  siemAgents: 'https://security.microsoft.com/cloudapps/settings?tabid=siemAgents',
  apiTokens: 'https://security.microsoft.com/cloudapps/settings?tabid=apiTokens',
  governanceLog: 'https://security.microsoft.com/cloudapps/governance-log',
  alertsQueue: 'https://security.microsoft.com/alerts',
  messageCenter: 'https://admin.microsoft.com/#/MessageCenter',
  /** Message center post; the admin center's own "share" link format. */
  messageCenterPost: (id: string) => `https://admin.microsoft.com/#/MessageCenter/:/messages/${encodeURIComponent(id)}`,
  /** Entra admin center, the app registration's "Certificates & secrets" blade. */
  appCredentials: (appId: string) =>
    `https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/${encodeURIComponent(appId)}`,
} as const;
