/**
 * The sample tenant's data, built relative to "now" so it always looks current. Shapes follow the documented
 * responses quoted in cloud-apps-apis.md §3 and §6 (Graph securescore/controlscore/securescorecontrolprofile/
 * serviceupdatemessage/application, runHuntingQuery; Cloud Apps alerts, discovery streams, governance).
 * Tests replace parts of it to produce each pass/warn/fail case.
 */

export const SAMPLE_TENANT_ID = '7a1c0b9e-5d3f-4e21-9c8b-2f6a4d1e0b57';
export const SAMPLE_APP_ID = '3f9d2c71-8b4e-4a6f-b1d2-9e0c5a7f3b18';
/** Cloud Apps app ids seen in CloudAppEvents.ApplicationId (Office 365 11161, Salesforce 11114, ServiceNow 14509). */
export const SAMPLE_APPS = { office365: 11161, salesforce: 11114, servicenow: 14509 } as const;

const H = 3_600_000;
const D = 24 * H;

export interface SampleProfile {
  id: string;
  title: string;
  service: string;
  maxScore: number;
  actionUrl: string;
  deprecated: boolean;
  rank: number;
  tier: string;
  controlCategory: string;
  state: 'Default' | 'Ignored' | 'ThirdParty' | 'Reviewed';
}

export interface SampleData {
  /** Daily snapshots, newest first. */
  secureScores: Record<string, unknown>[];
  controlProfiles: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  /** When true, $filter on messages answers 400 (to exercise the client-side fallback). */
  messagesRejectFilter: boolean;
  application: Record<string, unknown>;
  huntingRows: Record<string, unknown>[];
  alerts: Record<string, unknown>[];
  streams: Record<string, unknown>[];
  /** Which of the shapes seen in the wild discovery/streams answers with. */
  streamsShape: 'streams' | 'data' | 'array';
  governance: Record<string, unknown>[];
}

const SETTINGS = 'https://security.microsoft.com/cloudapps/settings';

/** The catalog. MCAS and two SSPM products (MDA_SF, MDA_SNOW), plus other products the check must ignore. */
export const SAMPLE_PROFILES: SampleProfile[] = [
  { id: 'McasFirewallLogUpload', title: 'Discover trends in shadow IT application usage', service: 'MCAS', maxScore: 5, actionUrl: `${SETTINGS}?tabid=discovery-autoUpload`, deprecated: false, rank: 120, tier: 'Advanced', controlCategory: 'Apps', state: 'Default' },
  { id: 'McasCutomActivityPolicy', title: 'Create a custom activity policy to get alerts about suspicious usage patterns', service: 'MCAS', maxScore: 3, actionUrl: 'https://security.microsoft.com/cloudapps/policies/management', deprecated: false, rank: 140, tier: 'Advanced', controlCategory: 'Apps', state: 'Default' },
  { id: 'McasCloudAppNotification', title: 'Set up notifications for new cloud apps', service: 'MCAS', maxScore: 2, actionUrl: 'https://security.microsoft.com/cloudapps/policies/management', deprecated: false, rank: 150, tier: 'Advanced', controlCategory: 'Apps', state: 'Default' },
  { id: 'McasOAuthAppNotification', title: 'Set up notifications for OAuth apps', service: 'MCAS', maxScore: 3, actionUrl: 'https://security.microsoft.com/cloudapps/oauth-apps', deprecated: false, rank: 160, tier: 'Advanced', controlCategory: 'Apps', state: 'Ignored' },
  { id: 'mcas_mda_enabled', title: 'Turn on Microsoft Defender for Cloud Apps', service: 'MCAS', maxScore: 8, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 20, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SF_disableProtocolSecurity', title: 'Remote Site', service: 'MDA_SF', maxScore: 5, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 10, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SF_passwordMinLength', title: 'Set a minimum password length of 12 characters', service: 'MDA_SF', maxScore: 8, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 11, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SF_requireMfa', title: 'Require multifactor authentication for direct logins', service: 'MDA_SF', maxScore: 10, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 5, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SF_sessionTimeout', title: 'Session timeout of 30 minutes or less', service: 'MDA_SF', maxScore: 3, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 30, tier: 'Defense in depth', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SF_loginIpRanges', title: 'Restrict login IP ranges for admin profiles', service: 'MDA_SF', maxScore: 4, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 31, tier: 'Defense in depth', controlCategory: 'Apps', state: 'ThirdParty' },
  { id: 'MDA_SF_legacyAuditTrail', title: 'Enable the legacy setup audit trail', service: 'MDA_SF', maxScore: 2, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: true, rank: 90, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SNOW_enforceMfa', title: 'Enforce multifactor authentication for all users', service: 'MDA_SNOW', maxScore: 10, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 6, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SNOW_passwordPolicy', title: 'Configure a strong password policy', service: 'MDA_SNOW', maxScore: 6, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 12, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SNOW_xmlExternalEntity', title: 'Disable XML external entity processing', service: 'MDA_SNOW', maxScore: 4, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 40, tier: 'Defense in depth', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_SNOW_sessionActivityTimeout', title: 'Session activity timeout', service: 'MDA_SNOW', maxScore: 3, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 41, tier: 'Defense in depth', controlCategory: 'Apps', state: 'Reviewed' },
  { id: 'MDA_SNOW_htmlSanitizer', title: 'Enable the HTML sanitizer', service: 'MDA_SNOW', maxScore: 3, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 42, tier: 'Defense in depth', controlCategory: 'Apps', state: 'Default' },
  { id: 'MDA_GitHub_twoFactor', title: 'Require two-factor authentication for the organization', service: 'MDA_GitHub', maxScore: 8, actionUrl: `${SETTINGS}?tabid=appConnectors`, deprecated: false, rank: 7, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'MFARegistrationV2', title: 'Ensure all users can complete multifactor authentication', service: 'AzureAD', maxScore: 9, actionUrl: 'https://entra.microsoft.com', deprecated: false, rank: 1, tier: 'Core', controlCategory: 'Identity', state: 'Default' },
  { id: 'BlockLegacyAuthentication', title: 'Block legacy authentication', service: 'AzureAD', maxScore: 8, actionUrl: 'https://entra.microsoft.com', deprecated: false, rank: 2, tier: 'Core', controlCategory: 'Identity', state: 'Default' },
  { id: 'AdminMFAV2', title: 'Ensure multifactor authentication is enabled for all users in administrative roles', service: 'AzureAD', maxScore: 10, actionUrl: 'https://entra.microsoft.com', deprecated: false, rank: 3, tier: 'Core', controlCategory: 'Identity', state: 'Default' },
  { id: 'mdo_safelinksforOfficeApps', title: 'Turn on Safe Links for Office apps', service: 'MDO', maxScore: 8, actionUrl: 'https://security.microsoft.com/safelinksv2', deprecated: false, rank: 25, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'mdo_atpprotection', title: 'Turn on Microsoft Defender for Office 365 in SharePoint, OneDrive, and Microsoft Teams', service: 'MDO', maxScore: 9, actionUrl: 'https://security.microsoft.com/safeattachmentv2', deprecated: false, rank: 26, tier: 'Core', controlCategory: 'Apps', state: 'Default' },
  { id: 'exo_mailboxaudit', title: 'Ensure mailbox auditing for all users is enabled', service: 'EXO', maxScore: 5, actionUrl: 'https://admin.exchange.microsoft.com', deprecated: false, rank: 60, tier: 'Core', controlCategory: 'Data', state: 'Default' },
  { id: 'IntuneDeviceCompliance', title: 'Mark devices with no compliance policy as noncompliant', service: 'Intune', maxScore: 6, actionUrl: 'https://intune.microsoft.com', deprecated: false, rank: 70, tier: 'Core', controlCategory: 'Device', state: 'Default' },
  { id: 'mip_search_auditlog', title: 'Turn on audit log search', service: 'MIP', maxScore: 3, actionUrl: 'https://purview.microsoft.com', deprecated: false, rank: 80, tier: 'Core', controlCategory: 'Data', state: 'Default' },
  { id: 'aad_sign_in_risk_policy', title: 'Turn on sign-in risk policy', service: 'AzureAD', maxScore: 7, actionUrl: 'https://entra.microsoft.com', deprecated: false, rank: 4, tier: 'Core', controlCategory: 'Identity', state: 'Default' },
];

/** Score per control (0..1 of maxScore) today and a week ago; absent controls are not in controlScores. */
export const SAMPLE_CONTROL_FRACTIONS: Record<string, { today: number; weekAgo: number }> = {
  McasFirewallLogUpload: { today: 0, weekAgo: 0 },
  McasCutomActivityPolicy: { today: 1, weekAgo: 1 },
  McasCloudAppNotification: { today: 1, weekAgo: 1 },
  McasOAuthAppNotification: { today: 0, weekAgo: 0 },
  mcas_mda_enabled: { today: 1, weekAgo: 1 },
  MDA_SF_disableProtocolSecurity: { today: 1, weekAgo: 1 },
  MDA_SF_passwordMinLength: { today: 0, weekAgo: 0 },
  MDA_SF_requireMfa: { today: 1, weekAgo: 1 },
  MDA_SF_sessionTimeout: { today: 1, weekAgo: 1 },
  MDA_SF_loginIpRanges: { today: 0, weekAgo: 0 },
  MDA_SNOW_enforceMfa: { today: 1, weekAgo: 1 },
  MDA_SNOW_passwordPolicy: { today: 0.5, weekAgo: 1 },
  MDA_SNOW_xmlExternalEntity: { today: 1, weekAgo: 1 },
  MDA_SNOW_sessionActivityTimeout: { today: 0, weekAgo: 0 },
  MDA_SNOW_htmlSanitizer: { today: 1, weekAgo: 1 },
  MFARegistrationV2: { today: 0.8, weekAgo: 0.7 },
  BlockLegacyAuthentication: { today: 1, weekAgo: 1 },
  AdminMFAV2: { today: 1, weekAgo: 1 },
  mdo_safelinksforOfficeApps: { today: 0, weekAgo: 0 },
  exo_mailboxaudit: { today: 1, weekAgo: 1 },
};

export function profileJson(p: SampleProfile): Record<string, unknown> {
  return {
    id: p.id,
    azureTenantId: SAMPLE_TENANT_ID,
    actionType: 'Config',
    actionUrl: p.actionUrl,
    controlCategory: p.controlCategory,
    title: p.title,
    deprecated: p.deprecated,
    implementationCost: 'Unknown',
    lastModifiedDateTime: null,
    maxScore: p.maxScore,
    rank: p.rank,
    remediation: '',
    remediationImpact: 'Unknown',
    service: p.service,
    threats: [],
    tier: p.tier,
    userImpact: 'Unknown',
    vendorInformation: { provider: 'SecureScore', providerVersion: null, subProvider: null, vendor: 'Microsoft' },
    complianceInformation: [],
    controlStateUpdates: [{ assignedTo: null, comment: null, state: p.state, updatedBy: null, updatedDateTime: null }],
  };
}

/** One controlScores[] entry as the real capture shows it (cloud-apps-apis.md §3.1). */
export function controlScoreJson(p: SampleProfile, fraction: number, at: Date): Record<string, unknown> {
  const score = Math.round(p.maxScore * fraction * 100) / 100;
  return {
    controlCategory: p.controlCategory,
    controlName: p.id,
    description: p.title,
    score,
    scoreInPercentage: Math.round(fraction * 10000) / 100,
    lastSynced: new Date(at.getTime() - 4 * H).toISOString(),
    implementationStatus: fraction >= 1 ? 'Feature in place: true.' : 'Feature in place: false.',
    on: String(fraction >= 1),
  };
}

/** A daily snapshot; `fractions` picks each control's share of its maxScore. */
export function secureScoreJson(day: Date, profiles: SampleProfile[], fractions: Record<string, number>): Record<string, unknown> {
  const dayStart = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  const controlScores = profiles.filter((p) => fractions[p.id] !== undefined).map((p) => controlScoreJson(p, fractions[p.id]!, dayStart));
  const currentScore = controlScores.reduce((s, c) => s + (c.score as number), 0);
  return {
    id: `${SAMPLE_TENANT_ID}_${dayStart.toISOString().slice(0, 10)}`,
    azureTenantId: SAMPLE_TENANT_ID,
    createdDateTime: dayStart.toISOString(),
    currentScore: Math.round(currentScore * 100) / 100,
    maxScore: profiles.reduce((s, p) => s + p.maxScore, 0),
    activeUserCount: 240,
    licensedUserCount: 250,
    enabledServices: ['HasEXOP2', 'HasSPOP2', 'HasMCAS'],
    averageComparativeScores: [{ basis: 'AllTenants', averageScore: 54.65, appsScore: 29.65, appsScoreMax: 79 }],
    controlScores,
    vendorInformation: { provider: 'SecureScore', providerVersion: null, subProvider: null, vendor: 'Microsoft' },
  };
}

/** Eight daily snapshots (today and seven days back): the week's values interpolate from weekAgo to today. */
export function buildSecureScores(now: Date, table: Record<string, { today: number; weekAgo: number }> = SAMPLE_CONTROL_FRACTIONS, profiles = SAMPLE_PROFILES) {
  const out: Record<string, unknown>[] = [];
  for (let back = 0; back <= 7; back++) {
    const fractions: Record<string, number> = {};
    for (const [id, f] of Object.entries(table)) fractions[id] = back === 0 ? f.today : back === 7 ? f.weekAgo : f.weekAgo + ((f.today - f.weekAgo) * (7 - back)) / 7;
    out.push(secureScoreJson(new Date(now.getTime() - back * D), profiles, fractions));
  }
  return out;
}

function message(
  now: Date,
  m: { id: string; title: string; services: string[]; ageDays: number; isMajorChange?: boolean; actionInDays?: number; category?: string; severity?: string },
) {
  const modified = new Date(now.getTime() - m.ageDays * D);
  return {
    id: m.id,
    title: m.title,
    services: m.services,
    category: m.category ?? 'planForChange',
    severity: m.severity ?? 'normal',
    isMajorChange: m.isMajorChange ?? false,
    actionRequiredByDateTime: m.actionInDays === undefined ? null : new Date(now.getTime() + m.actionInDays * D).toISOString(),
    startDateTime: new Date(modified.getTime() - 2 * D).toISOString(),
    endDateTime: new Date(now.getTime() + 60 * D).toISOString(),
    lastModifiedDateTime: modified.toISOString(),
    tags: m.isMajorChange ? ['Major change', 'Admin impact'] : ['Feature update'],
    hasAttachments: false,
    details: [],
    body: { contentType: 'html', content: `<p>${m.title}</p>` },
    viewPoint: null,
  };
}

export function buildMessages(now: Date) {
  return [
    message(now, { id: 'MC910231', title: 'Microsoft Defender for Cloud Apps: SIEM agents retire; migrate to the Graph security API', services: ['Microsoft Defender for Cloud Apps'], ageDays: 2, isMajorChange: true, actionInDays: 20 }),
    message(now, { id: 'MC910877', title: 'Defender for Cloud Apps adds an app connector for Zoom', services: ['Microsoft Defender for Cloud Apps'], ageDays: 1, category: 'stayInformed' }),
    message(now, { id: 'MC911402', title: 'Microsoft Defender XDR: updated incident queue filters', services: ['Microsoft Defender XDR'], ageDays: 3, category: 'stayInformed' }),
    message(now, { id: 'MC911950', title: 'Exchange Online: changes to mailbox audit defaults', services: ['Exchange Online'], ageDays: 2 }),
    message(now, { id: 'MC905118', title: 'Microsoft Teams: new meeting recap layout', services: ['Microsoft Teams'], ageDays: 4 }),
    message(now, { id: 'MC912006', title: 'Session policies in Defender for Cloud Apps support more file types', services: ['Microsoft 365 suite'], ageDays: 5, category: 'stayInformed' }),
    message(now, { id: 'MC880514', title: 'Microsoft Defender for Cloud Apps: retired activity filters', services: ['Microsoft Defender for Cloud Apps'], ageDays: 20 }),
    message(now, { id: 'MC912230', title: 'SharePoint Online: new site sharing report', services: ['SharePoint Online'], ageDays: 1 }),
  ];
}

export function buildApplication(now: Date, appId: string = SAMPLE_APP_ID) {
  return {
    id: 'b0d6c1f4-2e7a-4c39-8f15-6a3e9d2b7c40',
    appId,
    displayName: 'Rounds (sample)',
    passwordCredentials: [
      {
        customKeyIdentifier: null,
        displayName: 'rounds-bot',
        endDateTime: new Date(now.getTime() + 10 * D).toISOString(),
        hint: 'r0u',
        keyId: '9c1e4b2a-7d3f-4f60-a8b5-1e2d3c4b5a69',
        secretText: null,
        startDateTime: new Date(now.getTime() - 355 * D).toISOString(),
      },
    ],
    keyCredentials: [],
  };
}

/** CloudAppEvents summarised per app and audit source, as the connectors check's hunting query asks. */
export function buildHuntingRows(now: Date) {
  const row = (AuditSource: string, Application: string, ApplicationId: number, AppInstanceId: number, ageHours: number, Events: number) => ({
    AuditSource,
    Application,
    ApplicationId,
    AppInstanceId,
    LastEvent: new Date(now.getTime() - ageHours * H).toISOString(),
    Events,
  });
  return [
    row('Defender for Cloud Apps app connector', 'Microsoft 365', SAMPLE_APPS.office365, 0, 1, 18234),
    row('Defender for Cloud Apps app connector', 'Salesforce', SAMPLE_APPS.salesforce, 0, 30, 512),
    row('Defender for Cloud Apps app connector', 'ServiceNow', SAMPLE_APPS.servicenow, 0, 6, 944),
    row('Defender for Cloud Apps access control', 'Salesforce', SAMPLE_APPS.salesforce, 0, 20, 77),
  ];
}

/** 130 alerts in the last 7 days (two pages of 100) plus older ones; one open and one resolved system alert. */
export function buildAlerts(now: Date) {
  const alerts: Record<string, unknown>[] = [];
  const policies = ['Impossible travel', 'Mass download by a single user', 'Activity from infrequent country', 'Suspicious inbox forwarding', 'Unusual file deletion activity'];
  const id = (n: number) => (0x603f704aaf7417985bbf0000n + BigInt(n)).toString(16).padStart(24, '0');
  for (let i = 0; i < 140; i++) {
    // 130 inside the 7-day window, 10 between 8 and 12 days old (the server's date filter must drop them).
    const ageMs = i < 130 ? (i * 7 * D) / 131 + 60_000 : (8 + (i - 130) * 0.4) * D;
    const _id = id(i + 1);
    alerts.push({
      _id,
      title: policies[i % policies.length],
      description: `Policy alert ${i + 1}`,
      timestamp: now.getTime() - Math.round(ageMs),
      isSystemAlert: false,
      severityValue: i % 3,
      statusValue: i % 2,
      resolutionStatusValue: i % 4 === 0 ? 0 : 2,
      stories: [0],
      threatScore: 20 + (i % 60),
      entities: [{ id: 20940, label: 'Active Directory', type: 'service' }],
      idValue: 15795464 + i,
      URL: `https://contoso.portal.cloudappsecurity.com/#/alerts/${_id}`,
    });
  }
  const sys = (n: number, title: string, ageHours: number, resolution: number) => {
    const _id = id(1000 + n);
    return {
      _id,
      title,
      description: title,
      timestamp: now.getTime() - ageHours * H,
      isSystemAlert: true,
      severityValue: 2,
      statusValue: 0,
      resolutionStatusValue: resolution,
      stories: [],
      threatScore: 0,
      entities: [{ id: SAMPLE_APPS.servicenow, label: 'ServiceNow', type: 'service' }],
      idValue: 15800000 + n,
      URL: `https://contoso.portal.cloudappsecurity.com/#/alerts/${_id}`,
    };
  };
  // Real system alerts carry "System alert" in the title (microsoft/MCAS Get-MCASAlert.ps1); one of these also
  // lacks isSystemAlert=true, so the title rule is exercised.
  alerts.splice(37, 0, sys(1, 'System alert: app connector error for ServiceNow', 5, 0));
  const closed = sys(2, 'System alert: Log collector FW-EDGE-02 stopped sending data', 50, 2);
  closed.isSystemAlert = false;
  alerts.splice(90, 0, closed);
  return alerts;
}

export function buildStreams(now: Date) {
  const stream = (id: string, displayName: string, streamType: number, isManual: boolean, ageHours: number, fails: number, history: number) => ({
    _id: id,
    displayName,
    streamType,
    isManual,
    receiverType: 'syslog',
    protocol: 'udp',
    logType: 126,
    created: new Date(now.getTime() - 400 * D).toISOString(),
    lastModified: new Date(now.getTime() - 30 * D).toISOString(),
    lastDataReceived: new Date(now.getTime() - ageHours * H).toISOString(),
    logFilesFailsCount: fails,
    logFilesHistoryCount: history,
    lastAlertProcessingTime: now.getTime() - ageHours * H,
  });
  return [
    stream('5fda1c2e8b7a4d0012f3a001', 'FW-EDGE-01', 1, false, 1, 2, 1480),
    stream('5fda1c2e8b7a4d0012f3a002', 'FW-EDGE-02', 1, false, 60, 7, 1320),
    stream('5fda1c2e8b7a4d0012f3a003', 'Proxy-Zscaler', 1, false, 3, 0, 900),
    stream('5fda1c2e8b7a4d0012f3a004', 'Q3 firewall snapshot', 5, true, 2000, 0, 1),
  ];
}

export function buildGovernance(now: Date) {
  const task = (id: string, type: string, ageHours: number, isSuccess: boolean | null, shouldRetry: boolean, statusMessage: string, target: string) => ({
    _id: id,
    timestamp: now.getTime() - ageHours * H,
    type,
    taskName: type,
    appId: type.startsWith('Discovery') ? null : SAMPLE_APPS.office365,
    status: { isSuccess, shouldRetry, statusMessage },
    targetObject: target,
    targetObjectId: `${id}-target`,
    created: new Date(now.getTime() - ageHours * H).toISOString(),
  });
  return [
    task('65a0f1e2c3d4b5a697880001', 'DiscoveryParseLogTask', 40, false, true, 'Log file could not be parsed: unexpected format', 'fw-edge-02_2024-01-01.log'),
    task('65a0f1e2c3d4b5a697880002', 'SuspendUserTask', 20, false, false, 'User not found in the app', 'megan@contoso.com'),
    task('65a0f1e2c3d4b5a697880003', 'RmsProtectTask', 10, true, false, 'Done', 'Budget.xlsx'),
    task('65a0f1e2c3d4b5a697880004', 'QuarantineTask', 30, null, false, 'Pending', 'Payroll.docx'),
    task('65a0f1e2c3d4b5a697880005', 'TrashFileTask', 240, false, true, 'Timeout', 'old.pptx'),
  ];
}

export function buildSampleData(now: Date): SampleData {
  return {
    secureScores: buildSecureScores(now),
    controlProfiles: SAMPLE_PROFILES.map(profileJson),
    messages: buildMessages(now),
    messagesRejectFilter: false,
    application: buildApplication(now),
    huntingRows: buildHuntingRows(now),
    alerts: buildAlerts(now),
    streams: buildStreams(now),
    streamsShape: 'streams',
    governance: buildGovernance(now),
  };
}
