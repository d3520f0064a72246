import { z } from 'zod';

/**
 * The parts of Graph resources the checks read. Schemas are lenient (unknown fields pass, most fields optional):
 * Graph adds fields over time, and a strict parse would turn a harmless addition into a failed check.
 * Shapes: https://learn.microsoft.com/graph/api/resources/securescore, .../controlscore,
 * .../securescorecontrolprofile, .../serviceupdatemessage, .../application.
 */

const nullableString = z.string().nullable().optional();
const nullableNumber = z.number().nullable().optional();

export const controlScoreSchema = z
  .object({
    controlName: z.string(),
    controlCategory: nullableString,
    score: nullableNumber,
    scoreInPercentage: nullableNumber,
    implementationStatus: nullableString,
    lastSynced: nullableString,
    description: nullableString,
  })
  .passthrough();
export type ControlScore = z.infer<typeof controlScoreSchema>;

export const secureScoreSchema = z
  .object({
    id: z.string(),
    createdDateTime: z.string(),
    currentScore: z.number(),
    maxScore: z.number(),
    controlScores: z.array(controlScoreSchema).default([]),
  })
  .passthrough();
export type SecureScore = z.infer<typeof secureScoreSchema>;

export const controlProfileSchema = z
  .object({
    id: z.string(),
    title: z.string().nullable().optional(),
    service: z.string().nullable().optional(),
    maxScore: nullableNumber,
    actionUrl: nullableString,
    deprecated: z.boolean().nullable().optional(),
    rank: nullableNumber,
    tier: nullableString,
    controlStateUpdates: z
      .array(z.object({ state: nullableString, updatedDateTime: nullableString }).passthrough())
      .nullable()
      .optional(),
  })
  .passthrough();
export type ControlProfile = z.infer<typeof controlProfileSchema>;

export const serviceMessageSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    services: z.array(z.string()).nullable().optional(),
    category: nullableString,
    severity: nullableString,
    isMajorChange: z.boolean().nullable().optional(),
    actionRequiredByDateTime: nullableString,
    startDateTime: nullableString,
    lastModifiedDateTime: z.string(),
    tags: z.array(z.string()).nullable().optional(),
  })
  .passthrough();
export type ServiceMessage = z.infer<typeof serviceMessageSchema>;

const credentialSchema = z
  .object({
    keyId: nullableString,
    displayName: nullableString,
    endDateTime: nullableString,
  })
  .passthrough();
export const applicationSchema = z
  .object({
    id: z.string().optional(),
    appId: z.string().optional(),
    displayName: nullableString,
    passwordCredentials: z.array(credentialSchema).default([]),
    keyCredentials: z.array(credentialSchema).default([]),
  })
  .passthrough();
export type ApplicationCredentials = z.infer<typeof applicationSchema>;

/**
 * runHuntingQuery answers `{schema:[{name,type}], results:[...]}`; the docs' example shows both `name`/`type` and
 * `Name`/`Type` casing (https://learn.microsoft.com/graph/api/security-security-runhuntingquery), so accept either.
 */
export const huntingResultSchema = z
  .object({
    schema: z
      .array(z.object({ name: z.string().optional(), Name: z.string().optional(), type: z.string().optional(), Type: z.string().optional() }).passthrough())
      .default([]),
    results: z.array(z.record(z.unknown())).default([]),
  })
  .passthrough();
export type HuntingResult = z.infer<typeof huntingResultSchema>;

/** A list read from a paged API, with what evidence needs: how many pages it took and what was asked. */
export interface Listed<T> {
  items: T[];
  pages: number;
  request: string;
}

/** A single read, with the request for evidence. */
export interface Read<T> {
  value: T;
  request: string;
}
