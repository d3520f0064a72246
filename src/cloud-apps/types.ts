import { z } from 'zod';

/**
 * Defender for Cloud Apps REST shapes the checks read. Lenient for the same reason as the Graph schemas.
 * Alerts: https://learn.microsoft.com/defender-cloud-apps/api-alerts-list (timestamps are epoch milliseconds).
 * Streams: https://learn.microsoft.com/defender-cloud-apps/api-discovery-list-streams (dates are ISO strings).
 * Governance: undocumented; fields as read by microsoft/MCAS Get-MCASGovernanceAction.ps1 (cloud-apps-apis.md §3.9).
 */

export const alertSchema = z
  .object({
    _id: z.string(),
    title: z.string().default(''),
    description: z.string().nullable().optional(),
    timestamp: z.number().optional(),
    isSystemAlert: z.boolean().nullable().optional(),
    severityValue: z.number().nullable().optional(),
    statusValue: z.number().nullable().optional(),
    resolutionStatusValue: z.number().nullable().optional(),
    URL: z.string().nullable().optional(),
  })
  .passthrough();
export type CloudAppsAlert = z.infer<typeof alertSchema>;

export const streamSchema = z
  .object({
    _id: z.string(),
    displayName: z.string().default(''),
    streamType: z.number().nullable().optional(),
    isManual: z.boolean().nullable().optional(),
    receiverType: z.string().nullable().optional(),
    lastDataReceived: z.string().nullable().optional(),
    logFilesFailsCount: z.number().nullable().optional(),
    logFilesHistoryCount: z.number().nullable().optional(),
  })
  .passthrough();
export type DiscoveryStream = z.infer<typeof streamSchema>;

export const governanceTaskSchema = z
  .object({
    _id: z.string(),
    timestamp: z.number().optional(),
    // Community code shows either key (cloud-apps-apis.md §6): read both.
    type: z.string().nullable().optional(),
    taskName: z.string().nullable().optional(),
    appId: z.number().nullable().optional(),
    status: z
      .object({
        isSuccess: z.boolean().nullable().optional(),
        shouldRetry: z.boolean().nullable().optional(),
        statusMessage: z.string().nullable().optional(),
      })
      .passthrough()
      .nullable()
      .optional(),
    targetObject: z.string().nullable().optional(),
    targetObjectId: z.string().nullable().optional(),
    created: z.union([z.string(), z.number()]).nullable().optional(),
  })
  .passthrough();
export type GovernanceTask = z.infer<typeof governanceTaskSchema>;

/** 1 = INPUT (created by a log collector or data source), 3 = VIEW, 5 = PREVIEW/snapshot (api-discovery-list-streams). */
export const STREAM_TYPE_INPUT = 1;
/** resolutionStatusValue 0 = OPEN (api-alerts). */
export const RESOLUTION_OPEN = 0;

export function taskType(t: GovernanceTask): string {
  return t.type ?? t.taskName ?? 'unknown';
}
