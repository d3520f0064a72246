import type { Checklist } from '../domain/checklist';

/**
 * The weekly operational checklist for Microsoft Defender for Cloud Apps, from
 * "Weekly operational guide" (https://learn.microsoft.com/defender-cloud-apps/ops-guide/ops-guide-weekly).
 * Titles, personas, "Where" paths and links follow the guide word for word; test/checklist.test.ts holds it to the seed.
 * Deep links: ../shared/reference/cloud-apps-apis.md §5.
 */
export const WEEKLY_CHECKLIST: Checklist = {
  id: 'mdca-weekly',
  title: 'Defender for Cloud Apps weekly checklist',
  source: {
    title: 'Weekly operational guide – Microsoft Defender for Cloud Apps',
    url: 'https://learn.microsoft.com/defender-cloud-apps/ops-guide/ops-guide-weekly',
  },
  items: [
    {
      id: 'sspm',
      title: 'Review SaaS security posture management',
      description:
        'SaaS Security Posture Management (SSPM) capabilities in Microsoft Defender for Cloud Apps enable you to get deeper visibility, automatically identify SaaS app misconfigurations, and help you remediate those misconfigurations to improve your organizational security. To view Secure Score recommendations per product, in Microsoft Defender XDR, select Secure Score > Recommended actions, and group the list by Product.',
      persona: 'Security and Compliance administrators, SOC analysts',
      where: {
        portal: 'Microsoft Defender XDR Portal',
        path: 'Secure Score',
        link: 'https://security.microsoft.com/securescore?viewid=actions',
      },
      subItems: [],
      moreInfo: [],
      checkId: 'sspm',
    },
    {
      id: 'connectors',
      title: 'Check app connectors, log collectors, and SIEM agent health',
      description:
        "System alerts are raised when a connector, agent, or log collector fails and it's impossible to send a notification to a Defender for Cloud Apps administrator. We recommend checking for system alerts regularly to monitor the health of your app connectors, log collectors, and SIEM agents.",
      persona: 'Security and Compliance administrators, SOC analysts',
      where: {
        portal: 'Microsoft Defender XDR Portal',
        path: 'Settings > Cloud apps',
        link: 'https://security.microsoft.com/cloudapps/settings',
      },
      subItems: [
        {
          id: 'app-connectors',
          title: 'App connectors',
          where: 'Settings > Cloud apps > Connected apps > App Connectors',
          link: 'https://security.microsoft.com/cloudapps/settings?tabid=appConnectors',
        },
        {
          id: 'caac-apps',
          title: 'Conditional Access App Control apps',
          where: 'Settings > Cloud apps > Connected apps > Conditional Access App Control apps',
          // No documented tab id: link the settings page and give the path (cloud-apps-apis.md §5).
          link: 'https://security.microsoft.com/cloudapps/settings',
        },
        {
          id: 'log-upload',
          title: 'Automatic log upload',
          where: 'Settings > Cloud apps > Cloud Discovery > Automatic log upload',
          link: 'https://security.microsoft.com/cloudapps/settings?tabid=discovery-autoUpload',
        },
        {
          id: 'api-tokens',
          title: 'API tokens',
          where: 'Settings > Cloud apps > System > API tokens',
          link: 'https://security.microsoft.com/cloudapps/settings?tabid=apiTokens',
        },
      ],
      moreInfo: [
        {
          title: 'Connect apps to get visibility and control with Microsoft Defender for Cloud Apps',
          url: 'https://learn.microsoft.com/defender-cloud-apps/enable-instant-visibility-protection-and-governance-actions-for-your-apps',
        },
        {
          title: 'Protect apps with Microsoft Defender for Cloud Apps conditional access app control',
          url: 'https://learn.microsoft.com/defender-cloud-apps/proxy-intro-aad',
        },
        {
          title: 'Configure automatic log upload for continuous reports',
          url: 'https://learn.microsoft.com/defender-cloud-apps/discovery-docker',
        },
        {
          title: 'Managing API tokens',
          url: 'https://learn.microsoft.com/defender-cloud-apps/api-authentication',
        },
      ],
      checkId: 'connectors',
    },
    {
      id: 'message-center',
      title: 'Track new changes in Microsoft Defender XDR',
      description:
        'The Microsoft 365 Message center helps you to keep track of upcoming changes, including new features, planned maintenance, or other important announcements that might affect your Defender for Cloud Apps environment.',
      persona: 'Security administrators',
      where: {
        portal: 'Microsoft 365 admin center',
        path: 'Health > Message center',
        link: 'https://admin.microsoft.com/#/MessageCenter',
      },
      subItems: [],
      moreInfo: [
        {
          title: 'Track new and changed features in the Microsoft 365 Message center',
          url: 'https://learn.microsoft.com/microsoft-365/admin/manage/message-center',
        },
      ],
      checkId: 'message-center',
    },
    {
      id: 'governance-log',
      title: 'Review the governance log',
      description:
        'The Governance log provides a status record of each task that you configure Defender for Cloud Apps to run, including both manual and automatic tasks. These tasks include tasks configured in policies, governance actions that you set on files and users, and any other action you set Defender for Cloud Apps to take.',
      persona: 'Security and Compliance administrators',
      where: {
        portal: 'Microsoft Defender XDR Portal',
        path: 'Cloud apps > Governance log',
        link: 'https://security.microsoft.com/cloudapps/governance-log',
      },
      subItems: [],
      moreInfo: [
        {
          title: 'Governing connected apps',
          url: 'https://learn.microsoft.com/defender-cloud-apps/governance-actions',
        },
      ],
      checkId: 'governance-log',
    },
  ],
};

export function findItem(itemId: string) {
  return WEEKLY_CHECKLIST.items.find((i) => i.id === itemId);
}
